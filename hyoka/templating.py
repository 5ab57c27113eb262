"""The core's Jinja2 environment: every generated page is rendered from hyoka/templates/.

    from hyoka.templating import render
    markdown = render("assessment.md", page=view)

Pages are Markdown (headings for the table of contents) between raw HTML blocks (hyoka.rawhtml).  Two
rules keep text from content/ from ever becoming Markdown or markup, whatever it holds:

- autoescape is on for every template, and every printed value goes through `_finalize`: HTML-escaped,
  and a line break becomes `&#10;` (shown through `white-space: pre-wrap`), so a raw HTML block never
  gets a blank line from a value and Markdown never reads inside it;
- an `.html` template is one line: the loader drops every line break of its source together with the
  indentation that follows, so templates can be laid out for reading while the output keeps no
  whitespace between elements (a space that matters is written inside a line).  `.md` templates keep
  their lines (the blank lines between Markdown paragraphs).

Values that are already markup (`markupsafe.Markup`) are printed as they are: only the filters below
and other templates make them.  StrictUndefined: a misspelt name is an error, never an empty string.

No MkDocs here.
"""

from __future__ import annotations

import functools
import re

import jinja2
import jinja2.compiler
from markupsafe import Markup, escape

from . import htmlkit

_INDENTED_LINE_BREAK = re.compile(r"\n[ \t]*")


class _Loader(jinja2.PackageLoader):
    """hyoka/templates/, with `.html` templates joined into one line (see the module docstring)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if template.endswith(".html"):
            source = _INDENTED_LINE_BREAK.sub("", source)
        return source, filename, uptodate


_NONE = escape(None)  # what Jinja's autoescape prints for None ("None")


def _finalize(value: object) -> Markup:
    """Every `{{ value }}`: text is escaped here (line breaks as `&#10;`); markup passes.  This is Jinja's
    autoescape too (`escape(finalize(value))`, which only copied the markup made here): the templates are
    compiled without that second escape (`_CodeGenerator`)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return _NONE
    out = escape(value)  # markupsafe's C escape: & < > " '
    if "\n" in out or "\r" in out:
        out = Markup(str(out).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "&#10;"))
    return out


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, printing `{{ value }}` as `finalize(value)` instead of `escape(finalize(value))`:
    `_finalize` returns markup already (the same text; half the markup objects made per value)."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src == "environment.finalize(":
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src == "environment.finalize(":
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


# The macro of macros.html that renders a node, by the node's `tpl` (hyoka.nodes); the others are named as their tpl.
_NODE_MACROS = {tpl: tpl for tpl in ("choice", "fields", "section", "ticks", "note", "date", "link", "bullets", "table",
                                     "external", "not_applicable", "note_list")}
_NODE_MACROS.update(text="text_node", div="div_node", cards="cards_node", permalink="permalink_node",
                    muted="muted_node", related="related_node")
_EMPTY = Markup("")
_MACRO_OF: dict[type, str | None] = {}  # a class → the macro of its nodes (None: iterated, as a list)


def _macro_name(cls: type) -> str | None:
    try:
        return _MACRO_OF[cls]
    except KeyError:
        pass
    if hasattr(cls, "__iter__") or hasattr(cls, "__getitem__"):  # Jinja's `is iterable`
        name = None
    else:
        tpl = getattr(cls, "tpl", None)
        name = _NODE_MACROS.get(tpl) if isinstance(tpl, str) else None
        if name is None:
            raise jinja2.UndefinedError(f"no macro renders a {cls.__name__} (tpl {tpl!r})")
    _MACRO_OF[cls] = name
    return name


def _node(macros: dict, n: object) -> Markup:
    cls = type(n)
    if cls is str:
        return _finalize(n)  # type: ignore[return-value]  # text: escaped
    if n is None:
        return _EMPTY
    if cls is list or cls is tuple:
        return Markup("".join([_node(macros, x) for x in n]))  # type: ignore[arg-type]
    if isinstance(n, str):
        return _finalize(n)  # type: ignore[return-value]  # Markup as it is
    name = _macro_name(cls)
    if name is None:
        return Markup("".join([_node(macros, x) for x in n]))  # type: ignore[attr-defined]
    return macros[name](n)


@jinja2.pass_context
def node_markup(context: jinja2.runtime.Context, n: object) -> Markup:
    """Any node of hyoka.nodes, a text, None or a list of them, as macros.html renders it (`node`): a text
    escaped (as `{{ text }}`), None as nothing, a list as its items in order, a node by the macro of
    macros.html that its `tpl` names.  No markup is written here; called from macros.html's own macros, so
    `context.vars` holds them."""
    return _node(context.vars, n)


def md_inline(value: object) -> Markup:
    """Text for a Markdown heading: every Markdown- or HTML-significant character as an entity."""
    return Markup(htmlkit.md_inline(value))


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator


@functools.cache
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=_Loader("hyoka", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["node_markup"] = node_markup
    env.filters["md_inline"] = md_inline
    env.filters["front_matter"] = lambda meta: Markup(htmlkit.front_matter(**meta))  # JSON values: any text is quoted
    return env


def render(template: str, /, **context: object) -> str:
    return environment().get_template(template).render(**context)


def macros(name: str = "macros.html"):
    """A template's macros, callable from Python (each returns Markup)."""
    return environment().get_template(name).module
