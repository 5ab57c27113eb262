"""Auditor findings on the built site (issue 11): the box on each assessment page, the section on each
municipality page, the page across all cities, and `hyoka search` over them.

Asserted on the real `mkdocs build` of fixtures + the real content/ (session fixture `built_site`,
built once per xdist worker).  The expectation is always `run_rules` over the same corpus, never a
hard-coded list.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from hyoka import anchors as A
from hyoka.findings import RULES, SEVERITIES, run_rules
from hyoka.loader import load_corpus
from htmlquery import links, soup, text, text_of
from linkcheck import _target_file, parse


@pytest.fixture(scope="module")
def corpus(built_site):
    c = load_corpus(built_site.root / "content", built_site.root / "site_config", root=built_site.root)
    assert not c.problems
    return c


@pytest.fixture(scope="module")
def findings(corpus):
    return run_rules(corpus.assessments, today=dt.date.today())


def _slug(corpus, aid: str) -> str:
    d = next(d for d in corpus.assessments if d.id == aid)
    return corpus.municipalities[d.municipality].slug


class Region:
    """The text and the links (href, class) inside the element with a given id."""

    def __init__(self, html: str, element_id: str):
        el = soup(html).find(id=element_id)
        self.found = el is not None
        self.plain = text(el) if self.found else ""
        self.links: list[tuple[str, str]] = links(el) if self.found else []


@functools.lru_cache(maxsize=None)
def _ids(path: str) -> frozenset[str]:
    return frozenset(parse(Path(path)).ids)


def resolves(site: Path, page_rel: str, href: str) -> bool:
    """A page-relative link reaches an existing file and, if it has one, an existing #fragment."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, href
    target, target_rel = _target_file(site, page_rel, unquote(parts.path))
    if not target.is_file():
        return False
    frag = unquote(parts.fragment)
    return not frag or not target_rel.endswith(".html") or frag in _ids(str(target))


def _doc_page(site: Path, corpus, aid: str) -> str:
    return f"{_slug(corpus, aid)}/{aid}/index.html"


# ---- assessment pages --------------------------------------------------------------------------


def test_real_content_has_the_known_c03_finding(built_site, findings):
    if "kazo-yobosesshu-juten" not in built_site.real_ids:
        pytest.skip("the real content does not validate right now")
    assert any(f.rule_id == "C03" and f.assessment_id == "kazo-yobosesshu-juten" for f in findings)


def test_assessment_page_box_lists_each_finding_with_a_working_link(built_site, corpus, findings):
    site = built_site.site
    by_doc: dict[str, list] = {}
    for f in findings:
        by_doc.setdefault(f.assessment_id, []).append(f)
    assert by_doc, "the built site should have at least one finding"
    for aid, found in by_doc.items():
        rel = _doc_page(site, corpus, aid)
        html = (site / rel).read_text(encoding="utf-8")
        box = Region(html, "findings")
        assert box.found, aid
        text = box.plain
        assert f"点検結果（{len(found)} 件）" in text
        for f in found:
            r = RULES[f.rule_id]
            for piece in (r.title, r.severity, f.statement, f.evidence.strip("「」")):
                assert piece in text, (aid, f.rule_id, piece)
        # severity is written out, not only shown by colour
        counts = Counter(RULES[f.rule_id].severity for f in found)
        for s in SEVERITIES:
            assert f"{s} {counts.get(s, 0)} 件" in text
        item_links = [h for h, cls in box.links if "hy-finding-link" in cls]
        assert len(item_links) == len(found)
        expected = sorted(f"#{f.anchor}" if f.anchor else "./" for f in found)
        assert sorted(item_links) == expected
        for h in item_links:
            assert resolves(site, rel, h), (aid, h)
        # the box sits near the top: after the summary, before Ⅰ
        assert html.index('id="summary"') < html.index('id="findings"') < html.index('id="s1"')


def test_assessment_without_findings_has_no_box(built_site, corpus, findings):
    with_findings = {f.assessment_id for f in findings}
    without = [d for d in corpus.assessments if d.id not in with_findings]
    assert without
    for d in without:
        html = (built_site.site / _doc_page(built_site.site, corpus, d.id)).read_text(encoding="utf-8")
        assert 'id="findings"' not in html and "hy-findings" not in html, d.id


def test_kazo_c03_link_points_at_the_risk_answer(built_site, corpus, findings):
    c03 = [f for f in findings if f.rule_id == "C03" and f.assessment_id == "kazo-yobosesshu-juten"]
    if not c03:
        pytest.skip("the real content does not validate right now")
    rel = _doc_page(built_site.site, corpus, "kazo-yobosesshu-juten")
    html = (built_site.site / rel).read_text(encoding="utf-8")
    assert f'href="#{c03[0].anchor}"' in html
    assert c03[0].anchor in _ids(str(built_site.site / rel))
    # the anchor is the Ⅲ answer, which says 十分に行っている
    el = Region(html, c03[0].anchor)
    assert "十分に行っている" in el.plain


# ---- municipality pages ------------------------------------------------------------------------


def test_municipality_page_counts_and_lists_its_findings(built_site, corpus, findings):
    site = built_site.site
    for code, m in corpus.municipalities.items():
        if not (site / m.slug / "index.html").exists():
            continue
        rel = f"{m.slug}/index.html"
        html = (site / rel).read_text(encoding="utf-8")
        mine = [f for f in findings if next(d for d in corpus.assessments if d.id == f.assessment_id).municipality == code]
        sec = text_of(html[html.index('id="findings"'):])
        if not mine:
            assert "検出された事項はありません" in sec
            continue
        counts = Counter(RULES[f.rule_id].severity for f in mine)
        for s in SEVERITIES:
            assert f"{s} {counts.get(s, 0)} 件" in sec, (m.slug, s)
        assert f"計 {len(mine)} 件" in sec
        for f in mine:
            assert f.statement in sec
        finding_links = [h for h, cls in links(html[html.index('id="findings"'):]) if "hy-finding-link" in cls]
        assert len(finding_links) == len(mine)
        for h in finding_links:
            assert resolves(site, rel, h), (m.slug, h)


# ---- the page across all cities ----------------------------------------------------------------


def test_findings_page_lists_every_finding_with_working_links(built_site, corpus, findings):
    site = built_site.site
    rel = "findings/index.html"
    html = (site / rel).read_text(encoding="utf-8")
    table = Region(html, "findings")
    assert table.found
    rows = html.count("<tr data-row ")
    assert rows == len(findings)
    text = table.plain
    for f in findings:
        assert f.statement in text and f.evidence in text
    links = [h for h, cls in table.links if "hy-finding-link" in cls]
    assert len(links) == len(findings)
    expected = Counter(f"../{A.permalink(_slug(corpus, f.assessment_id), f.assessment_id, f.anchor)}" for f in findings)
    assert Counter(links) == expected
    for h in links:
        assert resolves(site, rel, h), h
    # filters: city, rule, severity, form (hyoka-filter.js keeps them in the URL)
    for name in ("city", "rule", "severity", "form"):
        assert f'<select name="{name}">' in html
    assert "assets/hyoka-filter.js" in html
    # the rule catalogue: id, title, severity, basis of every rule
    cat = Region(html, "rule-catalogue").plain
    for r in RULES.values():
        for piece in (r.id, r.title, r.severity, r.basis):
            assert piece in cat
    # the open data of the same rows
    for href in ("../data/findings.csv", "../data/findings.json"):
        assert f'href="{href}"' in html
        assert resolves(site, rel, href)


def test_findings_and_data_pages_are_in_the_navigation(built_site):
    html = built_site.page("index.html")
    nav = html[html.index('class="md-nav'):]
    assert 'href="findings/"' in nav and 'href="data/"' in nav


def test_rows_carry_the_filter_values(built_site, corpus, findings):
    html = built_site.page("findings/index.html")
    docs = {d.id: d for d in corpus.assessments}
    want = Counter((docs[f.assessment_id].municipality, f.rule_id, RULES[f.rule_id].severity, docs[f.assessment_id].form) for f in findings)
    got = Counter((tr["data-city"], tr["data-rule"], tr["data-severity"], tr["data-form"])
                  for tr in soup(html).select("tr[data-row]"))
    assert got == want


# ---- search ------------------------------------------------------------------------------------


def test_hyoka_search_finds_a_finding_by_a_word_of_its_statement(built_site, corpus, findings, capsys):
    from hyoka_search.cli import main

    f = next((f for f in findings if f.rule_id == "C03"), findings[0])
    word = f.statement[len(f.statement) // 2: len(f.statement) // 2 + 6].strip("「」、。 ")
    root = built_site.root
    rc = main(["search", word, "--kind", "点検結果", "--format", "json", "--limit", "500", "--no-update",
               "--index-dir", str(root / ".hyoka-index"), "--site-config", str(root / "site_config"),
               "--content", str(root / "content")])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    expect = A.permalink(_slug(corpus, f.assessment_id), f.assessment_id, f.anchor)
    hits = [h for h in out["hits"] if h["assessment"] == f.assessment_id]
    assert any(h["permalink"] == expect and f.statement in (h["text"] or "") for h in hits), (word, out["hits"][:3])
    assert len(out["hits"]) == out["total"]
    assert all(h["kind"] == "点検結果" for h in out["hits"])
    # every finding whose statement or evidence contains the word is found, and nothing else
    from hyoka_search.analysis import SEGMENT_SEP, normalize, normalize_query_term

    t = normalize_query_term(word)
    want = {(x.assessment_id, f"{x.statement}\n{x.evidence}") for x in findings
            if t in normalize(SEGMENT_SEP.join([RULES[x.rule_id].title, x.statement, x.evidence]))}
    got = {(h["assessment"], h["text"]) for h in out["hits"]}
    assert got == want


# ---- text from content/ is never read as HTML --------------------------------------------------


def test_hostile_statement_and_evidence_are_escaped(corpus):
    from hyoka.findings import Finding, quote
    from hyoka.views.findings import assessment_box, municipality_section
    from sitebuild import HOSTILE

    d = corpus.assessments[0]
    f = Finding("C01", d.id, "files[0].entrustment", None, "文" + HOSTILE, quote(HOSTILE, limit=10_000))
    slug = corpus.municipalities[d.municipality].slug
    for html in (assessment_box([f], slug, A.page_url(slug, d.id)), "\n".join(municipality_section([f], corpus, f"{slug}/"))):
        assert "<script>" not in html and "<img" not in html and 'href="javascript:' not in html
        text = text_of(html)
        assert "文" + HOSTILE in text and HOSTILE in text
        assert "\n\n" not in html  # one raw HTML block per part: Markdown never reads inside it
