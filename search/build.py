"""One call for every front end (MkDocs plugin, `hyoka index`, `hyoka search`): bring the index up to date.

    report = build_index(corpus, Path("site_config"), Path(".hyoka-index"))
    report.stats.summary()        # 索引 差分更新: 追加 1・削除 1・変更なし 812（0.05 秒）
    report.unknown                # 委託先の表記 not in site_config/companies.yaml (the build warns)
    report.problems               # errors in companies.yaml itself

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from hyoka.companies import Registry, load_companies
from hyoka.loader import Corpus

from .documents import corpus_documents, entrustment_cells
from . import index as index_module
from .index import IndexStats, UpdatePlan, apply_plan, commit_segments, create_empty, plan_update, update_index, write_segment


@dataclasses.dataclass
class BuildReport:
    stats: IndexStats
    unknown: list[str]
    problems: list[str]
    registry: Registry

    def unknown_message(self) -> str:
        listed = "\n".join(f"  - {s}" for s in self.unknown)
        return (
            f"委託先の表記 {len(self.unknown)} 件が site_config/companies.yaml にありません"
            f"（同じ会社にまとめずに表示します。名寄せするには companies.yaml に追加してください）:\n{listed}"
        )


def build_index(corpus: Corpus, site_config: Path, index_dir: Path, findings: list | None = None,
                docs: list[dict] | None = None, registry: Registry | None = None) -> BuildReport:
    """`findings`: the build's auditor findings (indexed as kind "finding"); None runs the rules for today.
    `docs`: the index documents if the caller has them already (corpus_documents with the same findings
    and registry: the MkDocs plugin computes them once per build and shares them with the site search)."""
    registry = registry or load_companies(site_config)
    if docs is None:
        docs = corpus_documents(corpus, registry, findings)
    stats = update_index(corpus, registry, index_dir, docs=docs)
    unknown = registry.unknown_spellings(entrustment_cells(corpus))
    return BuildReport(stats, unknown, list(registry.problems), registry)


# ---- the index in other processes ---------------------------------------------------------------------
#
# A full index build is the longest step of a site build (pure-Python Whoosh, README "Performance"),
# and it only needs the index documents.  start_index() plans the update here (cheap) and, when the
# plan is large, writes it in other processes while the caller renders the pages: a new index as
# PARTS segments written at once (as whoosh.multiproc's writer does), committed together when all are
# done; a large update of an existing index in one process.  Small updates (a `mkdocs serve` edit) are
# applied at once, since starting a process costs more than they do.

BACKGROUND_MIN_DOCS = 2000  # updates touching fewer documents are applied in this process
PARTS = 2  # processes (segments) for a new index: the machines this runs on have 2 cores


class IndexBuildError(RuntimeError):
    """The index could not be written; str() is the message (Japanese) with the child's error."""


def _peak_rss_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _child(conn, task_file: str) -> None:
    """Run a task read from `task_file`: ("plan", UpdatePlan) → IndexStats, ("segment", dir, docs) → segment."""
    try:
        with open(task_file, "rb") as fh:
            task = pickle.load(fh)
        os.unlink(task_file)
        result = apply_plan(task[1]) if task[0] == "plan" else write_segment(task[1], task[2], limitmb=task[3])
        conn.send(("ok", result, _peak_rss_mb()))
    except BaseException as exc:  # reported to the parent, which fails the build
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


class _Worker:
    def __init__(self, task: tuple):
        # The task goes through a file: a process that dies while Python still writes its start-up data
        # to it would block the writer for ever (multiprocessing keeps the pipe's read end open).
        fd, self.task_file = tempfile.mkstemp(prefix="hyoka-index-task-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(task, fh, pickle.HIGHEST_PROTOCOL)
        ctx = multiprocessing.get_context("spawn")  # no fork: the caller may have threads (mkdocs serve)
        self.conn, child_conn = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(child_conn, self.task_file), name="hyoka-index", daemon=True)
        self.proc.start()
        child_conn.close()

    def result(self) -> tuple[Any, float | None]:
        try:
            msg: Any = self.conn.recv()
        except EOFError:
            msg = ("error", f"索引を作るプロセスが異常終了しました（終了コード {self.proc.exitcode}）", "")
        finally:
            self.proc.join()
            self.conn.close()
            Path(self.task_file).unlink(missing_ok=True)
        if msg[0] != "ok":
            raise IndexBuildError(f"索引を作れませんでした: {msg[1]}\n{msg[2]}".rstrip())
        return msg[1], msg[2]

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        Path(self.task_file).unlink(missing_ok=True)


def _split(docs: list[dict[str, Any]], parts: int) -> list[list[dict[str, Any]]]:
    """`docs` cut in order into `parts` runs of about equal text (the cost of indexing them)."""
    sizes = [len(d.get("content") or "") + 200 for d in docs]
    total = sum(sizes)
    out: list[list[dict[str, Any]]] = []
    lo, acc = 0, 0
    for i, n in enumerate(sizes):
        acc += n
        if len(out) < parts - 1 and acc >= total * (len(out) + 1) / parts:
            out.append(docs[lo : i + 1])
            lo = i + 1
    out.append(docs[lo:])
    return [p for p in out if p]


class IndexJob:
    """An index update under way.  wait() returns the BuildReport (raises IndexBuildError if it failed);
    cancel() stops it (the index folder is then in an unknown state: callers publish atomically)."""

    def __init__(self, plan: UpdatePlan, unknown: list[str], registry: Registry, background: bool,
                 parts: int = PARTS):
        self._unknown, self._registry = unknown, registry
        self._report: BuildReport | None = None
        self._plan = plan
        self._workers: list[_Worker] = []
        self.background = background
        self.processes = 0
        self.child_peak_rss_mb: float | None = None  # the index processes' peaks, added up (they run at once)
        self._t0 = time.perf_counter()
        if not background:
            self._report = BuildReport(apply_plan(plan), unknown, [], registry)
            return
        try:
            if plan.fresh and parts > 1 and len(plan.add) >= 2 * parts:
                try:
                    create_empty(plan.index_dir)
                except OSError as exc:
                    raise IndexBuildError(f"索引を作れませんでした: {type(exc).__name__}: {exc}") from None
                self._workers = [_Worker(("segment", plan.index_dir, part, index_module.LIMITMB))
                                 for part in _split(plan.add, parts)]
            else:
                self._workers = [_Worker(("plan", plan))]
        except BaseException:
            self.cancel()
            raise
        self.processes = len(self._workers)

    def wait(self) -> BuildReport:
        if self._report is not None:
            return self._report
        results, peaks = [], []
        try:
            for w in self._workers:
                result, peak = w.result()
                results.append(result)
                peaks.append(peak or 0.0)
        except BaseException:
            self.cancel()
            raise
        self.child_peak_rss_mb = sum(peaks)
        plan = self._plan
        if isinstance(results[0], IndexStats):
            stats = results[0]
        else:
            commit_segments(plan.index_dir, results, plan.hashes)
            stats = IndexStats(added=len(plan.add), rebuilt=True, changed_keys=[d["key"] for d in plan.add])
            stats.seconds = time.perf_counter() - self._t0
        self._report = BuildReport(stats, self._unknown, [], self._registry)
        return self._report

    def cancel(self) -> None:
        for w in self._workers:
            w.kill()


def start_index(corpus: Corpus, site_config: Path, index_dir: Path, findings: list | None = None,
                docs: list[dict] | None = None, registry: Registry | None = None,
                background_min_docs: int = BACKGROUND_MIN_DOCS, parts: int = PARTS) -> IndexJob | BuildReport:
    """Like build_index, but a large update runs in other processes: returns an IndexJob to wait() on.
    Returns the BuildReport at once (nothing started) when companies.yaml has problems."""
    registry = registry or load_companies(site_config)
    unknown = registry.unknown_spellings(entrustment_cells(corpus))
    if registry.problems:
        return BuildReport(IndexStats(), unknown, list(registry.problems), registry)
    if docs is None:
        docs = corpus_documents(corpus, registry, findings)
    plan = plan_update(index_dir, docs)
    return IndexJob(plan, unknown, registry, background=len(plan.add) >= background_min_docs, parts=parts)
