"""Home, municipality pages and the city picker (issues 16 and 19), on a real strict `mkdocs build`.

- every municipality page shows, per assessment, the affair, the form, the contractors, each file's 保管期間,
  the answers other than 「十分である」 and the findings — the same values as the open data (data/*.json)
  and the YAML, each linked to its place on the assessment page;
- the city picker (home page and municipalities/, one nav entry 「都市を選ぶ」) lists every municipality of
  site_config by prefecture, as plain links;
- the home, municipality and picker pages have JSON twins (`index.json` beside the page) with the values
  the page shows.
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urljoin

import pytest
import yaml

from hyoka import choices as C
from hyoka.loader import load_corpus
from htmlquery import ids, soup, text
from sitebuild import FIXTURES


@pytest.fixture(scope="module")
def corpus(built_site):
    c = load_corpus(built_site.root / "content", built_site.root / "site_config", root=built_site.root)
    assert not c.problems
    return c


def _data(built_site, name: str) -> list[dict]:
    return json.loads((built_site.site / "data" / f"{name}.json").read_text(encoding="utf-8"))


def _twin(built_site, url: str):
    return json.loads((built_site.site / url / "index.json").read_text(encoding="utf-8"))


def _cards(built_site, slug: str) -> dict[str, object]:
    """The assessment cards of a municipality page by the assessment's URL (relative to the page)."""
    page = soup(built_site.page(f"{slug}/index.html"))
    out = {}
    for card in page.select("article.hy-doc-card"):
        out[card.select_one(".hy-doc-card__title a")["href"]] = card
    return out


def _fact(card, label: str):
    for div in card.select("dl.hy-facts > div"):
        if text(div.dt).strip() == label:
            return div.dd
    raise AssertionError(f"no 「{label}」 in the card")


def _target_exists(built_site, page_url: str, href: str) -> None:
    """A link of the municipality page leads to an existing page and id."""
    url = urljoin("/" + page_url, href)
    path, _, frag = url.partition("#")
    html = built_site.page(path.lstrip("/") + "index.html")
    if frag:
        assert frag in ids(html), url


# ---- municipality pages: the key facts ----------------------------------------------------------


def test_municipality_page_shows_each_assessments_key_facts_as_the_open_data_has_them(built_site, corpus):
    entrust, retention, answers, findings = (_data(built_site, n) for n in ("entrustments", "retention", "answers", "findings"))
    checked = 0
    for code, m in corpus.municipalities.items():
        cards = _cards(built_site, m.slug)
        mine = [a for a in corpus.assessments if a.municipality == code]
        assert len(cards) == len(mine), m.slug
        for a in mine:
            card = cards[f"{a.id}/"]
            card_text = text(card)
            assert a.form in card_text and a.form_name in card_text and a.form_version in card_text
            assert a.basic_info.affair.name in text(_fact(card, "事務"))
            # contractors: every company of data/entrustments.json for this assessment, linked to a 委託事項
            shown = _fact(card, "委託先")
            names = {text(x) for x in shown.select("a")}
            rows = [r for r in entrust if r["assessment_id"] == a.id]
            companies = {r["company"] for r in rows if r["company"]}
            assert companies <= names, (a.id, companies - names)
            assert f"委託事項 {len({r['permalink'] for r in rows})} 件" in text(shown) or not rows
            # 保管期間: one line per file, as data/retention.json
            lines = [text(li) for li in _fact(card, "保管期間").select("li")]
            want = [f"{r['file']}: {r['retention'] or '（記載なし）'}" for r in retention if r["assessment_id"] == a.id]
            noted = [any(n.path == f"files[{i}].retention" or n.path.startswith(f"files[{i}].retention.") for n in a.transcription_notes)
                     for i in range(len(want))]
            assert lines == [w + (" （⚠ 転記メモあり）" if n else "") for w, n in zip(want, noted)], a.id
            # answers other than 「十分である」 on its scale, counted by answer
            got = Counter(r["answer"] for r in answers if r["assessment_id"] == a.id and r["kind"] == "choice"
                          and r["answer"] in C.SUFFICIENCY and r["answer"] != "十分である")
            concern = text(_fact(card, "「十分である」以外の自己評価"))
            if got:
                for ans, n in got.items():
                    assert f"{ans} {n} 件" in concern, (a.id, ans, n, concern)
            else:
                assert "なし（0 件）" in concern
            n_found = sum(1 for f in findings if f["assessment_id"] == a.id)
            assert (f"{n_found} 件" if n_found else "なし（0 件）") in text(_fact(card, "点検結果"))
            for link in card.select("a[href]"):
                _target_exists(built_site, f"{m.slug}/", link["href"])
            checked += 1
    assert checked == len(corpus.assessments)


def test_key_facts_are_the_yamls_values(built_site):
    """The complete fixture, read as YAML: its affair, its files' 保管期間, its contractor as printed."""
    doc = yaml.safe_load((FIXTURES / "fixture-zenkomoku.yaml").read_text(encoding="utf-8"))
    card = _cards(built_site, "takatsuki")["fixture-zenkomoku/"]
    assert text(_fact(card, "事務")).startswith(doc["basic_info"]["affair"]["name"])
    assert doc["basic_info"]["affair"]["target_people"] in text(_fact(card, "事務"))
    files = [li for li in _fact(card, "保管期間").select("li")]
    noted = [any(n["path"].startswith(f"files[{i}].retention") for n in doc["transcription_notes"]) for i in range(len(doc["files"]))]
    assert noted[0]  # the fixture has a note on files[0]'s 保管期間: the card says so
    assert [text(li) for li in files] == [f"{f['name']}: {f['retention']['period']['period']}" + (" （⚠ 転記メモあり）" if n else "")
                                         for f, n in zip(doc["files"], noted)]
    assert [li.a["href"] for li in files] == [f"fixture-zenkomoku/#file-{i}-retention" for i in range(1, len(doc["files"]) + 1)]
    printed = [it["contractor"] for f in doc["files"] for it in (f.get("entrustment") or {}).get("items", []) if it.get("contractor")]
    shown = text(_fact(card, "委託先"))
    assert printed and all(p in shown for p in printed), (printed, shown)
    subcontracted = sum(it.get("subcontract") == "再委託する" for f in doc["files"] for it in (f.get("entrustment") or {}).get("items", []))
    assert f"うち再委託する {subcontracted} 件" in shown


def test_a_cell_that_names_no_company_is_not_shown_as_one(built_site, corpus):
    """「未定」 (site_config's not_company_names) is shown as the printed cell, apart from the company names."""
    cells = [(a, it.contractor) for a in corpus.assessments for f in a.files if f.entrustment
             for it in f.entrustment.items if it.contractor and it.contractor.strip() == "未定"]
    assert cells, "the real content has a 「未定」 contractor (横浜市)"
    a, cell = cells[0]
    card = _cards(built_site, corpus.municipalities[a.municipality].slug)[f"{a.id}/"]
    shown = _fact(card, "委託先")
    assert "委託先名「未定」" in text(shown)
    names = [text(x) for x in shown.select("a")]
    assert names.count("未定") == 1  # once, as the printed cell, not also as a company


def test_hostile_text_on_the_municipality_page_is_text(built_site):
    hostile = built_site.hostile_paths["fixture-hostile"]
    card = _cards(built_site, "takatsuki")["fixture-hostile/"]
    shown = text(card)
    for path in ("basic_info.affair.name", "files[0].name", "files[1].name"):
        assert hostile[path] in shown, path
    html = built_site.page("takatsuki/index.html")
    assert "<script>alert" not in html and "<img src=x" not in html


# ---- the city picker ----------------------------------------------------------------------------


def test_picker_lists_every_municipality_by_prefecture_in_code_order(built_site, corpus):
    for url in ("municipalities/", ""):
        page = soup(built_site.page(url + "index.html"))
        groups = page.select("[data-hy-cities] section.hy-pref")
        got = [(text(g.select_one(".hy-pref__name")), [(text(li.a), li.a["href"]) for li in g.select("li")]) for g in groups]
        want: dict[str, list] = {}
        for code, m in sorted(corpus.municipalities.items()):
            href = f"../{m.slug}/" if url else f"{m.slug}/"
            want.setdefault(m.prefecture, []).append((m.name, href))
        assert got == list(want.items()), url
        # plain links without JavaScript: the filter form is hidden until the script shows it
        assert page.select_one("form.hy-city-filter").has_attr("hidden")
        for _, items in got:
            for _, href in items:
                _target_exists(built_site, url, href)


def test_picker_counts_each_municipalitys_documents(built_site, corpus):
    page = soup(built_site.page("municipalities/index.html"))
    for code, m in corpus.municipalities.items():
        li = next(li for li in page.select("li[data-hy-match]") if li.a["href"] == f"../{m.slug}/")
        a = sum(d.municipality == code for d in corpus.assessments)
        r = sum(d.municipality == code for d in corpus.council_records)
        assert f"評価書 {a} 件・審議会記録 {r} 件・団体コード {code}" in text(li)


def test_one_nav_entry_for_the_picker_whatever_the_corpus(built_site, corpus):
    for path in ("index.html", "takatsuki/index.html", "takatsuki/fixture-zenkomoku/index.html"):
        nav = soup(built_site.page(path)).select("nav.md-nav--primary > ul > li > a, nav.md-nav--primary > ul > li > label")
        labels = [text(a).strip() for a in nav]
        assert labels.count("都市を選ぶ") == 1, labels
        hrefs = [a["href"] for a in soup(built_site.page(path)).select("nav.md-nav--primary a[href]")]
        assert not any(h.rstrip("/").endswith(m.slug) for h in hrefs for m in corpus.municipalities.values()), hrefs


# ---- JSON twins ---------------------------------------------------------------------------------


def test_home_municipality_and_picker_pages_have_json_twins_with_what_they_show(built_site, corpus):
    home = _twin(built_site, "")
    assert home["counts"] == {"municipalities": len({d.municipality for d in [*corpus.assessments, *corpus.council_records]}),
                              "assessments": len(corpus.assessments), "records": len(corpus.council_records)}
    home_page = soup(built_site.page("index.html"))
    latest = home_page.select("table.hy-table tbody tr")  # the one table of the home page: 最近公表された評価書
    assert home["latest"] and [x["href"] for x in home["latest"]] == [tr.select("a")[1]["href"] for tr in latest]
    picker = _twin(built_site, "municipalities/")
    names = lambda groups: [(g["prefecture"], [c["name"] for c in g["municipalities"]]) for g in groups]  # noqa: E731
    assert names(picker["groups"]) == names(home["municipalities"])
    assert [c["href"] for g in home["municipalities"] for c in g["municipalities"]] == [c["href"].removeprefix("../") for g in picker["groups"] for c in g["municipalities"]]
    assert sum(len(g["municipalities"]) for g in picker["groups"]) == len(corpus.municipalities)
    for code, m in corpus.municipalities.items():
        twin = _twin(built_site, f"{m.slug}/")
        assert (twin["name"], twin["prefecture"], twin["code"]) == (m.name, m.prefecture, code)
        cards = _cards(built_site, m.slug)
        assert [a["href"] for a in twin["assessments"]] == list(cards)
        for a in twin["assessments"]:
            card = cards[a["href"]]
            f = a["facts"]
            assert [f"{r['file']}: {r['period'] or '（記載なし）'}" + (" （⚠ 転記メモあり）" if r["noted"] else "") for r in f["retention"]] \
                == [text(li) for li in _fact(card, "保管期間").select("li")]
            assert [c["href"] for c in f["contractors"]] == [x["href"] for x in _fact(card, "委託先").select("a")][: len(f["contractors"])]
            assert f["findings"] == len([1 for d in _data(built_site, "findings") if d["assessment_id"] == a["href"].rstrip("/")])
        # links in the twin resolve from the twin's folder, as they do from the page
        for a in twin["assessments"]:
            _target_exists(built_site, f"{m.slug}/", a["href"])
        assert "<" not in json.dumps([a["facts"]["concerns"] for a in twin["assessments"]])


def test_municipality_pages_link_site_relative_whatever_the_site_url():
    """The key facts come from the build's shared open-data rows (hyoka.export.Rows.of), whose permalinks
    carry the site's URL; a municipality page links within the site all the same (same page, same twin)."""
    from realcontent import ROOT
    from realcontent import corpus as real_corpus

    from hyoka.export import Rows
    from hyoka.site import SiteContext
    from hyoka.views import municipality

    c = real_corpus()
    plain_ctx = SiteContext(site_config_dir=str(ROOT / "site_config"))
    url_ctx = SiteContext(site_config_dir=str(ROOT / "site_config"), site_url="https://example.org/portal/")
    a = list(municipality.generate(c, plain_ctx))
    b = list(municipality.generate(c, url_ctx))
    assert Rows.of(c, url_ctx).link(c.assessments[0], None).startswith("https://example.org/portal/")
    assert len(a) == len(b) > 1
    for x, y in zip(a, b):
        assert (x.path, x.markdown, x.data) == (y.path, y.markdown, y.data)
    assert "example.org" not in "".join(p.markdown for p in b)
