"""One call for every front end (MkDocs plugin, `hyoka index`, `hyoka search`): bring the index up to date.

    report = build_index(corpus, Path("site_config"), Path(".hyoka-index"))
    report.stats.summary()        # 索引 差分更新: 追加 1・削除 1・変更なし 812（0.05 秒）
    report.unknown                # 委託先の表記 not in site_config/companies.yaml (the build warns)
    report.problems               # errors in companies.yaml itself

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from hyoka.companies import Registry, load_companies
from hyoka.documents import DocStream, corpus_documents, entrustment_cells
from hyoka.loader import Corpus

from . import index as index_module
from .index import IndexStats, UpdatePlan, apply_plan, commit_segments, create_empty, plan_update, write_segment


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
                docs: list[dict] | None = None, registry: Registry | None = None,
                work_dir: Path | None = None) -> BuildReport:
    """`findings`: the build's auditor findings (indexed as kind "finding"); None runs the rules for today.
    `docs`: the index documents if the caller has them already (corpus_documents with the same findings
    and registry: the MkDocs plugin computes them once per build and shares them with the site search).
    Written in this process; with problems in companies.yaml nothing is written (report.problems)."""
    job = start_index(corpus, site_config, index_dir, findings=findings, docs=docs, registry=registry,
                      background_min_docs=sys.maxsize, work_dir=work_dir)
    return job if isinstance(job, BuildReport) else job.wait()


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


def peak_rss_mb() -> float | None:
    """Peak resident set size of this process so far (Linux /proc), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run_task(task_file: str) -> None:
    """In the worker process (`python -m hyoka_search.build TASK`): run the task pickled in TASK —
    ("plan", UpdatePlan) → IndexStats, ("segment", dir, a part of a DocStream, limitmb) → segment — and pickle
    ("ok", result, peak MB) or ("error", message, traceback) into TASK.out."""
    out: tuple
    try:
        with open(task_file, "rb") as fh:
            task = pickle.load(fh)
        os.unlink(task_file)
        if task[0] == "plan":
            result = apply_plan(task[1])
        else:  # the documents one at a time from their part of a DocStream (never all in this process's memory)
            result = write_segment(task[1], iter(task[2]), limitmb=task[3])
        out = ("ok", result, peak_rss_mb())
    except OSError as exc:  # disk full, no permission …: the parent raises it again (one line for the user)
        out = ("oserror", exc.errno, exc.strerror, exc.filename)
    except BaseException as exc:  # reported to the parent, which fails the build
        out = ("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())
    tmp = task_file + ".out.tmp"
    with open(tmp, "wb") as fh:
        pickle.dump(out, fh, pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, task_file + ".out")


def _as_stream(docs: list[dict[str, Any]], work_dir: Path) -> DocStream:
    """A list of documents written as a DocStream in a file of `work_dir` (one run per source document in a row),
    so that the index processes read a list's documents as they read the build's stream."""
    work_dir.mkdir(parents=True, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="hyoka-index-docs-", suffix=".jsonl", dir=work_dir)
    os.close(fd)
    try:
        return DocStream.write(path, (list(g) for _, g in itertools.groupby(docs, key=lambda d: d["aid"])))
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise


class _Worker:
    """A plain child process (`python -m hyoka_search.build`), not multiprocessing: its start method
    would import the caller's main script again in the child (a build script without a __main__ guard
    started a second build there, which waited for the first one's lock for ever), and a pipe to a
    child killed early blocked the writer.  The task and the result go through files."""

    def __init__(self, task: tuple, work_dir: Path):
        self.work_dir = work_dir
        self.task = task
        try:  # the build's own folder (hyoka.publish), never the system's /tmp
            work_dir.mkdir(parents=True, exist_ok=True)
            fd, self.task_file = tempfile.mkstemp(prefix="hyoka-index-task-", suffix=".pickle", dir=work_dir)
        except OSError as exc:
            raise IndexBuildError(f"索引を作れませんでした: {type(exc).__name__}: {exc}") from exc
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(task, fh, pickle.HIGHEST_PROTOCOL)
        self.log = tempfile.TemporaryFile(dir=work_dir)
        self.proc = subprocess.Popen([sys.executable, "-m", "hyoka_search.build", self.task_file],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def _cleanup(self) -> None:
        for path in (self.task_file, self.task_file + ".out", self.task_file + ".out.tmp"):
            Path(path).unlink(missing_ok=True)
        self.log.close()

    def result(self) -> tuple[Any, float | None]:
        code = self.proc.wait()
        msg: Any = None
        try:
            with open(self.task_file + ".out", "rb") as fh:
                msg = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.log.seek(0)
            tail = self.log.read()[-2000:].decode("utf-8", "replace")
            msg = ("error", f"索引を作るプロセスが異常終了しました（終了コード {code}）", tail)
        finally:
            self._cleanup()
        if msg[0] == "oserror":  # kept as the cause: the build tells disk full … in one line (hyoka.oserrors)
            exc = OSError(msg[1], msg[2], msg[3])
            raise IndexBuildError(f"索引を作れませんでした: {type(exc).__name__}: {exc}") from exc
        if msg[0] != "ok":
            raise IndexBuildError(f"索引を作れませんでした: {msg[1]}\n{msg[2]}".rstrip())
        return msg[1], msg[2]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._cleanup()


class IndexJob:
    """An index update under way.  wait() returns the BuildReport (raises IndexBuildError if it failed);
    cancel() stops it (the index folder is then in an unknown state: callers publish atomically)."""

    def __init__(self, plan: UpdatePlan, unknown: list[str], registry: Registry, background: bool,
                 parts: int = PARTS, work_dir: Path | None = None):
        self._unknown, self._registry = unknown, registry
        self._report: BuildReport | None = None
        self._plan = plan
        self._workers: list[_Worker] = []
        self.background = background
        self.processes = 0
        self.child_peak_rss_mb: float | None = None  # the index processes' peaks, added up (they run at once)
        self._t0 = time.perf_counter()
        work = work_dir or default_work_dir(plan.index_dir)
        self._own_work_dir = None if work_dir else work  # removed when the job is done
        self._own_stream: DocStream | None = None  # a list's documents written for the index processes (removed too)
        if not background:
            self._report = BuildReport(apply_plan(plan), unknown, [], registry)
            return
        try:
            if plan.fresh and parts > 1 and len(plan.add) >= 2 * parts:
                try:
                    create_empty(plan.index_dir)
                except OSError as exc:
                    raise IndexBuildError(f"索引を作れませんでした: {type(exc).__name__}: {exc}") from None
                stream = plan.add
                if not isinstance(stream, DocStream):  # (a caller's list: written once into the work folder)
                    try:
                        stream = self._own_stream = _as_stream(plan.add, work)
                    except OSError as exc:
                        raise IndexBuildError(f"索引を作れませんでした: {type(exc).__name__}: {exc}") from exc
                for part in stream.split(parts):  # each process reads its source documents from the stream's file
                    self._workers.append(_Worker(("segment", plan.index_dir, part, index_module.LIMITMB), work))
            else:
                self._workers = [_Worker(("plan", plan), work)]
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
        self._drop_work_dir()
        plan = self._plan
        if isinstance(results[0], IndexStats):
            stats = results[0]
        else:
            try:
                commit_segments(plan.index_dir, results, plan.hashes)
            except Exception as exc:
                raise IndexBuildError(f"索引を作れませんでした: {type(exc).__name__}: {exc}") from None
            stats = IndexStats(added=len(plan.add), rebuilt=True)
            stats.seconds = time.perf_counter() - self._t0
        self._report = BuildReport(stats, self._unknown, [], self._registry)
        return self._report

    def cancel(self) -> None:
        for w in self._workers:
            w.kill()
        self._drop_work_dir()

    def _drop_work_dir(self) -> None:
        if self._own_stream is not None:
            self._own_stream.path.unlink(missing_ok=True)
        if self._own_work_dir is not None:
            shutil.rmtree(self._own_work_dir, ignore_errors=True)


def default_work_dir(index_dir: Path) -> Path:
    """Where the index processes' task files go when the caller gives no folder: beside the index, in the
    project (a published build passes its own version folder's tmp/, removed with it: hyoka.publish)."""
    return Path(index_dir).parent / f".{Path(index_dir).name.lstrip('.')}-work"


def start_index(corpus: Corpus, site_config: Path, index_dir: Path, findings: list | None = None,
                docs: list[dict] | None = None, registry: Registry | None = None,
                background_min_docs: int = BACKGROUND_MIN_DOCS, parts: int = PARTS,
                work_dir: Path | None = None) -> IndexJob | BuildReport:
    """Like build_index, but a large update runs in other processes: returns an IndexJob to wait() on.
    Returns the BuildReport at once (nothing started) when companies.yaml has problems.  `work_dir`: the
    folder for the task files of the index processes (default: default_work_dir(index_dir))."""
    registry = registry or load_companies(site_config)
    unknown = registry.unknown_spellings(entrustment_cells(corpus))
    if registry.problems:
        return BuildReport(IndexStats(), unknown, list(registry.problems), registry)
    if docs is None:
        docs = corpus_documents(corpus, registry, findings)
    plan = plan_update(index_dir, docs)
    return IndexJob(plan, unknown, registry, background=len(plan.add) >= background_min_docs, parts=parts,
                    work_dir=work_dir)


if __name__ == "__main__":  # the worker of _Worker
    run_task(sys.argv[1])
