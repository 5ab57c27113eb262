"""The data view: open data under data/ (every assessment as JSON, every flat table as JSON and CSV that
opens in Excel) and the page that describes it (data/index.md).  The rows are hyoka.export's.

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from .. import formkeys
from ..export import TABLES, Rows, to_csv, to_json
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
    docs = [{"type": "assessment", **to_data(d)} for d in corpus.assessments]
    yield Asset("data/assessments.json", to_json(docs))
    for d in docs:
        yield Asset(f"data/assessments/{d['id']}.json", to_json(d))
    yield Asset("data/council_records.json", to_json([{"type": "council_record", **to_data(r)} for r in corpus.council_records]))
    yield Asset("data/schema.json", to_json(document_schema()))
    rows = Rows(corpus, ctx, findings=ctx.findings)
    counts = {}
    for name, (_, cols) in TABLES.items():
        table = rows.table(name)
        counts[name] = len(table)
        yield Asset(f"data/{name}.json", to_json(table))
        yield Asset(f"data/{name}.csv", to_csv(table, [c for c, _ in cols]))
    yield _data_page(counts)
