"""The data view: open data under data/ (every assessment as JSON, every flat table as JSON and CSV that
opens in Excel) and the page that describes it (data/index.md).  The rows are hyoka.export's.

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from .. import formkeys
from ..export import TABLES, Rows, _indent, _json_list, to_csv, to_json
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


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """data/: every assessment's JSON, each table's JSON and CSV as the documents' cached parts joined (the same
    bytes as encoding the whole tables), and the page that describes them."""
    rows = Rows.of(corpus, ctx)
    per = [rows.document_rows(d) for d in corpus.assessments]  # each from the disk cache when it has it
    rows._memo = {}  # `per` holds them now; each part is let go once its file is written (memory)
    yield Asset("data/assessments.json", _json_list(_indent(p["data_json"]) for p in per))
    for d, p in zip(corpus.assessments, per):
        yield Asset(f"data/assessments/{d.id}.json", (p.pop("data_json") + "\n").encode("utf-8"))
    yield Asset("data/council_records.json", to_json([{"type": "council_record", **to_data(r)} for r in corpus.council_records]))
    yield Asset("data/schema.json", to_json(document_schema()))
    counts = {}
    for name, (_, cols) in TABLES.items():
        columns = [c for c, _ in cols]
        if name in Rows.PER_DOCUMENT:  # the documents' parts, joined (the bytes of to_json / to_csv of the table)
            counts[name] = sum(len(p.pop(name)) for p in per)
            yield Asset(f"data/{name}.json", _json_list(p["json"].pop(name) for p in per))
            yield Asset(f"data/{name}.csv", to_csv([], columns) + "".join(p["csv"].pop(name) for p in per).encode("utf-8"))
            continue
        table = rows.table(name)
        counts[name] = len(table)
        yield Asset(f"data/{name}.json", to_json(table))
        yield Asset(f"data/{name}.csv", to_csv(table, columns))
    yield _data_page(counts)
