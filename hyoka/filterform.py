"""The filter form above a filterable table, shared by the compare pages (`hyoka.views.compare`) and the
findings page (`hyoka.views.findings`), and the script and stylesheet it needs (`static/hyoka-filter.js`,
`static/hyoka-compare.css`).  The markup is in templates/filters.html (autoescaped); the callers pass plain text.

No MkDocs and no Whoosh here.
"""

from __future__ import annotations

from typing import Iterable

from markupsafe import Markup

from .htmlkit import rel_url
from .templating import macros

JS_PATH = "assets/hyoka-filter.js"
CSS_PATH = "assets/hyoka-compare.css"
DEFAULT_PLACEHOLDER = "例: 再委託"


def head(base: str) -> Markup:
    """The stylesheet and script of the filter, linked relative to the page at `base`."""
    return macros("filters.html").head(rel_url(CSS_PATH, base), rel_url(JS_PATH, base))


def select(name: str, label: str, options: Iterable[tuple[str, str, int]]) -> Markup:
    """One filter: (value, text, count) options after 「すべて」."""
    return macros("filters.html").select(name, label, list(options))


def filter_form(selects: list[str], table_note: str = "", placeholder: str = DEFAULT_PLACEHOLDER) -> Markup:
    """The form: the `select`s, a word filter (its placeholder an example that gives results), reset and the
    live count (filled by hyoka-filter.js, one line per table)."""
    return macros("filters.html").form([Markup(s) for s in selects], table_note, placeholder)
