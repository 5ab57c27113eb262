"""The built site in a real browser: Debian's chromium driven by Playwright, served on 127.0.0.1.

Opens home, a municipality, an assessment and a council record; follows a permalink to one answer;
runs axe-core (bundled by axe-playwright-python, offline) and refuses serious/critical violations;
and checks that no page asks any other host for anything.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browsing import needs_chromium

pytestmark = needs_chromium

PAGES = {
    "home": "",
    "municipality": "takatsuki/",
    "assessment": "takatsuki/fixture-zenkomoku/",
    "ended": "kazo/fixture-juten/",
    "kiso": "takatsuki/fixture-kiso/",
    "record": "takatsuki/fixture-toshin/",
}


@pytest.fixture
def page(browser, server):
    """A page that records every request; requests to other hosts are refused and remembered."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    pg = context.new_page()
    pg.foreign = []  # type: ignore[attr-defined]
    local = urlsplit(server).netloc

    def route(r):
        if urlsplit(r.request.url).netloc != local and not r.request.url.startswith("data:"):
            pg.foreign.append(r.request.url)  # type: ignore[attr-defined]
            return r.abort()
        return r.continue_()

    pg.route("**/*", route)
    yield pg
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_without_foreign_requests_or_serious_axe_violations(page, server, name):
    from axe_playwright_python.sync_playwright import Axe

    resp = page.goto(server + PAGES[name])
    assert resp is not None and resp.ok
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() >= 1
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.foreign == [], page.foreign
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def test_pages_show_what_they_are_about(page, server):
    page.goto(server)
    assert page.locator("h1").first.inner_text().strip().rstrip("¶") == "評価書ポータル"
    page.get_by_role("link", name="高槻市").first.click()
    page.wait_for_url("**/takatsuki/")
    assert page.locator("h1").inner_text() == "高槻市"
    page.get_by_role("link", name="テスト予防接種事務 全項目評価書").first.click()
    page.wait_for_url("**/takatsuki/fixture-zenkomoku/")
    assert "テスト予防接種事務 全項目評価書" in page.locator("h1").inner_text()
    assert page.locator("#summary").is_visible()
    # to the council record and back
    page.locator("#summary a[href='../fixture-toshin/']").click()
    page.wait_for_url("**/takatsuki/fixture-toshin/")
    assert "第三者点検" in page.locator("h1").inner_text()
    page.locator("a[href='../fixture-zenkomoku/#s6']").click()
    page.wait_for_url("**/fixture-zenkomoku/#s6")
    assert page.evaluate("document.querySelector(':target').id") == "s6"


def _in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top >= 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_permalink_targets_one_answer(page, server):
    anchor = "risk-1-2-2-1"  # Ⅲ file 1, section 2, リスク２, its first item: 「課題が残されている」
    page.goto(server + PAGES["assessment"])
    link = page.locator(f"#{anchor} a.hy-permalink[href='#{anchor}']")
    assert not link.is_visible()  # Ⅲ is folded under its heading …
    page.locator(f"#summary .hy-brief-standouts a[href='#{anchor}']").click()  # … and the first screen's link to the answer opens it
    page.wait_for_function(f"location.hash === '#{anchor}'")
    assert _in_viewport(page, f"#{anchor}")
    assert link.is_visible()  # the ¶ is visible, not only on hover
    link.click()
    page.wait_for_function(f"location.hash === '#{anchor}'")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    assert _in_viewport(page, f"#{anchor}")
    assert "課題が残されている" in page.locator(f"#{anchor} .is-chosen").inner_text()
    # a fresh visit to the copied link lands on the same answer, not hidden under the sticky header
    page.goto(server + PAGES["assessment"] + f"#{anchor}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    assert _in_viewport(page, f"#{anchor}")
    header_bottom = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    target_top = page.evaluate(f"document.querySelector('#{anchor}').getBoundingClientRect().top")
    assert target_top >= header_bottom - 1


def test_summary_links_lead_to_their_items(page, server):
    page.goto(server + PAGES["assessment"])
    page.locator("#summary a[href='#file-1-retention']").click()
    page.wait_for_function("location.hash === '#file-1-retention'")
    assert _in_viewport(page, "#file-1-retention")
    assert "6年以上10年未満" in page.locator("#file-1-retention .is-chosen").inner_text()


def test_phone_width_has_no_horizontal_scroll(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        for path in (PAGES["assessment"], PAGES["home"], PAGES["record"], "takatsuki/fixture-hostile/", "takatsuki/fixture-hostile-record/"):
            pg.goto(server + path)
            pg.wait_for_load_state("networkidle")
            overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["takatsuki/fixture-hostile/", "takatsuki/fixture-hostile-record/"])
def test_hostile_text_runs_no_script_and_reads_as_text(page, server, built_site, path):
    """Every free-text field of these documents holds <script>, onerror=, javascript: links and Markdown."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + path)
    page.wait_for_load_state("load")
    page.mouse.wheel(0, 20000)  # let lazy things load, if any
    assert dialogs == []
    body = page.inner_text("main")
    assert "<script>alert('x')</script>" in body and "<img src=x onerror=alert(1)>" in body
    # no element, link or handler came from the content (the theme's own script sits outside <article>)
    assert page.locator("article").count() == 1
    assert page.locator("article a[href^='javascript:']").count() == 0
    assert page.locator("article [onerror], article [onclick], article [onload]").count() == 0
    assert page.locator("article script, article img[src='x'], article iframe").count() == 0
    assert page.foreign == []
