"""The assessment page in chromium (Playwright, Debian's chromium), at 1280 and 390 px: the first screen answers
who handles the data and how long it is kept; permalinks open the folded section they point into; ¶ copies the
link and says so; no horizontal overflow; axe finds nothing.  Values come from the YAML of content/."""

from __future__ import annotations

import pytest
from browsing import needs_chromium
from realcontent import real_doc

from hyoka import anchors as A

pytestmark = needs_chromium

REAL = {"takatsuki-juki-zenkomoku": "takatsuki/takatsuki-juki-zenkomoku/", "yokohama-yobosesshu-zenkomoku": "yokohama/yokohama-yobosesshu-zenkomoku/"}
SCREENS = {1280: (720, 1), 390: (844, 2)}  # width: (viewport height, screens allowed)


def _context(browser, width: int, **kw):
    height = SCREENS[width][0]
    if width == 390:
        return browser.new_context(viewport={"width": 390, "height": height}, device_scale_factor=2, is_mobile=True, has_touch=True, **kw)
    return browser.new_context(viewport={"width": width, "height": height}, **kw)


@pytest.fixture(params=[1280, 390], ids=["1280px", "390px"])
def width(request):
    return request.param


@pytest.fixture
def page(browser, width):
    ctx = _context(browser, width, locale="ja-JP")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def _bottom(pg, el) -> float:
    return pg.evaluate("(e) => e.getBoundingClientRect().bottom + window.scrollY", el.element_handle())


@pytest.mark.parametrize("doc_id", list(REAL))
def test_first_screen_shows_every_contractor_and_every_retention_period(page, server, width, doc_id):
    a = real_doc(doc_id)
    page.goto(server + REAL[doc_id])
    page.wait_for_load_state("networkidle")
    height, screens = SCREENS[width]
    limit = height * screens
    assert page.evaluate("window.scrollY") == 0
    contractors = [it.contractor for pf in a.files for it in (pf.entrustment.items if pf.entrustment else [])]
    periods = [pf.retention.period.period for pf in a.files]
    assert contractors and all(contractors) and all(periods)
    cells = page.locator("#summary .hy-brief-contractor")
    assert cells.count() == len(contractors)
    for i, name in enumerate(contractors):
        cell = cells.nth(i)
        assert cell.is_visible() and cell.inner_text().split() == name.split(), (i, name)
        assert _bottom(page, cell) <= limit, (name, _bottom(page, cell), limit)
    cells = page.locator("#summary .hy-brief-period")
    assert cells.count() == len(periods)
    for i, period in enumerate(periods):
        cell = cells.nth(i)
        assert cell.is_visible() and cell.inner_text().strip() == period
        assert _bottom(page, cell) <= limit, (period, _bottom(page, cell), limit)


def _in_view(pg, selector: str) -> bool:
    return pg.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
                      return r.height > 0 && r.top >= header - 1 && r.top < window.innerHeight; }""",
        selector,
    )


def _enclosing_details_open(pg, selector: str) -> bool:
    return pg.evaluate(
        """(sel) => { let n = document.querySelector(sel); const out = [];
                      for (; n; n = n.parentElement) if (n.tagName === 'DETAILS') out.push(n.open);
                      return out.length > 0 && out.every(Boolean); }""",
        selector,
    )


def test_a_permalink_into_a_folded_section_opens_it_and_shows_the_item(page, server):
    a = real_doc("takatsuki-juki-zenkomoku")
    last = a.risks[0].sections[-1]
    anchor = A.risk_item(1, last.no, 1, 1)  # Ⅲ, file 1, its last section, first risk, first item
    url = server + REAL[a.id]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("details[data-hy-fold][open]").count() == 0  # JavaScript folded every section
    assert not page.locator(f"#{anchor}").is_visible()
    # a fresh visit to the permalink
    page.goto(url + f"#{anchor}")
    page.wait_for_load_state("networkidle")
    assert _enclosing_details_open(page, f"#{anchor}") and _in_view(page, f"#{anchor}")
    assert page.locator("details[data-hy-fold][open]").count() == 1  # only the one it points into
    # the address changed in the page (hashchange)
    n = len(a.changes)
    page.evaluate(f"location.hash = '#{A.change(n)}'")
    page.wait_for_function(f"document.getElementById('{A.change(n)}').getBoundingClientRect().height > 0")
    assert _in_view(page, f"#{A.change(n)}")
    # a link of the first screen into a folded part (委託事項1 of file 1)
    page.evaluate("window.scrollTo(0, 0)")
    target = A.entrustment(1, a.files[0].entrustment.items[0].no)
    page.locator(f"#summary a[href='#{target}']").click()
    page.wait_for_function(f"location.hash === '#{target}'")
    assert _enclosing_details_open(page, f"#{target}") and _in_view(page, f"#{target}")


def test_the_table_of_contents_jumps_to_a_section_and_opens_it(browser, server):
    ctx = _context(browser, 1280)
    pg = ctx.new_page()
    try:
        pg.goto(server + REAL["yokohama-yobosesshu-zenkomoku"])
        pg.wait_for_load_state("networkidle")
        link = pg.locator(".md-sidebar--secondary a.md-nav__link[href='#s4']")
        assert link.is_visible() and "Ⅳ" in link.inner_text()
        link.click()
        pg.wait_for_function("location.hash === '#s4'")
        assert _in_view(pg, "#s4")
        assert pg.evaluate("document.getElementById('s4').nextElementSibling.open") is True
    finally:
        ctx.close()


def test_without_javascript_every_section_is_open(browser, server):
    a = real_doc("yokohama-yobosesshu-zenkomoku")
    ctx = _context(browser, 1280, java_script_enabled=False)
    pg = ctx.new_page()
    try:
        anchor = A.risk_item(1, a.risks[0].sections[0].no, 1, 1)
        pg.goto(server + REAL[a.id] + f"#{anchor}")
        folds = pg.locator("details[data-hy-fold]")
        assert folds.count() >= 10
        assert pg.locator("details[data-hy-fold]:not([open])").count() == 0
        assert pg.locator(f"#{anchor}").is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("where", ["assessment-row", "assessment-heading", "record-heading"])
def test_pilcrow_copies_the_permalink_and_says_so(browser, server, width, where):
    ctx = _context(browser, width, permissions=["clipboard-read", "clipboard-write"])
    pg = ctx.new_page()
    try:
        if where == "record-heading":
            path, selector, anchor = "takatsuki/takatsuki-r4-toshin-3/", "#record a.headerlink", "record"  # Material's toc permalink
        elif where == "assessment-heading":
            path, selector, anchor = REAL["yokohama-yobosesshu-zenkomoku"], "#s1 a.headerlink", "s1"
        else:
            path, selector, anchor = REAL["yokohama-yobosesshu-zenkomoku"], "#summary-h a.hy-permalink", "summary"
        pg.goto(server + path)
        pg.wait_for_load_state("networkidle")
        pg.locator(selector).click()
        pg.wait_for_function(f"location.hash === '#{anchor}'")  # it still jumps
        toast = pg.locator(".hy-toast[role=status][aria-live=polite]")
        toast.wait_for(state="visible")
        assert "リンクをコピーしました" in toast.inner_text()
        assert pg.evaluate("navigator.clipboard.readText()") == server + path + f"#{anchor}"
    finally:
        ctx.close()


def test_no_horizontal_overflow_at_phone_width_even_with_everything_open(browser, server):
    ctx = _context(browser, 390)
    pg = ctx.new_page()
    try:
        for path in REAL.values():
            pg.goto(server + path)
            pg.wait_for_load_state("networkidle")
            assert pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1, path
            pg.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1, path
    finally:
        ctx.close()


@pytest.mark.parametrize("path", [*REAL.values(), "takatsuki/fixture-zenkomoku/", "takatsuki/takatsuki-r4-toshin-3/"])
def test_axe_finds_nothing(page, server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    for state in ("folded", "open"):
        if state == "open":
            page.evaluate("document.querySelectorAll('#summary details').forEach(d => d.open = true)")
        results = Axe().run(page)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert bad == [], (state, bad)
