"""The side-by-side view in Debian's chromium (Playwright), on the session's real build (tests/conftest.py:
real content + fixtures + hostile fixtures): the selection in the URL, the values read from the YAML, a
differing row marked in text, cell links that reach their anchor, Back, the picker, 390 px, axe, hostile text."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from browsing import needs_chromium

from test_sidebyside import KANAZAWA, KOSHIGAYA, section, yaml_of

pytestmark = needs_chromium

PAGE = "compare/side-by-side/"
SCREENS = Path(__file__).resolve().parents[1] / "screens"
WIDTHS = {1280: {"width": 1280, "height": 900}, 390: {"width": 390, "height": 844}}


def url_of(server: str, *ids: str, diff: bool = False) -> str:
    q = "&".join(f"a={quote(i)}" for i in ids) + ("&diff=1" if diff else "")
    return f"{server}{PAGE}?{q}"


@pytest.fixture(params=list(WIDTHS))
def page(request, browser, server):
    w = request.param
    context = browser.new_context(viewport=WIDTHS[w], locale="ja-JP", is_mobile=w < 500, has_touch=w < 500,
                                  device_scale_factor=2 if w < 500 else 1)
    pg = context.new_page()
    pg.width = w  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def row(pg, row_id: str):
    return pg.locator(f"#sbs-table tr[data-row-id='{row_id}']")


def cells(pg, row_id: str) -> list[str]:
    return [t.strip() for t in row(pg, row_id).locator("td .sbs-val").all_inner_texts()]


def open_two(pg, server):
    pg.goto(url_of(server, KANAZAWA, KOSHIGAYA))
    pg.wait_for_selector("#sbs-table tbody tr.sbs-row")


def test_two_assessments_from_the_url_show_their_yaml_values_and_mark_the_rows_that_differ(page, server):
    open_two(page, server)
    heads = page.locator("#sbs-table thead th.sbs-doccol").all_inner_texts()
    ka, ko = yaml_of(KANAZAWA), yaml_of(KOSHIGAYA)
    assert len(heads) == 2 and "金沢市" in heads[0] and ka["cover"]["title"] in heads[0] and "越谷市" in heads[1]
    # Ⅲ-2 リスク1: the printed answer and measures of each, exactly as in its YAML
    for k, (a, b) in enumerate(zip(section(ka, "2")["risks"][0]["items"], section(ko, "2")["risks"][0]["items"])):
        assert a["label"] == b["label"]
        rid = "Ⅲ-2/R1/" + a["label"].replace(" ", "").replace("　", "") + "|f1|"
        assert cells(page, rid) == [(x.get("answer") or x.get("text")).strip() for x in (a, b)]
    suff = "Ⅲ-2/R1/リスクへの対策は十分か|f1|"
    assert cells(page, suff) == ["十分である", "十分である"]  # read from the YAML in the loop above, too
    assert "sbs-diff" not in (row(page, suff).get_attribute("class") or "")
    assert row(page, suff).locator(".sbs-mark").count() == 0
    # ②保管期間 differs: marked by the text 「≠ 違いあり」, not by colour only
    ret = "Ⅱ-6/period.period|f1|"
    assert cells(page, ret) == [ka["files"][0]["retention"]["period"]["period"], ko["files"][0]["retention"]["period"]["period"]]
    assert "sbs-diff" in row(page, ret).get_attribute("class")
    assert row(page, ret).locator("th .sbs-mark").inner_text() == "≠ 違いあり"
    # ⑥委託先名 of 委託事項1, as printed
    con = "Ⅱ-4/items.contractor|f1|委託事項1"
    assert cells(page, con) == [ka["files"][0]["entrustment"]["items"][0]["contractor"],
                                ko["files"][0]["entrustment"]["items"][0]["contractor"]]
    status = page.inner_text("#sbs-status")
    n_rows, n_diff = page.locator("#sbs-table tr.sbs-row").count(), page.locator("#sbs-table tr.sbs-diff").count()
    assert f"{n_rows}行のうち {n_diff}行で値が違います" in status and 0 < n_diff < n_rows
    # only the differing rows
    page.check("#sbs-diff")
    page.wait_for_function("location.search.includes('diff=1')")
    assert row(page, suff).is_hidden() and row(page, ret).is_visible()
    assert page.locator("#sbs-table tr.sbs-row:visible").count() == n_diff
    page.go_back()
    page.wait_for_function("!location.search.includes('diff=1')")
    assert row(page, suff).is_visible() and not page.is_checked("#sbs-diff")
    assert page.errors == []


def test_a_cell_link_reaches_its_anchor_and_back_restores_the_selection(page, server):
    open_two(page, server)
    link = row(page, "Ⅱ-6/period.period|f1|").locator("td").nth(1).locator("a.sbs-link")
    href = link.get_attribute("href")
    assert href == f"../../koshigaya/{KOSHIGAYA}/#files-1-retention-period-period"
    link.click()
    page.wait_for_url(f"**/koshigaya/{KOSHIGAYA}/#files-1-retention-period-period")
    assert page.evaluate("document.getElementById(location.hash.slice(1)) !== null")
    assert page.locator("#files-1-retention-period-period").is_visible()
    page.go_back()
    page.wait_for_selector("#sbs-table tbody tr.sbs-row")
    assert parse_qs(urlsplit(page.url).query)["a"] == [KANAZAWA, KOSHIGAYA]
    assert len(page.locator("#sbs-table thead th.sbs-doccol").all()) == 2


def test_the_picker_adds_removes_and_back_goes_back(page, server):
    open_two(page, server)
    page.select_option("#sbs-city", "takatsuki")
    page.wait_for_selector("#sbs-doc:not([disabled]) option[value='takatsuki-yobosesshu-zenkomoku']", state="attached")
    page.select_option("#sbs-doc", "takatsuki-yobosesshu-zenkomoku")
    page.click("#sbs-add")
    page.wait_for_function("document.querySelectorAll('#sbs-table thead th.sbs-doccol').length === 3")
    assert parse_qs(urlsplit(page.url).query)["a"] == [KANAZAWA, KOSHIGAYA, "takatsuki-yobosesshu-zenkomoku"]
    assert "高槻市" in page.locator("#sbs-table thead th.sbs-doccol").nth(2).inner_text()
    # an assessment already chosen cannot be added twice
    page.select_option("#sbs-city", "kanazawa")
    page.wait_for_selector(f"#sbs-doc option[value='{KANAZAWA}']", state="attached")
    assert page.locator(f"#sbs-doc option[value='{KANAZAWA}']").is_disabled()
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#sbs-table thead th.sbs-doccol').length === 2")
    assert parse_qs(urlsplit(page.url).query)["a"] == [KANAZAWA, KOSHIGAYA]
    page.get_by_role("button", name="金沢市").filter(has_text="外す").click()
    page.wait_for_function("document.querySelectorAll('#sbs-table thead th.sbs-doccol').length === 1")
    assert parse_qs(urlsplit(page.url).query)["a"] == [KOSHIGAYA]
    assert "もう1件以上選ぶと" in page.inner_text("#sbs-status")
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#sbs-table thead th.sbs-doccol').length === 2")
    assert page.errors == []


def test_no_page_overflow_the_table_scrolls_in_its_box_and_axe_finds_nothing(page, server):
    from axe_playwright_python.sync_playwright import Axe

    open_two(page, server)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow
    if page.width < 500:  # type: ignore[attr-defined]
        assert page.evaluate("(b => b.scrollWidth > b.clientWidth)(document.getElementById('sbs-box'))")
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], len(v["nodes"])) for v in violations] == []
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"sidebyside-{page.width}.png"))  # type: ignore[attr-defined]
    row(page, "Ⅱ-4/items.contractor|f1|委託事項1").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENS / f"sidebyside-{page.width}-entrustment.png"))  # type: ignore[attr-defined]
    # the empty page (no selection) too
    page.goto(server + PAGE)
    page.wait_for_function("document.getElementById('sbs-status').textContent.length > 0")
    assert "選んでください" in page.inner_text("#sbs-status")
    assert [(v["id"], len(v["nodes"])) for v in Axe().run(page).response["violations"]] == []


def test_hostile_text_and_hostile_ids_stay_text(page, server, built_site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url_of(server, "fixture-hostile", "fixture-zenkomoku", "../../etc/passwd", "<img src=x onerror=alert(1)>"))
    page.wait_for_selector("#sbs-table tbody tr.sbs-row")
    box = page.locator("#sbs-box")
    assert "<img src=x onerror=alert(1)>" in box.inner_text() and "<script>alert('x')</script>" in box.inner_text()
    assert box.locator("img, script, iframe, [onerror], [onclick], a[href^='javascript:']").count() == 0
    assert page.locator("#sbs-chosen li").count() == 2  # the two ids that break the id rule are never fetched
    hrefs = box.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("../../takatsuki/fixture-") for h in hrefs), hrefs[:3]
    assert dialogs == [] and page.errors == []  # type: ignore[attr-defined]
    # an id that follows the rule but does not exist says so
    page.goto(url_of(server, "no-such-assessment", "fixture-zenkomoku"))
    page.wait_for_selector("#sbs-table")
    assert "評価書「no-such-assessment」は見つかりませんでした" in page.inner_text("#sbs-chosen")


def test_without_javascript_a_message_and_links(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[1280])
    pg = context.new_page()
    try:
        pg.goto(url_of(server, KANAZAWA, KOSHIGAYA))
        assert pg.locator("#sbs-picker").is_hidden()
        assert "JavaScript が必要です" in pg.inner_text("main")
        links = pg.locator("noscript a, .sbs-noscript-list a")
        assert pg.get_by_role("link", name="石川県 金沢市").get_attribute("href") == "../../kanazawa/"
        assert links.count() >= 3
    finally:
        context.close()
