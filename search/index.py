"""The Whoosh index: schema, full build and incremental update.

    stats = update_index(corpus, registry, Path(".hyoka-index"))
    stats.added, stats.deleted, stats.unchanged

Every document stores a hash of its fields (`hash`).  An update reads one digest per source document
(`aid`: a digest of its documents' keys and hashes, hyoka.documents.document_digests) from the sidecar
HASHES_FILE when it belongs to the index's current generation (otherwise from the stored fields), reads the
stored (key, hash) of the source documents whose digest changed, deletes the documents whose key is gone
or whose hash changed, adds the changed and new ones, and commits only if something changed.  A schema change (SCHEMA_VERSION)
rebuilds from scratch.

Writing speed (Whoosh is pure Python; see README "Performance"): the writer's posting pool gets
LIMITMB; when it spills, its sorted runs are pickled in chunks instead of one posting at a time; and
field lengths are read once per field while the segment is written instead of once per posting.
Those patches use private Whoosh 2.7.4 internals and live in whoosh_private.py (nothing here does).
The index stays one segment (several segments would change the scores of one-character prefix
queries, whose terms Whoosh expands per segment).  `ram_index(corpus, registry)` builds the same index in memory (for callers without a
directory).

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import uuid
import time
from pathlib import Path
from typing import Any, Iterable

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage

from hyoka import fields
from hyoka.companies import Registry
from hyoka.documents import DigestSum, DocStream, corpus_documents, document_digests, documents_of
from hyoka.loader import Corpus

from . import whoosh_private as wp
from .analysis import JaText

SCHEMA_VERSION = 6  # 6: facets from hyoka.fields (note_kind; company on every item naming it); 5: notes boosted 0.3; 2: bigrams + segment-final character (no unigrams); 4: facet fields sortable (columns)
INDEX_NAME = "hyoka"
META_FILE = "hyoka-index.json"
HASHES_FILE = "hyoka-hashes.json"  # {"generation": g, "documents": {aid: digest}} of the index as committed
LIMITMB = 96  # the writer's posting pool (MB, Whoosh's estimate of its size) before it spills a sorted run: at N = 1,000
#   (73,000 documents per process) 96 MB wrote a segment in the time 256 MB did (218 s) with half the peak (158 MB, not 325)

# Filterable / facet fields (exact values): the registry's facets (hyoka.fields) and three filters
FACET_FIELDS = (*fields.NAMES, "part", "doc_type", "aid")


def _facet_field(f: fields.Facet):
    """A facet's Whoosh field: one exact value with a column (counted from it), or several (KEYWORD)."""
    return KEYWORD(commas=True, stored=True) if f.multi else ID(stored=True, sortable=True)


def make_schema() -> Schema:
    return Schema(
        key=ID(unique=True, stored=True, sortable=True),
        hash=ID(stored=True),
        kind_label=STORED(),
        doc_type=ID(stored=True, sortable=True),
        aid=ID(stored=True, sortable=True),
        city_name=ID(stored=True),
        slug=STORED(),
        form_version=STORED(),
        title=STORED(),
        status=ID(stored=True),
        as_of=STORED(),
        file_no=NUMERIC(int, bits=32, signed=True, stored=True),  # signed: unsigned ranges are wrong in 2.7
        file_name=STORED(),
        part=ID(stored=True, sortable=True),
        part_title=STORED(),
        anchor=STORED(),
        url=STORED(),
        label=STORED(),
        text=STORED(),
        content=JaText(stored=True),  # = TEXT(analyzer=ja_analyzer(), phrase=True), faster index()
        retention_reason=STORED(),
        risk_title=STORED(),
        extra=STORED(),
        **{f.name: _facet_field(f) for f in fields.FACETS},
    )


@dataclasses.dataclass
class IndexStats:
    added: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    changed_keys: list[str] = dataclasses.field(default_factory=list)  # of an update (not of a new index)
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


def _writer(ix, bulk: bool = True, writer=None):
    """ix.writer(limitmb=LIMITMB) (or `writer`) with the faster pool and segment flush of
    whoosh_private.patch_writer (private hooks of Whoosh 2.7.4, pinned; tests/test_search_index.py and
    tests/test_whoosh_private.py check the index equal to the one Whoosh's own code writes)."""
    w = writer if writer is not None else ix.writer(limitmb=LIMITMB)
    return wp.patch_writer(w, bulk=bulk, sidecar_field="content")


class _OwnTemp:
    """Temporary folders that are this storage's own: Whoosh names them <indexname>.tmp, one folder shared
    by every writer of the index (or, for RamStorage, by every process on the machine), so two writers at
    once deleted each other's files.  Each storage gets its own name instead — one name per name asked
    for, as with Whoosh: a writer's pool and its per-document writer both ask for "<indexname>.tmp", and
    only the writer removes the folder when it is done (a name per call left the other folder behind)."""

    def temp_storage(self, name=None):
        names = self.__dict__.setdefault("_own_temp_names", {})
        own = names.setdefault(name, f"hyoka-{os.getpid()}-{uuid.uuid4().hex}.tmp")
        return super().temp_storage(own)


class _PrivateFileStorage(_OwnTemp, FileStorage):
    """FileStorage whose temporary folders are the caller's own (_OwnTemp): a writer keeps its spilled runs
    in <index>/<indexname>.tmp, shared by every writer of the index."""


def write_segment(index_dir: Path, docs: list[dict[str, Any]], limitmb: int | None = None):
    """Write `docs` as a new segment of the index in `index_dir` without committing it (no lock, no TOC):
    as a sub-writer of Whoosh's multiprocessing writer (whoosh.multiproc) does, so that several processes
    can write parts of one index at once.  Returns the segment for commit_segments."""
    ix = _PrivateFileStorage(str(index_dir)).open_index(INDEX_NAME)
    w = _writer(ix, writer=wp.segment_writer(ix, limitmb or LIMITMB))
    _fill(w, docs)
    segment = wp.finish_segment(w)
    ix.close()
    for tmp in index_dir.glob(f"hyoka-{os.getpid()}-*.tmp"):  # every temporary folder this writer made
        shutil.rmtree(tmp, ignore_errors=True)
    return segment


def commit_segments(index_dir: Path, segments: list, hashes: dict[str, str]) -> None:
    """Add segments written by write_segment to the index, in this order (so documents keep the numbers
    they would have in one segment written in the same order), and record `hashes`."""
    from whoosh.index import TOC, LockError, clean_files

    ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    lock = ix.lock("WRITELOCK")
    if not lock.acquire():
        raise LockError(f"索引 {index_dir} は別の書き込み中です")
    try:
        toc = TOC.read(ix.storage, INDEX_NAME)
        segments = [*toc.segments, *segments]
        TOC(toc.schema, segments, toc.generation + 1).write(ix.storage, INDEX_NAME)
        clean_files(ix.storage, INDEX_NAME, toc.generation + 1, segments)
    finally:
        lock.release()
    ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    _write_hashes(ix, index_dir, hashes)
    ix.close()


def create_empty(index_dir: Path) -> None:
    """A new, empty index in `index_dir` (replacing any), ready for write_segment."""
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / HASHES_FILE).unlink(missing_ok=True)
    windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME).close()
    (index_dir / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")


def _fill(writer, docs: Iterable[dict[str, Any]]):
    """Add `docs` to the writer; returns it (not committed)."""
    for d in docs:
        _add(writer, d)
    return writer


def _read_hashes(ix, index_dir: Path) -> tuple[dict[str, str], bool]:
    """aid → digest of the stored documents of each source document (hyoka.documents.document_digests), and
    whether it came from the sidecar (which is believed only for the index's current generation); otherwise it
    is computed from the stored fields, one document at a time."""
    try:
        side = json.loads((index_dir / HASHES_FILE).read_text(encoding="utf-8"))
        if (side.get("schema_version") == SCHEMA_VERSION and side.get("generation") == ix.latest_generation()
                and isinstance(side.get("documents"), dict)):
            return side["documents"], True
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    acc = DigestSum()
    with ix.searcher() as s:
        for f in s.all_stored_fields():
            acc.add(f["aid"], f["key"], f["hash"])
    return acc.result(), False


def _stored_hashes(ix, aids: set[str]) -> dict[str, str]:
    """key → hash of the stored documents of the source documents `aids` (the few an update touches)."""
    out: dict[str, str] = {}
    with ix.searcher() as s:
        for aid in sorted(aids):
            for f in s.documents(aid=aid):
                out[f["key"]] = f["hash"]
    return out


def _write_hashes(ix, index_dir: Path, digests: dict[str, str]) -> None:
    data = {"schema_version": SCHEMA_VERSION, "generation": ix.latest_generation(), "documents": digests}
    tmp = index_dir / (HASHES_FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, index_dir / HASHES_FILE)


@dataclasses.dataclass
class UpdatePlan:
    """What update_index will do to the index in `index_dir`: computed without writing (cheap: the digest
    sidecar, and the stored hashes of the changed source documents only), applied by apply_plan, in this
    process or another (the plan pickles)."""

    index_dir: Path
    fresh: bool  # no usable index: create it from `add`
    add: list[dict[str, Any]] | DocStream  # new and changed documents (a new index: maybe the stream of all)
    replace: list[str]  # keys of changed documents (delete before adding)
    remove: list[str]  # keys no longer in the corpus
    hashes: dict[str, str]  # aid → digest of every source document after the update (the sidecar)
    unchanged: int
    sidecar_stale: bool = False  # the sidecar was not the index's: write it even if nothing else changes

    @property
    def empty(self) -> bool:
        return not (self.fresh or self.add or self.remove or self.sidecar_stale)


def plan_update(index_dir: Path, docs: Iterable[dict[str, Any]]) -> UpdatePlan:
    """`docs`: a list, or a hyoka.documents.DocStream (a new index then adds the stream itself, which the index
    processes read from its file).  Compares one digest per source document (`aid`) with the index's, then
    the items of the source documents whose digest differs, so that only changed items are written again."""
    digests = document_digests(docs)
    fresh = not (_meta_ok(index_dir) and windex.exists_in(str(index_dir), indexname=INDEX_NAME))
    if fresh:
        return UpdatePlan(index_dir, True, docs if isinstance(docs, DocStream) else list(docs), [], [], digests, 0)
    ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    try:
        stored, believed = _read_hashes(ix, index_dir)
        touched = {a for a, g in digests.items() if stored.get(a) != g} | {a for a in stored if a not in digests}
        old = _stored_hashes(ix, touched)
    finally:
        ix.close()
    new = list(documents_of(docs, touched))
    changed = [d for d in new if old.get(d["key"]) != d["hash"]]
    replace = [d["key"] for d in changed if d["key"] in old]
    keys = {d["key"] for d in new}
    removed = [k for k in old if k not in keys]
    return UpdatePlan(index_dir, False, changed, replace, removed, digests, len(docs) - len(changed),
                      sidecar_stale=not believed)


def apply_plan(plan: UpdatePlan) -> IndexStats:
    """Write what `plan` says (the index must be the one it was planned on)."""
    t0 = time.perf_counter()
    index_dir = plan.index_dir
    stats = IndexStats(unchanged=plan.unchanged)
    index_dir.mkdir(parents=True, exist_ok=True)
    if plan.fresh:
        (index_dir / HASHES_FILE).unlink(missing_ok=True)
        ix = windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME)
        _fill(_writer(ix), plan.add).commit()
        stats.rebuilt = True
        (index_dir / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
        _write_hashes(ix, index_dir, plan.hashes)
        ix.close()
    elif plan.add or plan.remove:
        ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
        writer = _writer(ix)
        for k in (*plan.remove, *plan.replace):
            writer.delete_by_term("key", k)
        _fill(writer, plan.add).commit()
        _write_hashes(ix, index_dir, plan.hashes)
        ix.close()
    elif plan.sidecar_stale:  # nothing to write but the sidecar (of an older version, or of another generation)
        ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
        _write_hashes(ix, index_dir, plan.hashes)
        ix.close()
    stats.added = len(plan.add)
    stats.deleted = len(plan.replace) + len(plan.remove)
    stats.changed_keys = [] if plan.fresh else [d["key"] for d in plan.add]  # (a new index: every key)
    stats.removed_keys = list(plan.remove)
    stats.seconds = time.perf_counter() - t0
    return stats


def update_index(corpus: Corpus, registry: Registry, index_dir: Path, docs: list[dict] | None = None) -> IndexStats:
    """Create the index in `index_dir`, or bring it up to date touching only changed documents."""
    t0 = time.perf_counter()
    docs = corpus_documents(corpus, registry) if docs is None else docs
    stats = apply_plan(plan_update(index_dir, docs))
    stats.seconds = time.perf_counter() - t0
    return stats


class _PrivateRamStorage(_OwnTemp, RamStorage):
    """Whoosh's RamStorage puts its merge files in <tmp>/<indexname>.tmp: one folder shared by every process
    on the machine, so two builds at once delete each other's files. Each index gets its own (_OwnTemp)."""


def ram_index(corpus: Corpus, registry: Registry, docs: list[dict] | None = None):
    """The same index in memory."""
    docs = corpus_documents(corpus, registry) if docs is None else docs
    ix = _PrivateRamStorage().create_index(make_schema(), indexname=INDEX_NAME)
    _fill(_writer(ix), docs).commit()
    return ix
