"""Parts shared by the document views (assessment, council record): links across the site, values
as page nodes (hyoka.nodes), transcription notes placed where they belong, definition lists of fields.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, Iterable

from pydantic import BaseModel

from .. import anchors as A
from .. import choices as C
from .. import schema as S
from .. import nodes as N
from ..htmlkit import SAFE_HREF, url_of
from ..loader import Corpus, Municipality

# Answers that a citizen should see first: the form's "not enough" levels of its graded scales.
CONCERN_ANSWERS = ("課題が残されている", "十分に行っていない")


# ---- links across the site ----------------------------------------------------------------------


@dataclasses.dataclass
class Links:
    """Where every document and municipality lives; built once per corpus."""

    corpus: Corpus

    def __post_init__(self) -> None:
        self.docs = self.corpus.doc_map()  # id → document (read when looked up, with a lazy corpus)
        # council records ↔ assessments, both directions, whichever side names the link
        self.records_of: dict[str, list[str]] = {}
        self.assessments_of: dict[str, list[str]] = {}
        for a in self.corpus.summaries():  # (no model read: a lazy corpus keeps these facts)
            for rid in a.council_records:
                self._pair(a.id, rid)
        for r in self.corpus.council_records:
            for aid in r.assessments:
                self._pair(aid, r.id)

    def _pair(self, aid: str, rid: str) -> None:
        if aid in self.docs and rid in self.docs:
            if rid not in self.records_of.setdefault(aid, []):
                self.records_of[aid].append(rid)
            if aid not in self.assessments_of.setdefault(rid, []):
                self.assessments_of[rid].append(aid)

    def doc_ids_of(self, code: str) -> tuple[list[str], list[S.CouncilRecord]]:
        """A municipality's assessment ids and council records, newest first: worked out once per corpus from
        the summaries (with a lazy corpus no model is read)."""
        by = getattr(self, "_by_municipality", None)
        if by is None:
            groups: dict[str, tuple[list, list]] = {}
            for d in self.corpus.summaries():
                groups.setdefault(d.municipality, ([], []))[0].append(d)
            for d in self.corpus.council_records:
                groups.setdefault(d.municipality, ([], []))[1].append(d)
            by = self._by_municipality = {
                c: ([d.id for d in sorted(a, key=lambda d: (date_key(d.published), d.id), reverse=True)],
                    sorted(r, key=lambda d: (date_key(d.date), d.id), reverse=True))
                for c, (a, r) in groups.items()}
        ids, r = by.get(code, ((), ()))
        return list(ids), list(r)

    def docs_of(self, code: str) -> tuple[list[S.Assessment], list[S.CouncilRecord]]:
        """A municipality's assessments and council records, newest first (the models read for this
        municipality only)."""
        ids, r = self.doc_ids_of(code)
        return [self.docs[i] for i in ids], r

    def municipality(self, code: str) -> Municipality:
        return self.corpus.municipalities[code]

    def doc_path(self, doc_id: str) -> str:
        code = self.corpus.municipality_of(doc_id)  # (a lazy corpus reads no model for it)
        if code is None:
            raise KeyError(doc_id)
        return A.page_path(self.municipality(code).slug, doc_id)

    def doc_url(self, doc_id: str, anchor: str | None = None) -> str:
        code = self.corpus.municipality_of(doc_id)
        if code is None:
            raise KeyError(doc_id)
        return A.permalink(self.municipality(code).slug, doc_id, anchor)

    def municipality_url(self, code: str) -> str:
        return url_of(A.municipality_path(self.municipality(code).slug))


# ---- small helpers ------------------------------------------------------------------------------


def path_id(path: str) -> str:
    """Anchor id from a model path: `files[0].basics.persons` → `files-1-basics-persons`."""
    return re.sub(r"\[(\d+)\]", lambda m: f"-{int(m.group(1)) + 1}", path).replace(".", "-")


def field_title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def unnumbered(title: str) -> str:
    return re.sub(r"^[0-9０-９]+[．.]\s*", "", title)


def inner_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    return S.inner_model(model.model_fields[name].annotation)


def _options(model: type[BaseModel], name: str) -> tuple[str, ...] | None:
    """The official options of a choice field (its Literal), if the field is a choice."""
    return S.choice_options(model.model_fields[name].annotation)


def ja_date(value: S.JaDate | str | dt.date | None) -> N.Node:
    """A date as printed, with its Gregorian date when it is one."""
    if value is None:
        return N.Text(None)
    if isinstance(value, dt.date):
        return N.Date(value.isoformat(), value.isoformat(), False)
    if isinstance(value, S.JaDate):
        try:
            iso = value.iso
        except Exception:  # pragma: no cover - validated already
            return N.Text(value)
        return N.Date(str(value), iso, str(value) != iso)
    return N.Text(value)


def date_key(value: S.JaDate | None) -> str:
    try:
        return value.iso if value is not None else ""
    except Exception:  # pragma: no cover
        return ""


def choice(value: str | None, options: Iterable[str] | None) -> N.Choice:
    """A choice answer the way the form prints it: ［ answer ］ and the numbered options, chosen one marked."""
    return N.Choice(
        value,
        [N.Option(i, opt, opt == value, opt == value and opt in CONCERN_ANSWERS) for i, opt in enumerate(options or [], 1)],
    )


def ticks(value: S.TickBase | None) -> N.Node:
    """A tick-box group: every official option, ☑ when ticked (○ on paper), ☐ otherwise."""
    if value is None:
        return N.Text(None)
    return N.Ticks([N.Tick(opt, opt in value.ticked, value.details.get(opt) or None) for opt in value.OPTIONS])


def external_link(url: str | None, label: str | None = None) -> N.Node:
    """A link to an external page (never loaded by our pages); anything but http(s) stays text."""
    if not url:
        return ""
    return N.External(url, label if label is not None else url, bool(SAFE_HREF.match(url)))


# ---- transcription notes ------------------------------------------------------------------------


class NoteBoard:
    """Shows each transcription note at the item it names, and remembers where, for the list at the end."""

    def __init__(self, notes: list[S.TranscriptionNote]):
        self.notes = notes
        self.where: dict[int, str] = {}
        # every note's path and each path above it (`files[0].basics.persons` → `files`, `files[0]`,
        # `files[0].basics`, itself): a path outside this set has no note on or below it
        self._exact = {n.path for n in notes}
        self._reach = set(self._exact)
        for n in notes:
            self._reach.update(n.path[:k] for k, ch in enumerate(n.path) if ch in ".[")

    def noted(self, path: str) -> bool:
        """True when a note names `path` or a path below it (shown yet or not)."""
        return path in self._reach

    def at(self, path: str, anchor: str, deep: bool = False, exclude: tuple[str, ...] = (), everything: bool = False) -> list[N.Note]:
        """Markers for the notes on `path` (and, if deep, below it) not shown yet; they are shown here."""
        if not everything and path not in (self._reach if deep else self._exact):
            return []  # no note on (or below) this path: nothing to look for
        out = []
        for i, n in enumerate(self.notes):
            if i in self.where:
                continue
            if any(n.path == x or n.path.startswith(x + ".") or n.path.startswith(x + "[") for x in exclude):
                continue
            if everything or n.path == path or (deep and (n.path.startswith(path + ".") or n.path.startswith(path + "["))):
                self.where[i] = anchor
                out.append(self.marker(i, n))
        return out

    @staticmethod
    def marker(i: int, n: S.TranscriptionNote) -> N.Note:
        return N.Note(i, n.kind, n.note, n.source_lines or None, path_id(f"transcription_notes[{i}]"))

    def entries(self, with_lines: bool = True) -> N.NoteList:
        """The list of all notes for the end of the page, each linked to where it is shown."""
        out = []
        for i, n in enumerate(self.notes):
            at = self.where.get(i)
            out.append(N.NoteEntry(
                path_id(f"transcription_notes[{i}]"), n.kind, n.path, n.note,
                (n.source_lines or None) if with_lines else None, at if at and at != "notes" else None,
            ))
        return N.NoteList(out)

    def concern_count(self) -> int:
        return len(self.notes)


# ---- a definition list of fields ----------------------------------------------------------------


class Fields:
    """Rows of 「label | value」 for one model object; each row has an id and a permalink."""

    def __init__(self, notes: NoteBoard):
        self.notes = notes
        self.rows: list[N.Row] = []

    def row(self, label: str, value: N.Node, anchor: str, path: str | None = None, deep: bool = True, cls: str = "") -> None:
        note = self.notes.at(path, anchor, deep=deep) if path else []
        self.rows.append(N.Row(label, value, anchor, note, cls))

    def field(self, obj: BaseModel, name: str, path: str, label: str | None = None, anchor: str | None = None, always: bool = False) -> None:
        """One model field, rendered by its type; skipped when empty unless a note names it.

        A nested model (not a tick group) is shown as its own rows, labelled 「parent child」;
        a list of models (別紙 tables) as a table in one row.
        """
        fpath = f"{path}.{name}" if path else name
        value = getattr(obj, name)
        model = type(obj)
        title = label or field_title(model, name)
        if isinstance(value, BaseModel) and not isinstance(value, S.TickBase):
            self.fields(value, fpath, prefix=title)
            return
        noted = self.notes.noted(fpath)
        if (value is None or value == [] or value == {}) and not noted and not always:
            return
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            shown = model_table(value, fpath, self.notes)
        else:
            shown = value_node(model, name, value)
        self.row(title, shown, anchor or path_id(fpath), fpath)

    def fields(self, obj: BaseModel, path: str, skip: Iterable[str] = (), prefix: str = "", always: Iterable[str] = (), labels: dict[str, str] | None = None) -> "Fields":
        """Every field of `obj` in the model's (= the form's) order."""
        labels = labels or {}
        for name in type(obj).model_fields:
            if name in skip:
                continue
            label = labels.get(name) or (f"{prefix} {field_title(type(obj), name)}" if prefix else None)
            self.field(obj, name, path, label=label, always=name in always)
        return self

    def node(self) -> N.Fields:
        return N.Fields(self.rows)


def value_node(model: type[BaseModel], name: str, value: Any) -> N.Node:
    if isinstance(value, S.TickBase):
        return ticks(value)
    opts = _options(model, name)
    if opts is not None and (value is None or isinstance(value, str)):
        return choice(value, opts)
    if isinstance(value, (S.JaDate, dt.date)):
        return ja_date(value)
    if isinstance(value, list):
        if not value:
            return N.Text(None)
        return N.Bullets([N.Item(N.Text(v)) for v in value])
    if isinstance(value, bool):
        return N.Text("はい" if value else "いいえ")
    return N.Text(value)


def model_table(rows: list[BaseModel], path: str, notes: NoteBoard) -> N.Table:
    """A list of models (e.g. 別紙の提供先一覧) as a table: one column per field that has a value."""
    model = type(rows[0])
    cols = [n for n in model.model_fields if any(getattr(r, n) not in (None, [], {}) for r in rows)]
    trs = []
    for i, r in enumerate(rows):
        rp = f"{path}[{i}]"
        rid = path_id(rp)
        cells = []
        for j, n in enumerate(cols):
            v = getattr(r, n)
            cell: list[N.Node] = [value_node(model, n, v) if v is not None else N.Text(None)]
            if j == 0:
                cell.append(N.Permalink(rid, f"{i + 1}行目"))
            cells.append(N.Cell(field_title(model, n), cell))
        note = notes.at(rp, rid, deep=True)
        if note:
            cells[-1].content.extend(note)
        trs.append(N.TRow(cells, rid))
    return N.Table([field_title(model, n) for n in cols], trs)


def item_value(item: S.Item, notes: NoteBoard | None = None) -> N.Node:
    parts: list[N.Node] = []
    allowed = C.choices_for_question(item.label)
    if item.answer is not None or (allowed is not None and item.text is None and not item.options):
        parts.append(choice(item.answer, allowed))
    if item.options:
        parts.append(N.Ticks([N.Tick(opt, opt in item.ticked) for opt in item.options]))
    if item.text is not None:
        parts.append(N.Div("hy-item-text", N.Text(item.text)))
    return parts or N.Text(None)


def item_label(item: S.Item) -> str:
    return f"{item.no}{item.label}" if item.no else item.label



def source_fields(src: S.Source, notes: NoteBoard) -> N.Node:
    """出典: the source document, its date, its address; and the notes on them."""
    fl = Fields(notes)
    for name in S.Source.model_fields:
        if name == "url" and src.url:
            fl.row(field_title(S.Source, "url"), external_link(src.url), "source-url", "source.url")
        else:
            fl.field(src, name, "source", always=name in ("document", "as_of"))
    return [fl.node(), notes.at("source", "source", deep=True)]


def joined(nodes: list[N.Node], sep: str = "、") -> list[N.Node]:
    out: list[N.Node] = []
    for i, n in enumerate(nodes):
        if i:
            out.append(sep)
        out.append(n)
    return out



def site_links(corpus: Corpus, ctx) -> Links:
    """The corpus's Links, made once per build and shared by the views (kept on the SiteContext)."""
    got = getattr(ctx, "_links", None)
    if got is None or got.corpus is not corpus:
        got = Links(corpus)
        ctx._links = got
    return got
