"""The data view: open data under data/ (every assessment as JSON, every flat table as JSON and CSV that
opens in Excel) and the page that describes it (data/index.md).  The rows are hyoka.export's.

No MkDocs here.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterator

from .. import formkeys
from ..export import TABLES, Rows, _indent, to_csv, to_json
from ..loader import to_data
from ..jsonschema import document_schema
from ..loader import Corpus
from ..site import Asset, Page, SiteContext
from ..templating import render
from .twin import plain

NAME = "data"


def _data_page(counts: dict[str, int]) -> Page:
    context = {
        "tables": [{"name": name, "title": title, "count": counts[name], "columns": cols} for name, (title, cols) in TABLES.items()],
        "key_scheme": formkeys.KEY_SCHEME,
        "risks": formkeys.risk_table(),
    }
    return Page("data/index.md", "オープンデータ", render("data_index.md", **context), in_nav=True, data=plain(context))


class _Joined:
    """The large files of data/ written piece by piece as the documents go by: each table's JSON and CSV and
    data/assessments.json, in `work_dir` (then handed over as files, Asset.source) or, without one, in memory.
    The bytes are those of to_json / to_csv of the whole table (tested)."""

    def __init__(self, work_dir: str | None):
        self.folder = Path(work_dir) / "data-parts" if work_dir else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        self._out: dict[str, Any] = {}
        self._any: dict[str, bool] = {}

    def _fh(self, name: str):
        fh = self._out.get(name)
        if fh is None:
            fh = self._out[name] = open(self.folder / name, "wb") if self.folder is not None else io.BytesIO()
        return fh

    def json_item(self, name: str, part: str) -> None:
        """One more element (or run of elements) of the list `name` (a `_json_items` part; "" adds nothing)."""
        fh = self._fh(name)
        if part:
            fh.write((",\n" if self._any.get(name) else "[\n").encode("utf-8") + part.encode("utf-8"))
            self._any[name] = True

    def text(self, name: str, head: bytes, part: str) -> None:
        fh = self._fh(name)
        if not self._any.get(name):
            fh.write(head)
            self._any[name] = True
        fh.write(part.encode("utf-8"))

    def asset(self, name: str, path: str) -> Asset:
        """The joined file `name` as the site-level file `path` (a page links to it: Asset.linked)."""
        fh = self._fh(name)
        if name.endswith(".json"):
            fh.write(b"\n]\n" if self._any.get(name) else b"[]\n")
        if self.folder is None:
            return Asset(path, fh.getvalue(), linked=True)
        fh.close()
        return Asset(path, None, source=self.folder / name, linked=True)


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """data/: every assessment's JSON, each table's JSON and CSV as the documents' cached parts joined (the same
    bytes as encoding the whole tables), and the page that describes them.  One pass over the documents (their
    rows from the disk cache when it has them); the joined files grow on disk (ctx.work_dir), not in memory.
    The site-level files (data/*.json, data/*.csv), which pages link to from their Markdown, are `linked`."""
    rows = Rows.of(corpus, ctx)
    joined = _Joined(ctx.work_dir)
    counts = dict.fromkeys(Rows.PER_DOCUMENT, 0)
    heads = {name: to_csv([], [c for c, _ in TABLES[name][1]]) for name in Rows.PER_DOCUMENT}
    for name in Rows.PER_DOCUMENT:
        joined.text(f"{name}.csv", heads[name], "")  # the BOM and the header row, also of an empty table
    for d in rows.documents():  # (models or, with a lazy corpus, summaries: no model read for a cached document)
        p = rows.document_rows(d)
        joined.json_item("assessments.json", _indent(p["data_json"]))
        for name in Rows.PER_DOCUMENT:
            counts[name] += len(p[name])
            joined.json_item(f"{name}.json", p["json"][name])
            joined.text(f"{name}.csv", heads[name], p["csv"][name])
        yield Asset(f"data/assessments/{d.id}.json", (p["data_json"] + "\n").encode("utf-8"))
    yield joined.asset("assessments.json", "data/assessments.json")
    yield Asset("data/council_records.json", to_json([{"type": "council_record", **to_data(r)} for r in corpus.council_records]), linked=True)
    yield Asset("data/schema.json", to_json(document_schema()), linked=True)
    for name, (_, cols) in TABLES.items():
        if name in Rows.PER_DOCUMENT:
            yield joined.asset(f"{name}.json", f"data/{name}.json")
            yield joined.asset(f"{name}.csv", f"data/{name}.csv")
            continue
        table = rows.table(name)
        counts[name] = len(table)
        columns = [c for c, _ in cols]
        yield Asset(f"data/{name}.json", to_json(table), linked=True)
        yield Asset(f"data/{name}.csv", to_csv(table, columns), linked=True)
    yield _data_page(counts)
