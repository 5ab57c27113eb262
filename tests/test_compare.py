"""Comparison pages (hyoka.views.compare) over the real content + fixtures, checked against the models and
against the open data's rows (hyoka.export: one source for both)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote
from collections import defaultdict

import pytest

from fixtures.search.support import shared_corpus, shared_project, shared_registry
from htmlquery import soup, text
from hyoka import anchors as A
from hyoka.choices import RETENTION
from hyoka.documents import NO_RETENTION, risk_key
from hyoka.site import Page, SiteContext
from hyoka.views import compare


def _ctx() -> SiteContext:
    return SiteContext(site_config_dir=str(shared_project() / "site_config"))


@pytest.fixture(scope="module")
def outputs():
    items = list(compare.generate(shared_corpus(), _ctx()))
    return {i.path: i for i in items}


class Rows:
    """<tr data-row> (attributes, cells' text, hrefs) per table id, the attributes of their cells, and the
    group-head rows' text, from the HTML of one page."""

    def __init__(self, html_text: str):
        self.tables: dict[str, list[dict]] = defaultdict(list)
        self.cells: dict[str, list[dict]] = defaultdict(list)
        self.heads: dict[str, list[str]] = defaultdict(list)
        for table in soup(html_text).find_all("table"):
            tid = table.get("id")
            for tr in table.select("tr[data-row]"):
                self.tables[tid].append({"attrs": dict(tr.attrs), "text": text(tr),
                                         "hrefs": [a.get("href") for a in tr.find_all("a")],
                                         "cells": [text(c) for c in tr.find_all(["td", "th"])]})
                self.cells[tid] += [dict(td.attrs) for td in tr.find_all("td")]
            self.heads[tid] += [text(tr) for tr in table.select("tr.hyoka-group-head:not([data-row])")]


def parse(page: Page) -> Rows:
    return Rows(page.markdown)


def test_pages_assets_and_nav(outputs):
    pages = [o for o in outputs.values() if isinstance(o, Page)]
    assert {p.path for p in pages} == {"compare/index.md", "compare/contractors.md", "compare/retention.md", "compare/risks.md"}
    assert all(p.in_nav for p in pages)
    from hyoka import assets
    assert "assets/hyoka-filter.js" in dict(assets.files())  # a static file the plugin publishes (hyoka.assets)
    for p in pages[1:]:
        assert "hyoka-filter.js" in p.markdown and 'class="hyoka-filter"' in p.markdown
    assert not [o for o in outputs.values() if not isinstance(o, Page)]  # the JSON is each page's twin (Page.data)


def test_compare_is_a_core_view_and_hyoka_search_has_no_compare():
    import importlib.util

    from hyoka import views
    assert compare in views.VIEWS and views.VIEWS.index(compare) < views.VIEWS.index(views.home)
    assert importlib.util.find_spec("hyoka_search.compare") is None


def _csv(page: Page) -> dict:
    """The open-data rows a page embeds for its CSV buttons (<script class="hyoka-csv-data">)."""
    import json

    el = soup(page.markdown).select_one("script.hyoka-csv-data")
    return {"table": el["data-csv-table"], **json.loads(el.string)}


@pytest.mark.parametrize("path,table", [("compare/contractors.md", "entrustments"), ("compare/retention.md", "retention")])
def test_the_tables_rows_are_the_open_data_rows(outputs, path, table):
    """The entrustment and retention tables come from the same rows as data/<table>.csv (hyoka.export.Rows):
    the page's rows, in its columns, are exactly the open data's, and each page row names the rows it shows."""
    from hyoka.export import TABLES, Rows

    data = Rows(shared_corpus(), _ctx()).table(table)
    cols = [c for c, _ in TABLES[table][1]]
    embedded = _csv(outputs[path])
    assert embedded["table"] == table and embedded["columns"] == cols
    assert embedded["rows"] == [[r[c] for c in cols] for r in data]
    # every open-data row is shown by some row of the page's main table, and every page row names real rows
    tid = {"entrustments": "entrustments", "retention": "retention"}[table]
    named = []
    for tr in soup(outputs[path].markdown).select(f"#{tid} tr[data-row]"):
        idx = [int(i) for i in tr["data-csv-rows"].split()]
        named += idx
        # the row's link is the open-data row's permalink (relative to the page)
        link = data[idx[0]]["permalink"]
        assert any(a.get("href", "").endswith(link.split("/", 1)[1]) for a in tr.find_all("a")), (link, tr)
    company_rows = [i for i, r in enumerate(data) if r.get("company", "x")]
    assert sorted(named) == company_rows


def test_risk_cells_are_answers_rows(outputs):
    """Every answer in the matrix is an `answers` row (key <risk>/リスクへの対策は十分か) with that answer."""
    from hyoka.export import Rows

    answers = Rows(shared_corpus(), _ctx()).table("answers")
    embedded = _csv(outputs["compare/risks.md"])
    cols = embedded["columns"]
    as_dicts = [dict(zip(cols, r)) for r in embedded["rows"]]
    assert all(d in answers for d in as_dicts)
    for td in soup(outputs["compare/risks.md"].markdown).select("#risk-matrix td[data-csv-rows]"):
        for i in td["data-csv-rows"].split():
            d = as_dicts[int(i)]
            assert d["key"] == f'{td["data-risk"]}/リスクへの対策は十分か' and d["assessment_id"] == td["data-aid"]
            assert (d["answer"] or "記載なし") in td["data-cell-answer"].split(" ")


def test_pages_have_json_twins_from_their_context(outputs):
    for path in ("compare/index.md", "compare/contractors.md", "compare/retention.md", "compare/risks.md"):
        data = outputs[path].data
        assert data and data["title"] == outputs[path].title
    twin = outputs["compare/contractors.md"].data
    assert {c["name"] for c in twin["companies"]} >= {"株式会社アイネス"}
    assert twin["csv"]["rows"] and "_json" not in twin["csv"]
    assert outputs["compare/index.md"].data["charts"][2]["bars"][0]["href"].startswith("retention/?retention=")


def _expected_companies():
    reg = shared_registry()
    corpus = shared_corpus()
    cities: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, set[str]] = defaultdict(set)
    for a in corpus.assessments:
        for f in a.files:
            for e in f.entrustment.items if f.entrustment else []:
                for m in reg.mentions(e.contractor):
                    if not m.not_a_name:
                        cities[m.group_id].add(a.municipality)
                        spellings[m.group_id].add(m.original)
    return cities, spellings


def test_companies_in_several_cities_are_listed_with_all_their_cities(outputs):
    rows = parse(outputs["compare/contractors.md"]).tables["companies"]
    cities, spellings = _expected_companies()
    listed = {r["attrs"]["data-company"]: set(r["attrs"]["data-city"].split()) for r in rows}
    assert set(listed) == set(cities)
    for gid, codes in cities.items():
        assert listed[gid] == codes
    multi = [gid for gid, codes in cities.items() if len(codes) > 1]
    assert multi, "the fixtures share 株式会社アイネス between three cities"
    # several cities first
    counts = [len(r["attrs"]["data-city"].split()) for r in rows]
    assert counts == sorted(counts, reverse=True)
    # every printed spelling is shown as printed
    text = html.unescape(outputs["compare/contractors.md"].markdown)
    for gid, spell in spellings.items():
        for s in spell:
            assert s in text


def test_each_entrustment_is_listed_with_its_subcontract(outputs):
    rows = parse(outputs["compare/contractors.md"]).tables["entrustments"]
    reg = shared_registry()
    expected = set()
    for a in shared_corpus().assessments:
        for fi, f in enumerate(a.files, 1):
            for e in f.entrustment.items if f.entrustment else []:
                for m in reg.mentions(e.contractor):
                    if not m.not_a_name:
                        expected.add((m.group_id, a.municipality, a.id, A.entrustment(fi, e.no), e.subcontract or ""))
    got = set()
    for r in rows:
        href = next(h for h in r["hrefs"] if "#file-" in h)
        aid, anchor = re.search(r"([^/]+)/#(file-[\w-]+)$", href).groups()
        got.add((r["attrs"]["data-company"], r["attrs"]["data-city"], aid, anchor, r["attrs"]["data-subcontract"]))
    assert got == expected


def test_every_file_is_in_its_retention_group(outputs):
    page = outputs["compare/retention.md"]
    parsed = parse(page)
    rows = parsed.tables["retention"]
    expected = set()
    for a in shared_corpus().assessments:
        for fi, f in enumerate(a.files, 1):
            period = f.retention.period.period if f.retention and f.retention.period and f.retention.period.period else NO_RETENTION
            expected.add((a.id, A.retention(fi), period))
    got = set()
    for r in rows:
        href = next(h for h in r["hrefs"] if "#file-" in h)
        aid = href.split("#")[0].rstrip("/").split("/")[-1]
        got.add((aid, href.split("#")[1], r["attrs"]["data-retention"]))
    assert got == expected
    # groups follow the official order
    heads = [h.split("（")[0] for h in parsed.heads["retention"]]
    order = [*RETENTION, NO_RETENTION]
    assert heads == sorted(heads, key=order.index)
    # the chart is inline SVG with one bar per choice
    assert "<svg" in page.markdown and page.markdown.count('<rect class="bar"') >= len(RETENTION)
    # each bar is a link to the table filtered by its period
    assert f'href="?retention={quote("5年")}"' in page.markdown
    assert "http://" not in page.markdown.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_risk_matrix_has_one_cell_per_risk_and_assessment(outputs):
    parsed = parse(outputs["compare/risks.md"])
    cells = parsed.cells["risk-matrix"]
    present = {(c["data-risk"], c["data-aid"]) for c in cells if c.get("data-present") == "1"}
    expected = set()
    for a in shared_corpus().assessments:
        for fr in a.risks:
            for s in fr.sections:
                for r in s.risks:
                    expected.add((risk_key(s.no, r.title), a.id))
                # 委託 printed as five blocks: the shared 「リスクへの対策は十分か」 is the cell of Ⅲ-4/R1-5 (issue 15)
                if len(s.risks) > 1 and any(i.label == "リスクへの対策は十分か" for i in s.items):
                    expected.add((f"Ⅲ-{s.no}/R1-{len(s.risks)}", a.id))
        # 様式2 Ⅳ2…Ⅳ7 ask 「<risk>への対策は十分か」 of 様式4's Ⅲ risks (issue 15)
        for s in a.other_measures if a.form == "様式2" else []:
            for i in s.items:
                if i.label.endswith("への対策は十分か"):
                    expected.add((risk_key(s.no, i.label.removesuffix("への対策は十分か")), a.id))
    assert ("Ⅲ-4/R1-5", "takatsuki-juki-kiso") in expected and ("Ⅲ-2/R1", "takatsuki-juki-kiso") in expected
    assert present == expected
    rows = parsed.tables["risk-matrix"]
    n_cols = len({aid for _, aid in expected})
    assert len(rows) == len({k for k, _ in expected})
    assert len(cells) == len(rows) * n_cols


def test_risk_cells_link_to_the_answer_and_show_text_not_only_colour(outputs):
    md = outputs["compare/risks.md"].markdown
    # fixture-kazo-yobo: Ⅲ-2 リスク２ answered 課題が残されている at item 1
    assert f'fixture-kazo-yobo/#{A.risk_item(1, "2", 2, 1)}' in md
    assert "▲ 課題が残されている" in md and "◎ 特に力を入れている" in md
    # 様式3 and 様式4 line up on one row: 目的外の入手 of kazo (様式3) and koshigaya (様式4)
    rows = parse(outputs["compare/risks.md"]).tables["risk-matrix"]
    row = next(r for r in rows if r["attrs"]["data-risk"] == risk_key("2", "リスク１：目的外の入手が行われるリスク"))
    assert "fixture-kazo-yobo" in " ".join(row["hrefs"]) and "fixture-koshigaya-zei" in " ".join(row["hrefs"])


def test_issues_and_strong_answers_are_listed(outputs):
    parsed = parse(outputs["compare/risks.md"])
    issues = parsed.tables["issues"]
    expected = 0
    for a in shared_corpus().assessments:
        for fr in a.risks:
            for s in fr.sections:
                expected += sum(1 for r in s.risks for i in r.items if i.answer in ("課題が残されている", "十分に行っていない"))
                expected += sum(1 for i in s.items if i.answer in ("課題が残されている", "十分に行っていない"))
        expected += sum(1 for s in a.other_measures for i in s.items if i.answer in ("課題が残されている", "十分に行っていない"))
    assert len(issues) == expected
    assert parsed.tables["strong"]


def test_counts_per_answer_per_city(outputs):
    rows = parse(outputs["compare/risks.md"]).tables["risk-counts"]
    total = sum(int(r["cells"][-1]) for r in rows)
    n_risks = sum(len(s.risks) for a in shared_corpus().assessments for fr in a.risks for s in fr.sections)
    assert total == n_risks


def test_yaml_text_is_escaped(outputs):
    for o in outputs.values():
        if isinstance(o, Page):
            assert "<img src=x" not in o.markdown and "<script>alert" not in o.markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in outputs["compare/retention.md"].markdown


def test_risk_matrix_lines_up_entrustment_across_forms_and_versions(outputs):
    """Issue 15: Ⅲ-4 (委託) is one row for 様式2's Ⅳ4 question, 様式3's single risk, 平成30年 様式4's joint block of
    five titles, and the shared answer of the versions that print the five risks apart."""
    rows = parse(outputs["compare/risks.md"]).tables["risk-matrix"]
    row = next(r for r in rows if r["attrs"]["data-risk"] == "Ⅲ-4/R1-5")
    hrefs = " ".join(row["hrefs"])
    for aid, anchor in (("takatsuki-juki-kiso", A.other_measure(4, 2)),                    # 様式2 Ⅳ4
                        ("kazo-yobosesshu-juten", A.risk_item(1, "4", 1, 6)),              # 様式3, one risk
                        ("yokohama-yobosesshu-zenkomoku", A.risk_item(1, "4", 1, 16)),     # 様式4, one joint block
                        ("koshigaya-shingata-influenza-yobosesshu-zenkomoku", A.risk_section_item(1, "4", 2))):  # five blocks
        assert f"{aid}/#{anchor}" in hrefs, aid
    # the five single risks stay rows of their own, and carry no answer of the joint block
    singles = [r for r in rows if r["attrs"]["data-risk"] in {f"Ⅲ-4/R{k}" for k in range(1, 6)}]
    assert len(singles) == 5 and not any("yokohama-yobosesshu-zenkomoku" in " ".join(r["hrefs"]) for r in singles)


def test_embedded_rows_cannot_end_their_script(outputs):
    """The rows for the CSV buttons sit in <script type="application/json">: text from content/ (the fixtures'
    <img src=x onerror=…>) is there as \\u003c escapes, never as markup, and reads back as printed."""
    import json

    for path in ("compare/contractors.md", "compare/retention.md", "compare/risks.md"):
        md = outputs[path].markdown
        start = md.index('<script type="application/json"')
        body = md[md.index(">", start) + 1:md.index("</script>", start)]
        assert "<" not in body and ">" not in body and "&" not in body
        json.loads(body)
    rows = _csv(outputs["compare/retention.md"])["rows"]
    assert any("<img src=x onerror=alert(1)>" in (cell or "") for r in rows for cell in r)


def test_built_site_has_the_twins(tmp_path):
    """A real `mkdocs build`: each compare page's twin is written at compare/<page>/index.json."""
    import json

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = shared_project()
    site = tmp_path / "site"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    for page in ("", "contractors/", "retention/", "risks/"):
        data = json.loads((site / "compare" / page / "index.json").read_text(encoding="utf-8"))
        assert data["title"]
    assert not (site / "compare" / "contractors.json").exists()
