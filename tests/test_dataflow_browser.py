"""The data-flow picture and the term explanations in chromium, at 1280 px and on a 390 px phone.

The picture fits the screen (no horizontal overflow of the page), its text stays inside its boxes with the
real fonts, its links lie over their boxes and go to the items; a term's explanation opens on hover, on
keyboard focus and on a tap, closes with Escape, and without JavaScript the term is a link to the glossary;
axe finds no violation.  With HYOKA_SCREENS=<dir> the tests save screenshots there (for the lead's notes).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browsing import needs_chromium

from hyoka import glossary as G

pytestmark = needs_chromium

JUKI = "takatsuki/takatsuki-juki-zenkomoku/"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _context(browser, width: int, height: int, **kw):
    return browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP", has_touch=width < 500, **kw)


@pytest.fixture(params=list(WIDTHS))
def sized(request, browser, server):
    w, h = WIDTHS[request.param]
    ctx = _context(browser, w, h)
    pg = ctx.new_page()
    local = urlsplit(server).netloc
    pg.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == local else r.abort())
    yield pg, w
    ctx.close()


def _screens() -> Path | None:
    d = os.environ.get("HYOKA_SCREENS")
    if not d:
        return None
    p = Path(d)
    p.mkdir(parents=True, exist_ok=True)
    return p


def _no_overflow(pg) -> None:
    sw, cw = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sw <= cw, (sw, cw)


GEOMETRY = """() => {
  const canvases = [...document.querySelectorAll('#dataflow .hy-flow-canvas')].filter(c => getComputedStyle(c).display !== 'none');
  if (canvases.length !== 1) return {visible: canvases.length};
  const c = canvases[0], svg = c.querySelector('svg');
  const out = {visible: 1, wide: c.classList.contains('hy-flow-wide'), right: c.getBoundingClientRect().right,
               vw: document.documentElement.clientWidth, bad_text: [], bad_hit: []};
  const boxes = [...svg.querySelectorAll('g.hy-flow-box')], hits = [...c.querySelectorAll('a.hy-flow-hit')];
  out.boxes = boxes.length; out.hits = hits.length;
  boxes.forEach((g, i) => {
    const r = g.querySelector('rect').getBBox();
    g.querySelectorAll('text').forEach(t => {
      const b = t.getBBox();
      if (b.x < r.x || b.x + b.width > r.x + r.width + 0.5 || b.y < r.y - 0.5 || b.y + b.height > r.y + r.height + 0.5)
        out.bad_text.push([t.textContent, b.x + b.width, r.x + r.width]);
    });
    const rr = g.querySelector('rect').getBoundingClientRect(), hr = hits[i].getBoundingClientRect();
    if (Math.abs(rr.left - hr.left) > 2 || Math.abs(rr.top - hr.top) > 2 || Math.abs(rr.width - hr.width) > 2 || Math.abs(rr.height - hr.height) > 2)
      out.bad_hit.push(i);
  });
  return out;
}"""


@pytest.mark.parametrize("path", [JUKI, "takatsuki/fixture-hostile/", "yokohama/yokohama-yobosesshu-zenkomoku/"])
def test_picture_fits_the_screen_and_its_text_stays_in_its_boxes(sized, server, path):
    pg, w = sized
    pg.goto(server + path)
    pg.wait_for_load_state("networkidle")
    _no_overflow(pg)
    g = pg.evaluate(GEOMETRY)
    assert g["visible"] == 1
    assert g["wide"] is (w >= 720)  # three columns on a wide screen, one column on a phone
    assert g["right"] <= g["vw"]
    assert g["boxes"] == g["hits"] >= 10
    assert g["bad_text"] == [], g["bad_text"][:5]
    assert g["bad_hit"] == []  # each link lies exactly over its box
    shots = _screens()
    if shots and path == JUKI:
        pg.locator("#dataflow").screenshot(path=str(shots / f"dataflow-{w}.png"))
        pg.locator("#summary").scroll_into_view_if_needed()
        pg.screenshot(path=str(shots / f"assessment-top-{w}.png"))


def test_a_box_goes_to_its_item(sized, server):
    pg, w = sized
    pg.goto(server + JUKI)
    hit = pg.locator("#dataflow .hy-flow-canvas:visible a.hy-flow-hit[href='#file-1-entrust-2']")
    assert hit.count() == 1
    hit.click()
    pg.wait_for_url("**#file-1-entrust-2")
    assert pg.evaluate("document.querySelector(':target').id") == "file-1-entrust-2"
    assert "日本ビジネスデータープロセシングセンター" in pg.locator("#file-1-entrust-2").inner_text()


def _tip(pg, selector: str) -> dict:
    return pg.evaluate("""(sel) => { const a = document.querySelector(sel), s = getComputedStyle(a, '::after');
      return {display: s.display, position: s.position, content: s.content, tip: a.dataset.tip, open: a.classList.contains('is-open'),
              left: parseFloat(s.left), right: parseFloat(s.right), vw: document.documentElement.clientWidth}; }""", selector)


def test_term_explanation_opens_on_keyboard_focus_and_hover_and_closes_with_escape(browser, server):
    ctx = _context(browser, 1280, 900)
    pg = ctx.new_page()
    pg.goto(server + JUKI)
    sel = "dt a.hy-term[href$='#term-saiitaku']"
    # the term is in a folded part of the form (hyoka-page.js folds them): open it as a reader would, by its summary
    pg.evaluate("(sel) => { const d = document.querySelector(sel).closest('details'); if (d && !d.open) d.querySelector('summary').id = 'open-me'; }", sel)
    if pg.locator("#open-me").count():
        pg.click("#open-me")
    assert _tip(pg, sel)["display"] == "none"
    # keyboard: Tab from the element before it
    pg.evaluate("(sel) => { const a = document.querySelector(sel); a.parentElement.setAttribute('tabindex', '-1'); a.parentElement.focus(); }", sel)
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.getAttribute('href')").endswith("#term-saiitaku")
    t = _tip(pg, sel)
    assert t["display"] == "block" and t["tip"] == G.BY_KEY["saiitaku"].plain and t["content"] not in ("none", "normal")
    pg.keyboard.press("Escape")
    assert _tip(pg, sel)["display"] == "none"
    pg.keyboard.press("Tab")
    # hover
    term = "#dataflow a.hy-term[href$='#term-iten']"
    pg.hover(term)
    assert _tip(pg, term)["display"] == "block"
    _no_overflow(pg)
    pg.mouse.move(0, 0)
    assert _tip(pg, term)["display"] == "none"
    # the description a screen reader gets is the definition the page carries
    did = pg.get_attribute(term, "aria-describedby")
    assert pg.evaluate("(id) => document.getElementById(id).textContent", did).startswith("移転：")
    ctx.close()


def test_term_explanation_opens_on_a_tap_and_a_second_tap_follows_the_link(browser, server):
    ctx = _context(browser, 390, 844)
    pg = ctx.new_page()
    pg.goto(server + JUKI)
    term = "#dataflow a.hy-term[href$='#term-itaku']"
    pg.locator(term).scroll_into_view_if_needed()
    pg.tap(term)
    t = _tip(pg, term)
    assert pg.url.endswith(JUKI) and t["open"] and t["display"] == "block"
    assert t["position"] == "fixed" and t["left"] >= 0 and t["right"] >= 0  # a sheet inside the screen
    _no_overflow(pg)
    shots = _screens()
    if shots:
        pg.screenshot(path=str(shots / "term-tap-390.png"))
    # another tap elsewhere closes it; a tap on the open term follows the link
    pg.tap("#dataflow-h")
    assert not _tip(pg, term)["open"]
    pg.tap(term)
    pg.tap(term)
    pg.wait_for_url("**/glossary/#term-itaku")
    assert pg.locator("#term-itaku").is_visible()
    ctx.close()


def test_without_javascript_a_term_is_a_link_to_the_glossary(browser, server):
    ctx = _context(browser, 390, 844, java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(server + JUKI)
    pg.locator("dt a.hy-term[href$='#term-nyushu-moto']").first.click()
    pg.wait_for_url("**/glossary/#term-nyushu-moto")
    assert "入手元" in pg.locator("#term-nyushu-moto").inner_text()
    ctx.close()


@pytest.mark.parametrize("path", [JUKI, "takatsuki/fixture-hostile/", "takatsuki/takatsuki-juki-kiso/", "glossary/"])
def test_no_axe_violation(sized, server, path):
    from axe_playwright_python.sync_playwright import Axe

    pg, w = sized
    pg.goto(server + path)
    pg.wait_for_load_state("networkidle")
    _no_overflow(pg)
    violations = Axe().run(pg).response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations] == []
    shots = _screens()
    if shots and path == "glossary/":
        pg.screenshot(path=str(shots / f"glossary-{w}.png"))
