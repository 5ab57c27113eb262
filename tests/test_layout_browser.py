"""Every page type fits a 390 px phone and a 1280 px screen (issue 16, Layout), in Debian's chromium.

On each page at each width: the document is no wider than the window (`scrollWidth <= innerWidth`: a table
or form that is too wide scrolls inside its own box), the header shows the site name whole, axe-core
finds no violation at all; at 1280 px the text column takes the width: a page in the nav has its table of
contents in the left sidebar and no right one, a document keeps its table of contents on the right.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from browsing import needs_chromium

pytestmark = needs_chromium

PAGES = {
    "home": "",
    "picker": "municipalities/",
    "municipality": "takatsuki/",
    "assessment": "takatsuki/fixture-zenkomoku/",
    "hostile assessment": "takatsuki/fixture-hostile/",
    "council record": "takatsuki/fixture-toshin/",
    "compare": "compare/",
    "compare contractors": "compare/contractors/",
    "compare retention": "compare/retention/",
    "compare risks": "compare/risks/",
    "findings": "findings/",
    "data": "data/",
    "search": "search/?q=" + quote("委託"),
    "glossary": "glossary/",
    "side by side": "compare/side-by-side/?a=takatsuki-juki-zenkomoku&a=yokohama-yobosesshu-zenkomoku",
    "real assessment": "takatsuki/takatsuki-juki-zenkomoku/",
}
WIDTHS = (390, 1280)


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def viewport(request, browser):
    w = request.param
    context = browser.new_context(viewport={"width": w, "height": 844 if w < 500 else 900}, locale="ja-JP")
    pg = context.new_page()
    yield w, pg
    context.close()


def _open(pg, url: str) -> None:
    resp = pg.goto(url)
    assert resp is not None and resp.ok, url
    pg.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_the_window_and_has_no_axe_violation(viewport, server, name):
    from axe_playwright_python.sync_playwright import Axe

    width, pg = viewport
    _open(pg, server + PAGES[name])
    sizes = pg.evaluate("({sw: document.documentElement.scrollWidth, w: innerWidth})")
    assert sizes["w"] == width
    assert sizes["sw"] <= sizes["w"], (name, width, sizes)
    # the site name in the header is shown whole, not cut to 「評価書ポ…」
    cut = pg.evaluate("""() => { const t = document.querySelector('.md-header__topic .md-ellipsis');
        return t ? [t.textContent.trim(), t.scrollWidth > t.clientWidth + 1] : null; }""")
    assert cut is not None and cut[0] and not cut[1], cut
    violations = Axe().run(pg).response["violations"]
    assert violations == [], json.dumps([(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations], ensure_ascii=False)


@pytest.mark.parametrize("name", ["home", "picker", "compare risks", "findings", "assessment", "municipality", "council record"])
def test_wide_screen_text_column_takes_the_width_and_keeps_a_table_of_contents(viewport, server, name):
    width, pg = viewport
    if width < 1000:
        pytest.skip("the sidebars are drawers on a phone")
    _open(pg, server + PAGES[name])
    content = pg.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
    assert content >= 0.65 * width, content  # ~690 px of 1280 between two sidebars before
    in_nav = pg.locator(".md-nav--primary .md-nav__link[for='__toc']").count() > 0
    secondary = pg.locator(".md-sidebar--secondary")
    right_visible = secondary.count() > 0 and secondary.first.is_visible()
    left_toc = pg.locator(".md-sidebar--primary .md-nav__item--active nav.md-nav--secondary a.md-nav__link")
    if name == "picker":  # no Markdown heading, so no table of contents at all (the prefectures are jump links)
        assert not in_nav and not right_visible
        assert pg.locator(".hy-pref-jump a").count() >= 2
    elif in_nav:  # a page in the nav: its table of contents in the left sidebar, no right sidebar
        assert not right_visible
        assert left_toc.count() >= 2 and left_toc.first.is_visible()
    else:  # a document: its table of contents stays, on the right
        assert name in ("assessment", "municipality", "council record")
        assert right_visible
        assert pg.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link").first.is_visible()


def test_home_caption_reads_across_and_city_names_stay_on_one_line(viewport, server):
    width, pg = viewport
    _open(pg, server)
    cap = pg.locator("table.hy-table caption").first  # 最近公表された評価書
    box = cap.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] < 60, box  # one line, not a column of characters
    one_line = "(a) => { const r = a.getClientRects(); return r.length === 1 && r[0].height < 2 * parseFloat(getComputedStyle(a).fontSize) * 1.2; }"
    for where in (".hy-city-list", "table.hy-table"):  # the picker and the latest assessments' 団体 column
        link = pg.locator(f"{where} a", has_text="金沢市").first
        assert pg.evaluate(one_line, link.element_handle()), (where, link.bounding_box())
