"""The city picker in Debian's chromium (issue 16): typing narrows the list, Enter opens the one city left,
municipalities/?q=… comes back filtered, and without JavaScript the picker is a plain list of links."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browsing import needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


def _visible_cities(pg) -> list[str]:
    return pg.eval_on_selector_all(".hy-city-list li", "els => els.filter(e => e.offsetParent !== null).map(e => e.querySelector('a').textContent)")


def test_typing_narrows_the_home_list_and_enter_opens_the_city(page, server):
    page.goto(server)
    page.wait_for_load_state("networkidle")
    everyone = _visible_cities(page)
    assert "金沢市" in everyone and "高槻市" in everyone and len(everyone) >= 5
    box = page.get_by_label("団体名・都道府県・団体コードで絞り込む")
    assert box.is_visible()
    box.fill("埼玉")  # by prefecture
    assert sorted(_visible_cities(page)) == ["加須市", "越谷市"]
    assert page.locator("#hy-city-count").inner_text() == f"{len(everyone)} 団体中 2 団体"
    assert page.locator("#pref-27").is_hidden()  # 大阪府: nothing left in it
    box.fill("１７２０１４")  # a full-width code, as a phone keyboard may type it (NFKC)
    assert _visible_cities(page) == ["金沢市"]
    box.fill("存在しない市")
    assert _visible_cities(page) == [] and page.locator(".hy-city-none").is_visible()
    box.fill("高槻")
    box.press("Enter")
    page.wait_for_url("**/takatsuki/")
    assert page.locator("h1").inner_text() == "高槻市"


def test_picker_page_keeps_its_filter_in_the_url(page, server):
    page.goto(server + "municipalities/?q=" + quote("横浜"))
    page.wait_for_load_state("networkidle")
    assert _visible_cities(page) == ["横浜市"]
    assert page.get_by_label("団体名・都道府県・団体コードで絞り込む").input_value() == "横浜"
    page.get_by_label("団体名・都道府県・団体コードで絞り込む").fill("kazo")
    assert _visible_cities(page) == ["加須市"]
    assert page.evaluate("location.search") == "?q=kazo"


def test_without_javascript_the_picker_is_plain_links(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(server)
        assert pg.locator("form.hy-city-filter").is_hidden()  # no box that would do nothing
        assert len(_visible_cities(pg)) >= 5
        pg.get_by_role("link", name="金沢市", exact=True).first.click()
        pg.wait_for_url("**/kanazawa/")
        assert pg.locator("article.hy-doc-card").count() >= 1
    finally:
        context.close()
