"""The Whoosh index: schema, full build and incremental update.

    stats = update_index(corpus, registry, Path(".hyoka-index"))
    stats.added, stats.deleted, stats.unchanged

Every document stores a hash of its fields (`hash`).  An update reads (key, hash) of the stored
documents, deletes the documents whose key is gone or whose hash changed, adds the changed and new
ones, and commits only if something changed.  A schema change (SCHEMA_VERSION) rebuilds from
scratch.  `ram_index(corpus, registry)` builds the same index in memory (for callers without a
directory).

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
import time
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from hyoka.companies import Registry
from hyoka.loader import Corpus

from .analysis import ja_analyzer
from .documents import corpus_documents

SCHEMA_VERSION = 5  # 5: notes boosted 0.3; 2: bigrams + segment-final character (no unigrams); 4: facet fields sortable (columns)
INDEX_NAME = "hyoka"
META_FILE = "hyoka-index.json"

# Filterable / facet fields (exact values)
FACET_FIELDS = ("kind", "city", "form", "section", "part", "answer", "company", "subcontract", "retention", "risk_key", "doc_type", "aid")


def make_schema() -> Schema:
    ja = ja_analyzer()
    return Schema(
        key=ID(unique=True, stored=True, sortable=True),
        hash=ID(stored=True),
        kind=ID(stored=True, sortable=True),
        kind_label=STORED(),
        doc_type=ID(stored=True, sortable=True),
        aid=ID(stored=True, sortable=True),
        city=ID(stored=True, sortable=True),
        city_name=ID(stored=True),
        slug=STORED(),
        form=ID(stored=True, sortable=True),
        form_version=STORED(),
        title=STORED(),
        status=ID(stored=True),
        as_of=STORED(),
        file_no=NUMERIC(int, bits=32, signed=True, stored=True),  # signed: unsigned ranges are wrong in 2.7
        file_name=STORED(),
        section=ID(stored=True, sortable=True),
        part=ID(stored=True, sortable=True),
        part_title=STORED(),
        anchor=STORED(),
        url=STORED(),
        label=STORED(),
        answer=ID(stored=True, sortable=True),
        text=STORED(),
        content=TEXT(analyzer=ja, phrase=True, stored=True),
        company=KEYWORD(commas=True, stored=True),
        subcontract=ID(stored=True, sortable=True),
        retention=ID(stored=True, sortable=True),
        retention_reason=STORED(),
        risk_key=ID(stored=True, sortable=True),
        risk_title=STORED(),
        extra=STORED(),
    )


@dataclasses.dataclass
class IndexStats:
    added: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    changed_keys: list[str] = dataclasses.field(default_factory=list)
    removed_keys: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        how = "作り直し" if self.rebuilt else "差分更新"
        return f"索引 {how}: 追加 {self.added}・削除 {self.deleted}・変更なし {self.unchanged}（{self.seconds:.2f} 秒）"


def _meta_ok(index_dir: Path) -> bool:
    try:
        meta = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("schema_version") == SCHEMA_VERSION


def open_index(index_dir: Path):
    """Open an existing index (raises FileNotFoundError with a Japanese message if there is none)."""
    if not index_dir.exists() or not windex.exists_in(str(index_dir), indexname=INDEX_NAME):
        raise FileNotFoundError(f"索引がありません: {index_dir}（`hyoka index` で作成してください）")
    return windex.open_dir(str(index_dir), indexname=INDEX_NAME)


# Ranking: transcription notes describe the transcription, not the assessment; rank them lower.
KIND_BOOST = {"note": 0.3}


def _add(writer, d: dict[str, Any]) -> None:
    boost = KIND_BOOST.get(d["kind"])
    writer.add_document(**d, **({"_boost": boost} if boost else {}))


def _write_docs(writer, docs: list[dict[str, Any]]) -> None:
    for d in docs:
        _add(writer, d)


def update_index(corpus: Corpus, registry: Registry, index_dir: Path, docs: list[dict] | None = None) -> IndexStats:
    """Create the index in `index_dir`, or bring it up to date touching only changed documents."""
    t0 = time.perf_counter()
    docs = corpus_documents(corpus, registry) if docs is None else docs
    stats = IndexStats()
    index_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (_meta_ok(index_dir) and windex.exists_in(str(index_dir), indexname=INDEX_NAME))
    if fresh:
        ix = windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME)
        writer = ix.writer()
        _write_docs(writer, docs)
        writer.commit()
        stats.added, stats.rebuilt = len(docs), True
        stats.changed_keys = [d["key"] for d in docs]
        (index_dir / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    else:
        ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
        with ix.searcher() as s:
            stored = {f["key"]: f["hash"] for f in s.all_stored_fields()}
        new = {d["key"]: d for d in docs}
        changed = [d for k, d in new.items() if stored.get(k) != d["hash"]]
        removed = [k for k in stored if k not in new]
        stats.unchanged = len(new) - len(changed)
        if changed or removed:
            writer = ix.writer()
            for k in removed:
                writer.delete_by_term("key", k)
            for d in changed:
                if d["key"] in stored:
                    writer.delete_by_term("key", d["key"])
                    stats.deleted += 1
                _add(writer, d)
            writer.commit()
        stats.added = len(changed)
        stats.deleted += len(removed)
        stats.changed_keys = [d["key"] for d in changed]
        stats.removed_keys = removed
    ix.close()
    stats.seconds = time.perf_counter() - t0
    return stats


class _PrivateRamStorage(RamStorage):
    """Whoosh's RamStorage puts its merge files in <tmp>/<indexname>.tmp: one folder shared by every process
    on the machine, so two builds at once delete each other's files. Give each index its own folder."""

    def temp_storage(self, name=None):
        return super().temp_storage(f"hyoka-{os.getpid()}-{uuid.uuid4().hex}.tmp")


def ram_index(corpus: Corpus, registry: Registry, docs: list[dict] | None = None):
    """The same index in memory."""
    docs = corpus_documents(corpus, registry) if docs is None else docs
    ix = _PrivateRamStorage().create_index(make_schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    _write_docs(writer, docs)
    writer.commit()
    return ix
