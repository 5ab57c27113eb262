"""Comparison pages in a real browser: filters narrow the tables, the URL carries the state, reload keeps it.

The site (real content + fixtures) is built once per test process with MkDocs into a tmp project
and served on 127.0.0.1 by http.server in a thread; Debian's chromium is driven by Playwright.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlparse

import pytest

from browsing import serve
from fixtures.search.support import shared_index_dir, shared_project



class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def built_site():
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = shared_project()
    shared_index_dir()  # the index exists already: the build only checks it (incremental)
    handler = _Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        build(cfg)
    finally:
        logger.removeHandler(handler)
    return root / "site", handler.records


@pytest.fixture(scope="module")
def server(built_site):
    site, _ = built_site
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def visible_rows(page, table_id: str) -> int:
    return page.locator(f"#{table_id} tbody tr[data-row]:not([hidden])").count()


def test_build_warns_about_unknown_company_spellings(built_site):
    _, records = built_site
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert any("株式会社フィクスチャ未登録" in w and "companies.yaml" in w for w in warnings)


def test_contractors_filter_by_city_url_and_reload(server, page):
    page.goto(server + "compare/contractors/")
    total = visible_rows(page, "entrustments")
    assert total > 0
    page.select_option("form.hyoka-filter select[name=city]", "112224")
    narrowed = visible_rows(page, "entrustments")
    assert 0 < narrowed < total
    cities = page.eval_on_selector_all("#entrustments tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.city)")
    assert set(cities) == {"112224"}
    assert parse_qs(urlparse(page.url).query) == {"city": ["112224"]}
    page.reload()
    assert page.locator("form.hyoka-filter select[name=city]").input_value() == "112224"
    assert visible_rows(page, "entrustments") == narrowed
    assert not page.errors


def test_contractors_filter_by_company_and_text(server, page):
    page.goto(server + "compare/contractors/?company=株式会社アイネス")
    rows = page.eval_on_selector_all("#entrustments tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.company)")
    assert rows and set(rows) == {"株式会社アイネス"}
    page.fill("form.hyoka-filter input[name=q]", "㈱アイネス")  # NFKC: also matches 「（株）アイネス」
    assert visible_rows(page, "entrustments") == 2
    assert "q=" in page.url and "company=" in page.url
    page.click("form.hyoka-filter button[type=reset]")
    page.wait_for_function("() => !location.search")
    assert visible_rows(page, "entrustments") > len(rows)


def test_retention_filter(server, page):
    page.goto(server + "compare/retention/")
    total = visible_rows(page, "retention")
    page.select_option("form.hyoka-filter select[name=retention]", "5年")
    shown = page.eval_on_selector_all("#retention tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.retention)")
    assert shown and set(shown) == {"5年"} and len(shown) < total
    # group heads of other periods are hidden
    heads = page.eval_on_selector_all("#retention tr.hyoka-group-head:not([hidden])", "hs => hs.map(h => h.textContent)")
    assert len(heads) == 1 and heads[0].startswith("5年")
    page.reload()
    assert visible_rows(page, "retention") == len(shown)


def test_risk_matrix_filter_by_answer_and_city_columns(server, page):
    page.goto(server + "compare/risks/?answer=課題が残されている&city=112101")
    assert page.locator("form.hyoka-filter select[name=answer]").input_value() == "課題が残されている"
    rows = page.locator("#risk-matrix tbody tr[data-row]:not([hidden])")
    assert rows.count() >= 1
    # columns of other cities are hidden; every visible row has a visible 課題 cell of 加須市
    hidden_cols = page.eval_on_selector_all("#risk-matrix thead th[data-col]", "ths => ths.filter(t => t.hidden).map(t => t.dataset.colCity)")
    assert hidden_cols and "112101" not in hidden_cols
    ok = page.eval_on_selector_all(
        "#risk-matrix tbody tr[data-row]:not([hidden])",
        "rs => rs.every(r => [...r.querySelectorAll('td[data-cell-answer]')].some(c => !c.hidden && c.dataset.colCity === '112101' && c.dataset.cellAnswer.split(' ').includes('課題が残されている')))",
    )
    assert ok
    issues = page.eval_on_selector_all("#issues tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.city + r.dataset.answer)")
    assert issues and set(issues) == {"112101課題が残されている"}
    page.select_option("form.hyoka-filter select[name=answer]", "")
    assert "answer=" not in page.url and "city=112101" in page.url
    assert not page.errors


# ---- issue 16: counters, history, CSV of the open-data rows, charts, phone width, axe -------------------------

PAGES = ("compare/", "compare/contractors/", "compare/retention/", "compare/risks/")


def _ctx():
    from hyoka.site import SiteContext

    return SiteContext(site_config_dir=str(shared_project() / "site_config"))


def _open_data(table: str) -> tuple[list[dict], list[str]]:
    from fixtures.search.support import shared_corpus
    from hyoka.export import TABLES, Rows

    return Rows(shared_corpus(), _ctx()).table(table), [c for c, _ in TABLES[table][1]]


def _counters(page) -> list[tuple[str, str, int, int]]:
    """(table id, its counter's text, rows, visible rows) of every filterable table."""
    return page.eval_on_selector_all(
        "table.hyoka-filterable",
        """ts => ts.map(t => [t.id, (document.querySelector('.hyoka-table-count[data-count-for="' + t.id + '"]') || {}).textContent,
                   t.querySelectorAll('tbody tr[data-row]').length, t.querySelectorAll('tbody tr[data-row]:not([hidden])').length])""")


def test_every_table_has_its_own_counter(server, page):
    page.goto(server + "compare/contractors/?q=" + "再委託する")
    counters = _counters(page)
    assert {t for t, *_ in counters} >= {"companies", "entrustments", "cities"}
    for tid, text, total, shown in counters:
        assert text == f"{total} 行中 {shown} 行を表示", tid
    shown = dict((t, s) for t, _, _, s in counters)
    assert shown["entrustments"] > 0  # the 委託事項 rows that say 再委託する (the old single counter said 0)
    summary = page.locator("form.hyoka-filter .hyoka-count").inner_text()
    assert f"委託事項の一覧（会社別）: {dict((t, n) for t, _, n, _ in counters)['entrustments']} 行中 {shown['entrustments']} 行を表示" in summary
    page.goto(server + "compare/retention/")
    (tid, text, total, shown), = [c for c in _counters(page) if c[0] == "retention"]
    assert text == f"{total} 行（すべて表示）" and shown == total


@pytest.mark.parametrize("path,table", [("compare/contractors/", "entrustments"), ("compare/retention/", "retention"),
                                        ("compare/risks/", "risk-matrix")])
def test_the_placeholder_gives_results(server, page, path, table):
    page.goto(server + path)
    box = page.locator("form.hyoka-filter input[name=q]")
    example = box.get_attribute("placeholder")
    assert example and example.startswith("例: ")
    box.fill(example.removeprefix("例: "))
    assert visible_rows(page, table) > 0


def test_filter_changes_push_history_and_back_restores_the_form(server, page):
    page.goto(server + "compare/contractors/")
    all_rows = visible_rows(page, "entrustments")
    page.select_option("form.hyoka-filter select[name=city]", "112224")
    city_rows = visible_rows(page, "entrustments")
    page.select_option("form.hyoka-filter select[name=company]", "株式会社アイネス")
    assert parse_qs(urlparse(page.url).query) == {"city": ["112224"], "company": ["株式会社アイネス"]}
    both = visible_rows(page, "entrustments")
    assert both <= city_rows < all_rows
    page.go_back()
    page.wait_for_function("() => !location.search.includes('company=')")
    assert parse_qs(urlparse(page.url).query) == {"city": ["112224"]}
    assert page.locator("form.hyoka-filter select[name=company]").input_value() == ""
    assert page.locator("form.hyoka-filter select[name=city]").input_value() == "112224"
    assert visible_rows(page, "entrustments") == city_rows
    page.go_back()
    page.wait_for_function("() => !location.search")
    assert urlparse(page.url).path.endswith("/compare/contractors/")  # still on the page, the first state
    assert page.locator("form.hyoka-filter select[name=city]").input_value() == ""
    assert visible_rows(page, "entrustments") == all_rows
    page.go_forward()
    page.wait_for_function("() => location.search.includes('city=')")
    assert visible_rows(page, "entrustments") == city_rows
    # typing a word is one history entry, not one per letter
    page.locator("form.hyoka-filter input[name=q]").press_sequentially("アイネス")
    page.wait_for_function("() => location.search.includes('q=')")
    page.go_back()
    page.wait_for_function("() => !location.search.includes('q=')")
    assert page.locator("form.hyoka-filter input[name=q]").input_value() == ""
    assert parse_qs(urlparse(page.url).query) == {"city": ["112224"]}
    assert not page.errors


def _download(page, table_id: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"button[data-csv-for={table_id}]")
    return open(info.value.path(), "rb").read()


def test_csv_download_is_the_open_data_rows_filtered(server, page):
    """The CSV of a filtered table is data/entrustments.csv's rows of what is shown, by the one CSV writer
    (hyoka.csvout): same columns, the permalink column, no screen text such as 「該当箇所へ」."""
    from hyoka.csvout import dict_rows_csv

    rows, cols = _open_data("entrustments")
    page.goto(server + "compare/contractors/?city=112224")
    got = _download(page, "entrustments")
    expected = [r for r in rows if r["municipality_code"] == "112224" and r["company"]]
    assert expected and got == dict_rows_csv(expected, cols)
    assert b"permalink" in got.split(b"\r\n")[0]
    # the company table's CSV: every row of the companies shown (here: one company)
    page.goto(server + "compare/contractors/?company=株式会社アイネス")
    got = _download(page, "companies")
    assert got == dict_rows_csv([r for r in rows if r["company"] == "株式会社アイネス"], cols)


def test_csv_download_of_the_risk_matrix_keeps_the_cells_shown(server, page):
    from hyoka.csvout import dict_rows_csv

    rows, cols = _open_data("answers")
    page.goto(server + "compare/risks/?answer=課題が残されている&city=112101")
    got = _download(page, "risk-matrix")
    cells = [r for r in rows if r["risk"] and r["key"] == r["risk"] + "/リスクへの対策は十分か"
             and r["answer"] == "課題が残されている" and r["municipality_code"] == "112101"]
    assert cells and got == dict_rows_csv(cells, cols)
    text = got.decode("utf-8-sig")
    assert "該当箇所へ" not in text and all(line.count(",") >= len(cols) - 1 for line in text.split("\r\n") if line)
    got = _download(page, "issues")
    issues = [r for r in rows if r["answer"] == "課題が残されている" and r["municipality_code"] == "112101"
              and r["section"][:1] in ("Ⅲ", "Ⅳ")]
    assert got == dict_rows_csv(issues, cols)


def test_overview_charts_link_to_the_filtered_tables(server, page):
    page.goto(server + "compare/")
    for cid in ("chart-cities", "chart-shared", "chart-retention", "chart-answers"):
        svg = page.locator(f"svg#{cid}-svg")
        assert svg.get_attribute("role") == "img" and svg.locator("a").count() == 0  # an image: nothing inside is interactive
        assert page.locator(f"#{cid}-title").text_content() and page.locator(f"#{cid}-desc").text_content()
        # the numbers are also a table, with the same links
        bars = page.eval_on_selector_all(f".hyoka-chart-box:has(#{cid}-svg) a.hyoka-bar-link", "as => as.map(a => a.getAttribute('href'))")
        table = page.eval_on_selector_all(f"#{cid}-table tbody a", "as => as.map(a => a.getAttribute('href'))")
        assert bars and bars == table
    page.locator(".hyoka-chart-box:has(#chart-retention-svg) a.hyoka-bar-link[aria-label^='5年:']").click()
    page.wait_for_url("**/compare/retention/?retention=*")
    assert page.locator("form.hyoka-filter select[name=retention]").input_value() == "5年"
    shown = page.eval_on_selector_all("#retention tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.retention)")
    assert shown and set(shown) == {"5年"}
    page.go_back()
    page.locator(".hyoka-chart-box:has(#chart-shared-svg) a.hyoka-bar-link").first.click()
    page.wait_for_url("**/compare/contractors/?company=*")
    company = page.locator("form.hyoka-filter select[name=company]").input_value()
    assert company and visible_rows(page, "companies") == 1
    page.go_back()
    page.locator(".hyoka-chart-box:has(#chart-answers-svg) a.hyoka-bar-link").first.click()
    page.wait_for_url("**/compare/risks/?answer=*")
    assert page.locator("form.hyoka-filter select[name=answer]").input_value() not in ("", "十分である")
    assert not page.errors


@pytest.mark.parametrize("width", [1280, 390])
def test_charts_labels_are_readable_and_pages_fit_the_width(browser, server, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP",
                              **({"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if width < 600 else {}))
    pg = ctx.new_page()
    try:
        pg.goto(server + "compare/")
        sizes = pg.eval_on_selector_all(
            "svg.hyoka-chart text", "ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
        assert sizes and min(sizes) >= 12 - 0.01, min(sizes)
        for path in (*PAGES, "findings/"):
            pg.goto(server + path)
            pg.wait_for_load_state("networkidle")
            overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow)
            # a table wider than the column scrolls inside its own box
            wide = pg.eval_on_selector_all(
                "table.hyoka-table", """ts => ts.filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
                    .filter(t => !(t.parentElement.classList.contains('hyoka-scroll') && getComputedStyle(t.parentElement).overflowX === 'auto'))
                    .map(t => t.id)""")
            assert wide == [], (path, wide)
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing(browser, server, width, path):
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    pg = ctx.new_page()
    try:
        pg.goto(server + path + ("?city=112101" if path != "compare/" else ""))
        pg.wait_for_load_state("networkidle")
        results = Axe().run(pg)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert bad == [], bad
    finally:
        ctx.close()
