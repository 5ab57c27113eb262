"""The filter form above a filterable table, shared by the compare pages (`hyoka_search.compare`) and
the findings page (`hyoka.findings_pages`), and the script and stylesheet it needs
(`static/hyoka-filter.js`, `static/hyoka-compare.css`).

Every value is escaped here (`htmlkit.esc`); the callers pass plain text.  No MkDocs and no Whoosh here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .htmlkit import block, esc, rel_url

STATIC = Path(__file__).with_name("static")  # hyoka/static/: the core's CSS and JavaScript
JS_PATH = "assets/hyoka-filter.js"
CSS_PATH = "assets/hyoka-compare.css"


def head(base: str) -> str:
    """The stylesheet and script of the filter, linked relative to the page at `base`."""
    return block(
        '<div class="hyoka-assets">'
        f'<link rel="stylesheet" href="{esc(rel_url(CSS_PATH, base))}">'
        f'<script src="{esc(rel_url(JS_PATH, base))}" defer></script>'
        "</div>"
    )


def select(name: str, label: str, options: Iterable[tuple[str, str, int]]) -> str:
    """One filter: (value, text, count) options after 「すべて」."""
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}（{n}）</option>' for v, t, n in options)
    return f'<label>{esc(label)}<select name="{esc(name)}"><option value="">すべて</option>{opts}</select></label>'


def filter_form(selects: list[str], table_note: str = "") -> str:
    """The form: the `select`s, a word filter, reset and the live count."""
    return block(
        f'<form class="hyoka-filter" role="search" aria-label="表の絞り込み{esc(table_note)}">'
        + "".join(selects)
        + '<label>語で絞り込む<input type="search" name="q" placeholder="例: 再委託"></label>'
        + '<button type="reset">解除</button>'
        + '<output class="hyoka-count" aria-live="polite"></output>'
        + "</form>"
    )
