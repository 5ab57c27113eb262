"""The findings view: auditor findings on the site (issue 11): a box on each assessment page, a section on each
municipality page, and one page across all cities (findings/index.md) with filters.

The findings are computed once per build (`ensure_findings`: the MkDocs plugin runs the rules in its
pre-build step and stores them in `SiteContext.findings`; a front end that did not is served the
same way, once, on first use), so every page, the data files (hyoka.export) and the search index
show the same list.

The markup is in templates/findings.html and findings_index.md; text from content/ (statements quote
it) is escaped there.  No MkDocs here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable, Iterator

from markupsafe import Markup

from .. import anchors as A
from ..filterform import filter_form, select
from ..filterform import head as filter_head
from ..findings import RULES, SEVERITIES, Finding, run_rules
from ..htmlkit import rel_url, url_of
from ..loader import Corpus
from ..templating import macros, render
from ..export import Rows
from .compare import Part, parts_of
from .compare import _csv as compare_csv
from .twin import plain
from ..site import Asset, Page, SiteContext

NAME = "findings"
PAGE = "findings/index.md"
DATA_PAGE = "data/index.md"

# severity → (css class, symbol): the severity is always written out; colour and symbol only add to it
SEVERITY_STYLE = {
    "要対応": ("hy-sev-act", "◆"),
    "要確認": ("hy-sev-check", "▲"),
    "参考": ("hy-sev-info", "●"),
}

INTRO = (
    "このサイトのビルドが、評価書の記載を様式の記載要領や評価指針・規則に照らして機械的に点検し、"
    "確認が必要と思われる箇所を示したものです。評価書の誤りや違反を断定するものではありません。"
    "各事項の「該当箇所」から、評価書の該当する項目を開いて記載を確かめてください。"
)


def ensure_findings(corpus: Corpus, ctx: SiteContext) -> list[Finding]:
    """The build's findings: `ctx.findings`, or the rules run now (for today) and stored there."""
    if ctx.findings is None:
        ctx.findings = run_rules(corpus.assessments, today=dt.date.today())
    return ctx.findings


def by_assessment(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.assessment_id, []).append(f)
    return out


def _order(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; otherwise the rule engine's order (rule by rule, as found)."""
    return sorted(findings, key=lambda f: SEVERITIES.index(f.rule.severity))


def severity_view(severity: str) -> dict:
    cls, sym = SEVERITY_STYLE.get(severity, ("hy-sev-info", "●"))
    return {"severity": severity, "cls": cls, "symbol": sym}


def severity_badge(severity: str) -> Markup:
    return macros("findings.html").badge(severity_view(severity))


def finding_view(f: Finding, slug: str, base: str) -> dict:
    """A finding as plain values, with the link to the item it concerns (the page top when it names none)."""
    r = f.rule
    return {
        "rule": r.id,
        "title": r.title,
        "severity": severity_view(r.severity),
        "statement": f.statement,
        "evidence": _unquoted(f.evidence),
        "basis": r.basis,
        "href": rel_url(A.permalink(slug, f.assessment_id, f.anchor), base),
        "link_label": "該当箇所へ" if f.anchor else "該当箇所へ（ページの先頭）",
    }


def _counts(findings: list[Finding]) -> list[dict]:
    c = Counter(f.rule.severity for f in findings)
    return [{**severity_view(s), "count": c.get(s, 0)} for s in SEVERITIES]


def _unquoted(evidence: str) -> str:
    """The evidence without the 「」 that hyoka.findings.quote puts around it (the <q> shows quotes)."""
    if evidence.startswith("「") and evidence.endswith("」"):
        return evidence[1:-1]
    return evidence


# ---- assessment page ---------------------------------------------------------------------------


def assessment_box(findings: list[Finding], slug: str, page_url: str) -> Markup:
    """The box near the top of an assessment page ('' when the assessment has no finding)."""
    if not findings:
        return Markup("")
    return macros("findings.html").assessment_box({
        "total": len(findings),
        "counts": _counts(findings),
        "intro": INTRO,
        "all_page": rel_url(url_of(PAGE), page_url),
        "findings": [finding_view(f, slug, page_url) for f in _order(findings)],
    })


# ---- municipality page -------------------------------------------------------------------------


def municipality_section(findings: list[Finding], corpus: Corpus, page_url: str) -> list[str]:
    """Markdown parts for a municipality page: counts per severity and the list, per assessment."""
    return ["## 点検結果 { #findings }", macros("findings.html").municipality_section(municipality_view(findings, corpus, page_url))]


def municipality_view(findings: list[Finding], corpus: Corpus, page_url: str) -> dict:
    """The findings of a municipality's assessments, per assessment, as plain values (findings.html)."""
    docs = corpus.doc_map()
    out = []
    for aid, found in by_assessment(findings).items():
        d = docs[aid]
        slug = corpus.municipalities[d.municipality].slug
        out.append({
            "href": rel_url(A.permalink(slug, aid, "findings"), page_url),
            "title": d.cover.title,
            "findings": [finding_view(f, slug, page_url) for f in _order(found)],
        })
    return {
        "total": len(findings),
        "counts": _counts(findings),
        "intro": INTRO,
        "all_page": rel_url(url_of(PAGE), page_url),
        "docs": out,
    }


# ---- the page across all cities ----------------------------------------------------------------


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """findings/index.md: every finding of every city, filterable (assets/hyoka-filter.js), and the rule catalogue.
    With more than `ctx.compare_part` assessments (the parts of hyoka.views.compare.parts_of), the list is on
    the part pages (findings/part-<k>.md) and findings/index.md holds the national counts per city and rule."""
    findings = ensure_findings(corpus, ctx)
    run_rules([])  # every rule registered, also when there is no assessment
    parts = parts_of(Rows.of(corpus, ctx), ctx.compare_part)
    if len(parts) == 1:
        yield _list_page(findings, corpus, ctx)
        return
    found = by_assessment(findings)
    per_city: dict[str, Counter] = {}
    names: dict[str, str] = {}
    rule: Counter = Counter()
    for part in parts:  # one part's findings shown at a time
        mine = [f for d in part.docs for f in found.get(d.id, [])]
        yield _list_page(mine, corpus, ctx, part)
        for f in mine:
            code = corpus.municipality_of(f.assessment_id)
            per_city.setdefault(code, Counter())[f.rule.severity] += 1
            names[code] = corpus.municipalities[code].name
            rule[f.rule_id] += 1
    yield _national_page(findings, corpus, parts, per_city, names, rule)


def _rules(counts: Counter) -> list[dict]:
    return [{"id": r.id, "title": r.title, "severity": severity_view(r.severity), "basis": r.basis, "count": counts.get(r.id, 0)}
            for r in sorted(RULES.values(), key=lambda r: r.id)]


def _list_page(findings: list[Finding], corpus: Corpus, ctx: SiteContext, part: Part | None = None) -> Page:
    """The list of these findings (every city's, or one part's) with its filters and the rule catalogue."""
    path = part.path(PAGE) if part is not None else PAGE
    base = url_of(path)
    docs = corpus.doc_map()
    rows = []
    for f in findings:
        d = docs[f.assessment_id]
        m = corpus.municipalities[d.municipality]
        rows.append((f, d, m))
    rows.sort(key=lambda x: (x[2].code, x[1].id, SEVERITIES.index(x[0].rule.severity)))

    city = Counter((m.code, m.name) for _, _, m in rows)
    rule = Counter(f.rule_id for f, _, _ in rows)
    sev = Counter(f.rule.severity for f, _, _ in rows)
    form = Counter(d.form for _, d, _ in rows)
    # The filter form shared with the compare pages (hyoka.filterform); it escapes what it prints.
    filters = Markup(filter_form([
        select("city", "都市", [(code, name, n) for (code, name), n in sorted(city.items())]),
        select("rule", "ルール", [(r, f"{r} {RULES[r].title}", n) for r, n in sorted(rule.items())]),
        select("severity", "重要度", [(s, s, sev[s]) for s in SEVERITIES if sev.get(s)]),
        select("form", "様式", [(x, x, n) for x, n in sorted(form.items())]),
    ]))
    context = {
        "intro": INTRO,
        "n_docs": len({d.id for _, d, _ in rows}),
        "rows": [
            {
                "city": m.code, "city_name": m.name, "form": d.form,
                "doc_href": rel_url(A.permalink(m.slug, d.id), base), "doc_title": d.cover.title,
                "finding": finding_view(f, m.slug, base), "evidence": f.evidence,
            }
            for f, d, m in rows
        ],
        "rules": _rules(rule),
    }
    title, heading = "点検結果", "点検結果（全都市）"
    if part is not None and part.no:
        context["part"] = part.links(PAGE, title, base)
        title = heading = f"点検結果（{part.label}）"
    # the CSV button writes these rows' open-data rows (data/findings.csv's columns, permalinks), not the screen's text
    table = Rows.of(corpus, ctx)
    csv = compare_csv("findings", [table.finding_row(f, d) for f, d, _ in rows])
    md = render("findings_index.md", head=Markup(filter_head(base)), filters=filters, csv=csv, heading=heading, **context)
    return Page(path, title, md, in_nav=part is None or not part.no, data=plain(context))  # twin: <page>/index.json


def _national_page(findings: list[Finding], corpus: Corpus, parts: list[Part], per_city: dict[str, Counter],
                   names: dict[str, str], rule: Counter) -> Page:
    """findings/index.md with more than one part: counts per city and severity, the parts, the rule catalogue."""
    base = url_of(PAGE)
    counts = [{"city": code, "city_name": names[code], "counts": [c.get(s, 0) for s in SEVERITIES], "total": sum(c.values())}
              for code, c in sorted(per_city.items())]
    filters = Markup(filter_form([select("city", "都市", [(r["city"], r["city_name"], r["total"]) for r in counts])]))
    context = {
        "intro": INTRO,
        "total": len(findings),
        "n_docs": len({f.assessment_id for f in findings}),
        "severities": [severity_view(s) for s in SEVERITIES],
        "counts": counts,
        "parts": [p.row(PAGE, base) for p in parts],
        "rules": _rules(rule),
    }
    md = render("findings_all.md", head=Markup(filter_head(base)), filters=filters, **context)
    return Page(PAGE, "点検結果", md, in_nav=True, data=plain(context))
