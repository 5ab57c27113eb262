"""The HTML helper every test reads pages with (tests/htmlquery.py): what it finds is what a reader or a browser
would, so the page tests cannot pass on markup a reader never sees."""

from __future__ import annotations

import pytest

from htmlquery import attributes, by_id, hrefs, ids, links, nearest_id, soup, text

PAGE = """<div id="row">評価書 &amp; 委託<script>var hidden = "スクリプト";</script><style>p{color:red}</style>
<!-- コメント --><span class="is-chosen">◉ 回答</span><a href="#n1" class="hy-note x">注</a></div>
<p id="empty"></p><a id="self" href="../">自身</a>"""


def test_text_is_what_a_reader_sees():
    t = text(by_id(PAGE, "row"))
    assert "評価書 & 委託" in t and "◉ 回答" in t and "注" in t
    assert "スクリプト" not in t and "color" not in t and "コメント" not in t


def test_a_missing_id_fails_with_its_name():
    with pytest.raises(AssertionError, match="#nope がページにありません"):
        by_id(PAGE, "nope")


def test_ids_links_and_the_nearest_id():
    assert ids(PAGE) == ["row", "empty", "self"]
    assert ids('<p id="a"></p><p id="a"></p>') == ["a", "a"]  # duplicates stay visible
    assert links(by_id(PAGE, "row")) == [("#n1", "hy-note x")]
    assert hrefs(by_id(PAGE, "self")) == ["../"]  # the element itself when it is a link
    assert nearest_id(soup(PAGE).select_one(".is-chosen")) == "row"


def test_repeated_attributes_are_all_seen():
    # a browser keeps the first href; an injected second one must not hide it from the test either
    got = attributes('<a href="javascript:alert(1)" href="ok/" onclick="x">a</a>')
    assert ("href", "javascript:alert(1)") in got and ("href", "ok/") in got and ("onclick", "x") in got
