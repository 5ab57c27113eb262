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
        before = shown.count()  # (counted before the click: the next screen may be on the page before a count after it)
        if before >= len(keys):
            break
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#hyoka-ss-results > li').length >= n",
                               arg=min(len(keys), before + 1))
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


# ---- issue 16: relevance order, note kinds, the company facet, a phone ----------------------------------

WIDTHS = [(1280, 900), (390, 844)]


@pytest.fixture(params=WIDTHS, ids=lambda wh: f"{wh[0]}px")
def sized(request, browser, server):
    """A page at a desktop and a phone width (the same guards as `page`)."""
    w, h = request.param
    context = browser.new_context(viewport={"width": w, "height": h}, locale="ja-JP")
    pg = context.new_page()
    pg.width, pg.height, pg.errors = w, h, []  # type: ignore[attr-defined]
    local = urlsplit(server).netloc
    pg.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == local else r.abort())
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    assert not pg.errors, pg.errors  # type: ignore[attr-defined]
    context.close()


def shown_keys(pg) -> list[str]:
    return pg.locator("#hyoka-ss-results > li").evaluate_all("els => els.map(e => e.getAttribute('data-key'))")


@pytest.mark.parametrize("q", ["5年", "委託先", "ミラボ", "再委託 OR 保管期間", "委 -再委託"])
def test_relevance_order_is_the_oracles(sized, server, reader, whoosh, q):
    """The default order is relevance, exactly as tests/sitesearch_reader.py computes it; 「サイト順」 is the
    site's order; the choice lives in the URL and comes back on reload."""
    pg = sized
    pg.goto(server + "search/?q=" + quote(q))
    res, keys = browser_result(pg, reader)
    assert_same_as_whoosh(whoosh, q, keys)
    expected = reader.search(q)
    assert res["order"] == "relevance" and res["ids"] == expected.ranked
    assert shown_keys(pg) == reader.keys(expected.ranked[:20])
    assert pg.locator("#hyoka-ss-sort").input_value() == ""
    pg.locator("#hyoka-ss-sort").select_option(label="サイト順")
    pg.wait_for_function("() => window.hyokaSiteSearch.result && window.hyokaSiteSearch.result.order === 'site'")
    res2, keys2 = browser_result(pg, reader)
    assert res2["ids"] == expected.ids == sorted(expected.ids) and keys2 == keys  # same hits, same count
    assert shown_keys(pg) == reader.keys(expected.ids[:20])
    assert parse_qs(urlsplit(pg.url).query)["sort"] == ["site"]
    pg.reload()
    res3, _ = browser_result(pg, reader)
    assert res3["order"] == "site" and pg.locator("#hyoka-ss-sort").input_value() == "site"
    pg.go_back()
    pg.wait_for_function("() => window.hyokaSiteSearch.result && window.hyokaSiteSearch.result.order === 'relevance'")
    assert browser_result(pg, reader)[0]["ids"] == expected.ranked


def test_relevance_puts_the_answer_before_dates_and_change_rows(sized, server, reader):
    """Issue 16: for 5年 the first screen was 加須市's change rows (51 of 67 hits are dates).  Now the 保管期間
    answers 「5年」 come first, and no 変更箇所 row, 転記メモ or 点検結果 comes before a form item."""
    pg = sized
    pg.goto(server + "search/?q=" + quote("5年"))
    res, keys = browser_result(pg, reader)
    metas = [reader.meta(i) for i in res["ids"]]
    answers = [m for m in metas if m["answer"] == "5年" and m["label"] == "②保管期間"]
    assert answers, "the content has 保管期間 5年"
    assert metas[: len(answers)] == answers
    late = [i for i, m in enumerate(metas) if m["kind_label"] in ("変更箇所", "転記メモ", "点検結果")]
    assert late and late == list(range(len(metas) - len(late), len(metas)))
    first = pg.locator("#hyoka-ss-results > li").first
    assert first.locator("a.hyoka-ss__hit-link").inner_text() == "②保管期間"
    assert "回答: 5年" in first.inner_text()


def test_note_kinds_are_a_facet_of_their_own(sized, server, reader, whoosh):
    """Issue 16: 補足, 空欄 … were values of 回答.  They are now 転記メモの種類, counted like Whoosh."""
    from hyoka import schema as S
    from hyoka_search.query import search

    pg = sized
    q = "委託"
    pg.goto(server + "search/?q=" + quote(q))
    res, keys = browser_result(pg, reader)
    w = search(whoosh, q, limit=None)
    assert not set(res["facets"]["answer"]) & set(S.NOTE_KINDS)
    assert {k: v for k, v in res["facets"]["note_kind"].items() if k} == dict(w.facets["note_kind"])
    assert set(res["facets"]["note_kind"]) & set(S.NOTE_KINDS), "the content has notes about 委託"
    fold = pg.locator("#hyoka-ss-fold")
    if not fold.evaluate("d => d.open"):
        pg.locator("#hyoka-ss-fold > summary").click()
    fs = pg.locator("fieldset[data-field=note_kind]")
    assert fs.locator("legend").inner_text() == "転記メモの種類"
    kind, count = w.facets["note_kind"][0]
    fs.locator(f"input[value='{kind}']").check()
    res2, keys2 = browser_result(pg, reader)
    assert keys2 == whoosh_keys(whoosh, q, {"note_kind": kind}) and len(keys2) == count
    assert all(reader.meta(i)["kind_label"] == "転記メモ" for i in res2["ids"])


def test_company_facet_counts_every_item_naming_it(sized, server, reader, whoosh):
    """Issue 16: 株式会社ミラボ (2) in the 委託先 facet while more hits mention ミラボ.  Every hit that names the
    company (by the registry's spellings, site_config/companies.yaml) now counts, in the browser and in Whoosh."""
    from hyoka_search.query import search

    pg = sized
    pg.goto(server + "search/?q=" + quote("ミラボ"))
    res, keys = browser_result(pg, reader)
    assert len(keys) > 2
    assert res["facets"]["company"]["株式会社ミラボ"] == len(keys)  # every hit names it
    assert res["facets"]["company"] == dict(search(whoosh, "ミラボ", limit=None).facets["company"])
    kinds = {reader.meta(i)["kind_label"] for i in res["ids"]}
    assert "委託事項" in kinds and kinds - {"委託事項"}, kinds  # not only the 委託事項 that name it as 委託先
    if not pg.locator("#hyoka-ss-fold").evaluate("d => d.open"):
        pg.locator("#hyoka-ss-fold > summary").click()
    fs = pg.locator("fieldset[data-field=company]")
    assert fs.locator("legend").inner_text() == "委託先名"
    box = fs.locator("input[value='株式会社ミラボ']")
    assert f"株式会社ミラボ ({len(keys)})" in box.locator("xpath=..").inner_text()
    # The filter alone: every item naming the company, each of which has ミラボ in its text.
    pg.goto(server + "search/?company=" + quote("株式会社ミラボ"))
    res2, keys2 = browser_result(pg, reader)
    assert keys2 == whoosh_keys(whoosh, None, {"company": "株式会社ミラボ"}) and set(keys2) <= set(keys)
    assert len(keys2) >= len(keys)


def test_filters_are_folded_on_a_phone_and_open_on_a_desktop(sized, server, reader):
    """Issue 16: on a phone the first result was 1.4 screens down, below ~40 checkboxes.  Below 700 px the
    filters start folded (one line) and the first result is on the first screen; on a desktop they are open."""
    pg = sized
    pg.goto(server + "search/?q=" + quote("委託"))
    browser_result(pg, reader)
    fold = pg.locator("#hyoka-ss-fold")
    boxes = pg.locator("#hyoka-ss-filters input[type=checkbox]")
    first = pg.locator("#hyoka-ss-results > li").first
    if pg.width < 700:
        assert not fold.evaluate("d => d.open")
        assert not boxes.first.is_visible()
        assert first.bounding_box()["y"] + 60 < pg.height, "the first result's title is on the first screen"
        pg.locator("#hyoka-ss-fold > summary").click()
        assert boxes.first.is_visible()
        # a chosen filter is named on the folded line, so it is not forgotten under the fold
        boxes.first.check()
        browser_result(pg, reader)
        pg.locator("#hyoka-ss-fold > summary").click()
        assert not boxes.first.is_visible()
        assert "1 件を選択中" in pg.locator("#hyoka-ss-fold > summary").inner_text()
    else:
        assert fold.evaluate("d => d.open") and boxes.first.is_visible()
        assert first.bounding_box()["y"] < 500
    assert pg.evaluate("document.documentElement.scrollWidth") <= pg.width


def test_header_title_is_whole(sized, server, reader):
    """Issue 16: on a phone the header title was cut to 「評価書ポ…」."""
    pg = sized
    for path in ("search/?q=" + quote("委託"), "takatsuki/"):
        pg.goto(server + path)
        title = pg.locator(".md-header__title .md-header__topic").first.locator(".md-ellipsis")
        assert title.inner_text().strip() == "評価書ポータル"
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth"), "the title is not cut"
        box = title.bounding_box()
        search = pg.get_by_role("search", name="サイト内検索").bounding_box()
        assert box["x"] + box["width"] <= search["x"] + 1, "the title does not run under the search box"


def test_browser_filters_are_the_registry(sized, server, reader):
    """The filters beside the results are exactly the registry's browser facets (hyoka.fields), in its order
    and with its labels."""
    from hyoka import fields

    pg = sized
    pg.goto(server + "search/?q=" + quote("の"))
    browser_result(pg, reader)
    got = pg.locator("fieldset.hyoka-ss__facet").evaluate_all(
        "els => els.map(e => [e.getAttribute('data-field'), e.querySelector('legend').textContent])")
    assert got == [[f.name, f.label] for f in fields.BROWSER]


@pytest.mark.parametrize("path", ["search/?q=" + quote("委託先"), "search/?q=" + quote("5年") + "&sort=site"])
def test_search_page_axe_at_both_widths(sized, server, reader, path):
    from axe_playwright_python.sync_playwright import Axe

    pg = sized
    pg.goto(server + path)
    browser_result(pg, reader)
    violations = Axe().run(pg).response["violations"]
    assert not violations, json.dumps(violations, ensure_ascii=False)[:2000]


@pytest.fixture(scope="module")
def small_blocks(built_site, tmp_path_factory):
    """The built site with its search index exported again in small blocks (many blocks, facet and posting
    files per query): the browser's multi-block path (results collected block by block, ranked at the end)."""
    import shutil

    from hyoka import sitesearch as ss
    from hyoka.companies import load_companies
    from hyoka.documents import corpus_documents
    from hyoka.loader import load_corpus
    from browsing import serve
    from sitesearch_reader import Reader

    root = built_site.root
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    registry = load_companies(root / "site_config")
    docs = ss.order(corpus_documents(corpus, registry))
    files = ss.export(docs, block_docs=256, buckets=32, meta_docs=16, company_names=ss.company_names(registry))
    site = tmp_path_factory.mktemp("small") / "site"
    shutil.copytree(built_site.site, site, symlinks=False, ignore=shutil.ignore_patterns(ss.INDEX_DIR))
    for path, data in files.items():
        (site / ss.INDEX_DIR / path).parent.mkdir(parents=True, exist_ok=True)
        (site / ss.INDEX_DIR / path).write_bytes(data)
    reader = Reader(files)
    assert reader.manifest["blocks"] > 3
    with serve(site) as url:
        yield url, reader


@pytest.mark.parametrize("q", ["委託", "5年", "再委託 OR 保管期間"])
def test_relevance_across_many_blocks(browser, small_blocks, q):
    url, reader = small_blocks
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "search/?q=" + quote(q))
    res, keys = browser_result(page, reader)
    expected = reader.search(q)
    assert res["ids"] == expected.ranked and res["total"] == len(expected.ids)
    assert shown_keys(page) == reader.keys(expected.ranked[:20])
    page.goto(url + "search/?sort=site&q=" + quote(q))
    res2, keys2 = browser_result(page, reader)
    assert res2["ids"] == expected.ids and keys2 == keys
    assert shown_keys(page) == reader.keys(expected.ids[:20])
    assert not errors, errors
    context.close()
