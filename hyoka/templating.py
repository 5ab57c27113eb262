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


def _finalize(value: object) -> object:
    """Every `{{ value }}`: text is escaped here (line breaks as `&#10;`); markup and None pass."""
    if value is None or isinstance(value, Markup):
        return value
    out = escape(value)  # markupsafe's C escape: & < > " '
    if "\n" in out or "\r" in out:
        out = Markup(str(out).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "&#10;"))
    return out


def md_inline(value: object) -> Markup:
    """Text for a Markdown heading: every Markdown- or HTML-significant character as an entity."""
    return Markup(htmlkit.md_inline(value))


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_Loader("hyoka", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_inline"] = md_inline
    env.filters["front_matter"] = lambda meta: Markup(htmlkit.front_matter(**meta))  # JSON values: any text is quoted
    return env


def render(template: str, /, **context: object) -> str:
    return environment().get_template(template).render(**context)


def macros(name: str = "macros.html"):
    """A template's macros, callable from Python (each returns Markup)."""
    return environment().get_template(name).module
