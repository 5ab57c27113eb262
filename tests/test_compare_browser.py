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
