"""The plain values a page is made of, rendered by hyoka/templates/macros.html (`node`).

The view code (hyoka.views) turns the model into these: texts, dates, choices with their
options, tick groups, rows of fields, tables, sections and cards, note markers.  They hold text, never
markup; the templates decide the markup and escape every value.  `tpl` names the macro that renders a
node; a plain `str` is printed as escaped text, a list as its items in order.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Sequence

Node = Any  # a node below, a str (text), or a list of nodes

_dc = dataclasses.dataclass(frozen=True, slots=True)


@_dc
class Text:
    """Text from content/ (`<span class="hy-text">`), or 「（記載なし）」 when None or ''."""

    value: object | None
    tpl: ClassVar[str] = "text"


@_dc
class Date:
    printed: str
    iso: str
    show_iso: bool  # the printed date is not the ISO date itself (an era date): show both
    tpl: ClassVar[str] = "date"


@_dc
class Option:
    n: int
    label: str
    chosen: bool
    concern: bool
    tpl: ClassVar[str] = "option"


@_dc
class Choice:
    """［ answer ］ and the form's numbered options, the chosen one marked."""

    answer: str | None
    options: Sequence[Option]
    tpl: ClassVar[str] = "choice"


@_dc
class Tick:
    label: str
    on: bool
    detail: str | None = None


@_dc
class Ticks:
    items: Sequence[Tick]
    tpl: ClassVar[str] = "ticks"


@_dc
class Note:
    """A transcription note's marker at the item it names (number `i` counts from 0)."""

    i: int
    note_kind: str
    note: str
    source_lines: str | None
    ref: str  # the id of the note in the list at the end of the page
    tpl: ClassVar[str] = "note"


@_dc
class Row:
    label: str
    value: Node
    anchor: str
    notes: Sequence[Note] = ()
    cls: str = ""


@_dc
class Fields:
    """Rows of 「label | value」, each with its id and ¶; nothing at all when there is no row."""

    rows: Sequence[Row]
    tpl: ClassVar[str] = "fields"


@_dc
class Item:
    content: Node
    id: str | None = None


@_dc
class Bullets:
    items: Sequence[Item]
    cls: str = "hy-list"
    ordered: bool = False
    tpl: ClassVar[str] = "bullets"


@_dc
class Cell:
    label: str  # the column's heading (data-label: shown beside the value at phone width)
    content: Node


@_dc
class TRow:
    cells: Sequence[Cell]
    id: str | None = None


@_dc
class Table:
    head: Sequence[str]
    rows: Sequence[TRow]
    caption: str = ""
    cls: str = "hy-table hy-stack"
    tpl: ClassVar[str] = "table"


@_dc
class Section:
    """A part of a section (cls "hy-part") or a card ("hy-card …"): the id on the whole, ¶ on its heading."""

    cls: str
    anchor: str
    level: int
    title: str
    notes: Sequence[Note]
    inner: Node
    tpl: ClassVar[str] = "section"


@_dc
class Cards:
    items: Sequence[Node]
    tpl: ClassVar[str] = "cards"


@_dc
class Div:
    """A text in a wrapper that gives it its layout: hy-longtext (long text), hy-item-text."""

    cls: str
    content: Node
    tpl: ClassVar[str] = "div"


@_dc
class Link:
    href: str
    label: Node
    cls: str = ""
    tpl: ClassVar[str] = "link"


@_dc
class External:
    """A link to another site (never loaded by our pages); `safe` False: shown as text only."""

    url: str
    label: str
    safe: bool
    tpl: ClassVar[str] = "external"


@_dc
class Muted:
    text: str
    tpl: ClassVar[str] = "muted"


@_dc
class Permalink:
    anchor: str
    what: str
    tpl: ClassVar[str] = "permalink"


@_dc
class NotApplicable:
    """A section's ticked 「該当なし」 box."""

    anchor: str
    label: str
    notes: Sequence[Note]
    tpl: ClassVar[str] = "not_applicable"


@_dc
class Related:
    """The council records of an assessment's 第三者点検."""

    records: Node
    tpl: ClassVar[str] = "related"


@_dc
class NoteEntry:
    id: str
    note_kind: str
    path: str
    note: str
    source_lines: str | None
    target: str | None  # the id of the item the note is shown at
    where: str = ""  # where the item is, in the form's labels and numbers (hyoka.formlabels.path_label)


@_dc
class NoteList:
    """The list of all transcription notes at the end of a page."""

    items: Sequence[NoteEntry]
    tpl: ClassVar[str] = "note_list"


@_dc
class Heading:
    """A Markdown heading of the page (it feeds the table of contents)."""

    level: int
    title: str
    anchor: str
    tpl: ClassVar[str] = "heading"


@_dc
class Block:
    """One raw HTML block of the page."""

    body: Node
    tpl: ClassVar[str] = "block"


def is_empty(n: Node) -> bool:
    """True when the node renders to nothing."""
    if n is None or n == "":
        return True
    if isinstance(n, (list, tuple)):
        return all(is_empty(x) for x in n)
    if isinstance(n, Fields):
        return not n.rows
    return False
