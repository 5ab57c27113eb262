"""Plain words (hyoka.glossary): the terms as data, the marks on an assessment page's labels, the glossary page."""

from __future__ import annotations

import re

import pytest
from htmlquery import by_id, ids, soup, text
from realcontent import corpus

from hyoka import glossary as G
from hyoka.views.assessment import render_assessment
from hyoka.views.parts import Links

# The terms a citizen meets on every assessment (issue 16): each must be explained.
REQUIRED = ("特定個人情報", "特定個人情報ファイル", "個人番号", "委託", "再委託", "提供", "移転", "保管期間", "基礎項目評価",
            "重点項目評価", "全項目評価", "情報提供ネットワークシステム", "評価実施機関", "しきい値判断")
OFFICIAL = ("番号法", "特定個人情報保護評価指針", "評価書様式", "個人情報保護委員会")


def test_every_term_has_one_plain_line_and_names_its_official_source():
    assert set(REQUIRED) <= {t.term for t in G.TERMS}
    assert len({t.key for t in G.TERMS}) == len(G.TERMS) and len({t.term for t in G.TERMS}) == len(G.TERMS)
    for t in G.TERMS:
        assert re.fullmatch(r"[a-z0-9-]+", t.key), t.key
        assert t.plain and "\n" not in t.plain and len(t.plain) <= 130, t.term
        assert any(o in t.source for o in OFFICIAL), t.term


@pytest.mark.parametrize("label, terms", [
    ("⑦再委託の有無", ["再委託"]),
    ("⑥委託先名", ["委託"]),
    ("1．特定個人情報ファイル名", ["特定個人情報ファイル"]),
    ("特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）", ["特定個人情報", "情報提供ネットワークシステム"]),
    ("個人番号カードの交付", []),  # 個人番号カード is not 個人番号
    ("④委託先への特定個人情報ファイルの提供方法", ["委託", "特定個人情報ファイル"]),  # handing a file to a contractor is not 提供
    ("5．特定個人情報の提供・移転（委託に伴うものを除く。）", ["特定個人情報", "提供", "移転", "委託"]),
    ("特定個人情報保護評価書", ["特定個人情報保護評価"]),
])
def test_terms_are_found_longest_first(label, terms):
    assert [t.term for t in G.find_terms(label)] == terms


def _page_md(doc_id: str) -> str:
    c = corpus()
    return render_assessment(c.by_id(doc_id), Links(c))


def test_labels_keep_their_text_and_each_marked_term_has_its_definition_on_the_page():
    md = _page_md("takatsuki-juki-zenkomoku")
    page = soup(md)
    marks = page.select("a.hy-term")
    assert len(marks) >= 15
    present = set(ids(page))
    for a in marks:
        t = G.BY_KEY[a["href"].rsplit("#term-", 1)[1]]
        assert a["href"] == f"../../glossary/#{t.anchor}" and a["data-tip"] == t.plain
        assert a["aria-describedby"] == G.def_id(t) and G.def_id(t) in present
        assert a.get_text() == t.term
    defs = page.select_one(".hy-gl-defs")
    assert defs.has_attr("hidden") and len(defs.select("span[id]")) == len({a["aria-describedby"] for a in marks})
    # labels read as before: the mark is a link around the term, nothing added to the text
    labels = [text(dt) for dt in page.select("dt") if dt.select_one("a.hy-term")]
    assert "⑦再委託の有無¶" in labels and "②保管期間 期間¶" in labels
    # marked in the form's own labels and headings, and once per term per section
    for chunk in re.split(r"(?m)^(?=## )", md):
        keys = [a["href"] for a in soup(chunk).select("dt a.hy-term, h3 a.hy-term, h4 a.hy-term, h5 a.hy-term, h6 a.hy-term")]
        assert len(keys) == len(set(keys))


def test_marking_never_reads_inside_escaped_text_or_attributes():
    hostile = "&lt;a href=&quot;x&quot;&gt;委託&lt;/a&gt; &amp; 再委託"
    md = (f'{G.DEFS_SLOT}\n## A\n<div class="hy-row" id="r"><dt>{hostile}<a class="hy-permalink" href="#r" '
          f'title="{hostile}へのリンク" aria-label="委託へのリンク">¶</a></dt></div>')
    out = G.mark_terms(md, "../../glossary/")
    page = soup(out)
    dt = page.select_one("dt")
    assert [a.get_text() for a in dt.select("a.hy-term")] == ["委託"]
    assert text(dt) == '<a href="x">委託</a> & 再委託¶'  # the author's text, still text
    assert page.select_one("a.hy-permalink")["title"] == '<a href="x">委託</a> & 再委託へのリンク'
    assert page.select_one("a.hy-permalink")["aria-label"] == "委託へのリンク"
    # a page without the definitions' slot is left alone (no term without its definition)
    assert G.mark_terms(md.replace(G.DEFS_SLOT, ""), "x/") == md.replace(G.DEFS_SLOT, "")


def test_glossary_page_is_in_the_nav_with_one_anchor_per_term(built_site):
    page = soup(built_site.page("glossary/index.html"))
    for t in G.TERMS:
        h = by_id(page, t.anchor)
        assert h.name == "h2" and t.term in text(h)
        entry = h.find_next_sibling("div")
        assert t.plain in text(entry) and t.source in text(entry)
    home = soup(built_site.page("index.html"))
    assert any(a.get("href", "").rstrip("/").endswith("glossary") and "用語集" in text(a) for a in home.select("nav a"))


def test_terms_on_a_built_assessment_page_link_to_the_glossary_entries(built_site):
    glossary = set(ids(soup(built_site.page("glossary/index.html"))))
    page = soup(built_site.page("takatsuki/takatsuki-juki-zenkomoku/index.html"))
    marks = page.select("a.hy-term")
    assert {a["href"] for a in marks} and all(a["href"].startswith("../../glossary/#") for a in marks)
    assert {a["href"].split("#")[1] for a in marks} <= glossary
    # the first screen's section names the terms too
    assert by_id(page, "dataflow").select("a.hy-term")
