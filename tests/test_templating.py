"""hyoka.templating: the core's Jinja2 environment (autoescape, strict, one-line .html templates) and its
package data.  The end-to-end proof that no text from content/ becomes markup is the hostile-string
site (tests/test_pages.py, tests/test_properties.py); these pin the environment's rules one by one."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import jinja2
import pytest

from hyoka import nodes as N
from hyoka.templating import environment, macros, render

REPO = Path(__file__).resolve().parents[1]
HOSTILE = "<script>alert(1)</script> & \"q\" 'a'\n\n    indented\r\nend"


def test_every_value_is_escaped_and_keeps_no_line_break():
    out = str(macros().node([N.Text(HOSTILE), HOSTILE, N.Link("#x\"><script>", HOSTILE)]))
    assert "<script>" not in out and "\n" not in out and "\r" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34; &#39;a&#39;&#10;&#10;    indented&#10;end" in out
    assert 'href="#x&#34;&gt;&lt;script&gt;"' in out


def test_html_templates_are_one_line_spaces_inside_a_line_stay():
    out = str(macros().note(N.Note(0, "曖昧", "読めない", "12-14", "transcription_notes-1")))
    assert "\n" not in out
    assert '<span class="hy-note-kind">⚠ 曖昧</span> <span class="hy-text">読めない</span>' in out
    assert '（出典の行: 12-14）</span> <a class="hy-note-ref" href="#transcription_notes-1">転記メモ 1</a>' in out


def test_markdown_heading_text_is_all_entities():
    md = render("page.md", front={"title": "t"}, parts=[N.Heading(2, "# [x](javascript:1) <b>", "s1")])
    heading = [line for line in md.splitlines() if line.startswith("## ")][0]
    assert heading.endswith("{ #s1 }")
    assert "<" not in heading[3:] and "[" not in heading[3:] and "(" not in heading[3:-8]


def test_a_misspelt_name_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        render("page.md", front={"title": "t"})  # no `parts`
    with pytest.raises(jinja2.UndefinedError):
        macros().node(N.Heading(2, "x", "y"))  # not a node the body macro knows


def test_environment_settings():
    env = environment()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    assert env.trim_blocks and env.lstrip_blocks


def test_templates_and_static_files_are_package_data():
    """A non-editable install ships every template and static file (pyproject's package-data)."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["hyoka"]
    files = [p.relative_to(REPO / "hyoka").as_posix() for d in ("templates", "static") for p in (REPO / "hyoka" / d).iterdir()]
    assert any(f.endswith(".md") for f in files) and "static/hyoka.css" in files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in data)]
    assert missing == []


@pytest.mark.parametrize("module", sorted(p.name for p in (REPO / "hyoka" / "views").glob("*.py")))
def test_page_modules_write_no_markup_by_hand(module):
    """The page modules prepare values; escaping and markup are the templates' (hyoka.templating)."""
    tree = ast.parse((REPO / "hyoka" / "views" / module).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    assert not names & {"esc", "html", "block", "permalink", "text", "md_inline"}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if "<span" in s or "<div" in s or "<td" in s or "<li" in s]


def test_every_node_kind_has_its_macro_and_a_list_is_its_items_in_order():
    """node_markup (hyoka.templating) calls the macro of macros.html that a node's `tpl` names: every node
    class of hyoka.nodes that may be in a page's body has one; a tuple, a list and a nested list render alike."""
    import dataclasses

    from hyoka import templating

    module = macros()
    kinds = {cls.tpl for cls in vars(N).values() if dataclasses.is_dataclass(cls) and hasattr(cls, "tpl")}
    assert kinds - set(templating._NODE_MACROS) == {"heading", "block", "option"}  # the page's parts; an option is in its choice
    for tpl, name in templating._NODE_MACROS.items():
        assert callable(getattr(module, name)), tpl
    parts = [N.Text("a"), None, "b&", [N.Text(None), ["c"]]]
    out = str(module.node(parts))
    assert out == str(module.node(tuple(parts))) == "".join(str(module.node(p)) for p in parts)
    assert out == '<span class="hy-text">a</span>b&amp;<span class="hy-empty">（記載なし）</span>c'
