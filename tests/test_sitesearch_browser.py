"""The search box and search page in chromium agree with the auditors' Whoosh search.

The site is the session's `built_site` (tests/conftest.py: a strict build of the fixtures, the hostile
fixtures and the real content, once per xdist worker in its own tmp dir), served on 127.0.0.1.  The
reference is `hyoka_search.query.search` over the Whoosh index that same build wrote.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from browsing import needs_chromium

pytestmark = needs_chromium

COMPOUND = ["個人番号カード", "情報提供ネットワークシステム", "再委託", "委託先", "保管期間"]
MORE = ["委", "税", "ｶｰﾄﾞ", "委託 NOT 再委託", "再委託 OR 委託先", '"個人番号 カード"', "(委託先 OR 保管) -再委託"]
DONE = "[data-hyoka-sitesearch][data-state=done]"


@pytest.fixture(scope="module")
def whoosh(built_site):
    from hyoka_search.index import open_index

    ix = open_index(built_site.root / ".hyoka-index")
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def reader(built_site):
    from hyoka import sitesearch as ss
    from sitesearch_reader import Reader

    return Reader(built_site.site / ss.INDEX_DIR)


@pytest.fixture
def page(browser, server):
    """A page that refuses other hosts and records script errors, dialogs and index requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    pg = context.new_page()
    pg.foreign, pg.errors, pg.dialogs, pg.index_requests = [], [], [], []  # type: ignore[attr-defined]
    local = urlsplit(server).netloc

    def route(r):
        url = r.request.url
        if urlsplit(url).netloc != local and not url.startswith("data:"):
            pg.foreign.append(url)  # type: ignore[attr-defined]
            return r.abort()
        if "/search-index/" in url:
            pg.index_requests.append(urlsplit(url).path.split("/search-index/", 1)[1])  # type: ignore[attr-defined]
        return r.continue_()

    pg.route("**/*", route)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    assert not pg.errors, pg.errors  # type: ignore[attr-defined]
    assert not pg.dialogs, pg.dialogs  # type: ignore[attr-defined]
    assert not pg.foreign, pg.foreign  # type: ignore[attr-defined]
    context.close()


from test_sitesearch import assert_same_as_whoosh, whoosh_keys  # noqa: E402  (tests/ is on sys.path)


def browser_result(pg, reader):
    pg.wait_for_selector(DONE, timeout=30_000)
    res = pg.evaluate("window.hyokaSiteSearch.result")
    return res, sorted(reader.keys(res["ids"]))


READY = ",".join(f"[data-hyoka-sitesearch][data-state={s}]" for s in ("idle", "done", "error"))


def type_query(pg, q):
    """Type a query once the page's script is ready (before that, Enter would reach no handler)."""
    pg.wait_for_selector(READY)
    box = pg.get_by_role("searchbox", name="検索語")
    box.fill(q)
    box.press("Enter")


@pytest.mark.parametrize("q", COMPOUND + MORE)
def test_typed_queries_find_what_whoosh_finds(page, server, reader, whoosh, q):
    page.goto(server + "search/")
    page.wait_for_selector("[data-hyoka-sitesearch][data-state=idle]")
    type_query(page, q)
    res, keys = browser_result(page, reader)
    assert res["total"] == len(keys)
    assert_same_as_whoosh(whoosh, q, keys)
    if q in COMPOUND:
        assert keys, f"{q}: the content holds it"
    assert parse_qs(urlsplit(page.url).query)["q"] == [q]
    shown = page.locator("#hyoka-ss-results > li")
    assert shown.count() == min(20, len(keys))


def test_more_button_only_while_hits_are_left(page, server, reader, whoosh):
    """Issue 16: 「さらに表示」 stayed on screen with every hit shown (Material's .md-button beat `hidden`)."""
    more = page.locator("#hyoka-ss-more")
    page.goto(server + "search/?q=" + quote("再委託"))
    res, keys = browser_result(page, reader)
    assert len(keys) > 20, "the content holds more than one screen of 再委託"
    assert more.is_visible()
    shown = page.locator("#hyoka-ss-results > li")
    for _ in range(len(keys) // 20 + 1):  # bounded: one click per further screen of hits
        if shown.count() >= len(keys):
            break
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#hyoka-ss-results > li').length >= n",
                               arg=min(len(keys), shown.count() + 1))
    assert shown.count() == len(keys)
    assert not more.is_visible(), "every hit is shown, the button must go"
    page.goto(server + "search/?q=" + quote("ミラボ"))
    res, keys = browser_result(page, reader)
    assert 0 < len(keys) <= 20
    assert page.locator("#hyoka-ss-results > li").count() == len(keys)
    assert not more.is_visible()


def test_a_hit_shows_where_and_links_to_the_answer(page, server, reader, whoosh):
    page.goto(server + "search/?q=" + quote("保管期間"))
    res, keys = browser_result(page, reader)
    first = page.locator("#hyoka-ss-results > li").first
    m = reader.meta(res["ids"][0])
    assert first.get_attribute("data-key") == m["key"]
    assert m["city_name"] in first.inner_text() and m["title"] in first.inner_text()
    mark = first.locator(".hyoka-ss__snippet mark").first
    assert "保管期間" in mark.inner_text().replace(" ", "").replace("　", "")
    link = first.locator("a.hyoka-ss__hit-link")
    assert link.get_attribute("href") == server + m["url"]
    link.click()
    page.wait_for_url("**/" + m["url"].split("#")[0] + "*")
    if "#" in m["url"]:
        anchor = m["url"].split("#", 1)[1]
        assert page.locator(f"[id='{anchor}']").count() == 1


def test_filters_narrow_and_count(page, server, reader, whoosh):
    from hyoka_search.query import search

    q = "委託"
    page.goto(server + "search/?q=" + quote(q))
    res, keys = browser_result(page, reader)
    w = search(whoosh, q, limit=None)
    for field in ("city", "form", "section", "retention", "company", "answer"):
        assert {k: v for k, v in res["facets"][field].items() if k} == dict(w.facets[field]), field
    # Counts are shown beside each value; pick the second-largest city and tick it.
    city, count = w.facets["city"][1]
    box = page.locator(f"fieldset[data-field=city] input[value='{city}']")
    assert f"({count:,})" in box.locator("xpath=..").inner_text()
    box.check()
    res2, keys2 = browser_result(page, reader)
    assert keys2 == whoosh_keys(whoosh, q, {"city": city}) and len(keys2) == count < len(keys)
    assert parse_qs(urlsplit(page.url).query)["city"] == [city]
    # A second filter of another field narrows further (AND); the status says how many.
    form, fcount = search(whoosh, q, {"city": city}, limit=None).facets["form"][0]
    page.locator(f"fieldset[data-field=form] input[value='{form}']").check()
    res3, keys3 = browser_result(page, reader)
    assert keys3 == whoosh_keys(whoosh, q, {"city": city, "form": form}) and len(keys3) == fcount
    assert f"{fcount:,} 件" in page.locator("#hyoka-ss-status").inner_text()
    # Clearing restores everything.
    page.get_by_role("button", name="絞り込みを解除").click()
    res4, keys4 = browser_result(page, reader)
    assert keys4 == keys


def test_url_restores_query_and_filters_on_reload(page, server, reader, whoosh):
    from hyoka_search.query import search

    q = "委託先"
    city = search(whoosh, q, limit=None).facets["city"][0][0]
    page.goto(server + f"search/?q={quote(q)}&city={city}")
    res, keys = browser_result(page, reader)
    assert keys == whoosh_keys(whoosh, q, {"city": city})
    page.reload()
    res2, keys2 = browser_result(page, reader)
    assert keys2 == keys
    assert page.get_by_role("searchbox", name="検索語").input_value() == q
    assert page.locator(f"fieldset[data-field=city] input[value='{city}']").is_checked()
    # Back and forward walk the history of searches.
    type_query(page, "再委託")
    browser_result(page, reader)
    page.go_back()
    page.wait_for_function("q => document.getElementById('hyoka-ss-q').value === q", arg=q)
    res3, keys3 = browser_result(page, reader)
    assert keys3 == keys and page.get_by_role("searchbox", name="検索語").input_value() == q


def test_screen_readers_hear_the_count(page, server, reader, whoosh):
    page.goto(server + "search/")
    status = page.locator("#hyoka-ss-status")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    type_query(page, "個人番号カード")
    browser_result(page, reader)
    n = len(whoosh_keys(whoosh, "個人番号カード"))
    assert f"{n:,} 件" in status.inner_text()
    type_query(page, "存在しない語句ですよ")
    browser_result(page, reader)
    assert "ありません" in status.inner_text()
    type_query(page, '"閉じていない')
    page.wait_for_selector("[data-hyoka-sitesearch][data-state=error]")
    assert "引用符" in status.inner_text()


def test_header_box_on_every_page_leads_to_results(page, server, reader, whoosh):
    page.goto(server + "takatsuki/")
    box = page.get_by_role("search", name="サイト内検索").get_by_role("searchbox")
    box.fill("再委託")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    res, keys = browser_result(page, reader)
    assert keys == whoosh_keys(whoosh, "再委託")


def test_text_from_yaml_is_never_markup(page, server, reader, whoosh):
    """The hostile fixture's text (script tags, handlers, Markdown) is shown as text."""
    q = "<script>alert('x')</script>"
    page.goto(server + "search/?q=" + quote(q))
    res, keys = browser_result(page, reader)
    assert keys == whoosh_keys(whoosh, q) and keys
    results = page.locator("#hyoka-ss-results")
    assert results.locator("script, img, iframe").count() == 0
    assert "<script>alert('x')</script>" in results.inner_text()
    hrefs = results.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert all(h.startswith(server) for h in hrefs)


def test_loads_only_the_parts_a_query_needs(page, server, reader, built_site):
    from hyoka import sitesearch as ss

    man = json.loads((built_site.site / ss.INDEX_DIR / "manifest.json").read_text(encoding="utf-8"))
    page.goto(server + "search/?q=" + quote("委託先"))
    browser_result(page, reader)
    got = {p for p in page.index_requests}
    postings = {p for p in got if p.startswith("p/")}
    buckets = {ss.fnv1a(g) & (man["buckets"] - 1) for g in ("委託", "託先")}
    assert postings == {f"p/{b}/{h}.bin" for b in range(man["blocks"]) for h in buckets}
    assert {p for p in got if p.startswith("f/")} <= {f"f/{b}.json" for b in range(man["blocks"])}
    assert {p for p in got if p.startswith("m/")} and len([p for p in got if p.startswith("m/")]) <= 20
    total = sum((built_site.site / ss.INDEX_DIR / p).stat().st_size for p in got)
    everything = sum(f.stat().st_size for f in (built_site.site / ss.INDEX_DIR).rglob("*") if f.is_file())
    assert total < everything / 5


def test_search_page_has_no_serious_axe_violations(page, server, reader):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + "search/?q=" + quote("委託先"))
    browser_result(page, reader)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, json.dumps(serious, ensure_ascii=False)[:2000]
