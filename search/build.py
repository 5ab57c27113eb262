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
import traceback
from pathlib import Path
from typing import Any

from hyoka.companies import Registry, load_companies
from hyoka.loader import Corpus

from .documents import corpus_documents, entrustment_cells
from .index import IndexStats, UpdatePlan, apply_plan, plan_update, update_index


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


# ---- the index in a second process -------------------------------------------------------------------
#
# A full index build is the longest step of a site build (pure-Python Whoosh, README "Performance"),
# and it only needs the index documents.  start_index() plans the update here (cheap) and, when the
# plan is large, writes it in a second process while the caller renders the pages; small updates
# (a `mkdocs serve` edit) are applied at once, since starting a process costs more than they do.

BACKGROUND_MIN_DOCS = 2000  # updates touching fewer documents are applied in this process


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


def _child(conn, plan_file: str) -> None:
    try:
        with open(plan_file, "rb") as fh:
            plan = pickle.load(fh)
        os.unlink(plan_file)
        stats = apply_plan(plan)
        conn.send(("ok", stats, _peak_rss_mb()))
    except BaseException as exc:  # reported to the parent, which fails the build
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


class IndexJob:
    """An index update under way.  wait() returns the BuildReport (raises IndexBuildError if it failed);
    cancel() stops it (the index folder is then in an unknown state: callers publish atomically)."""

    def __init__(self, plan: UpdatePlan, unknown: list[str], registry: Registry, background: bool):
        self._unknown, self._registry = unknown, registry
        self._report: BuildReport | None = None
        self._proc = None
        self.background = background
        self.child_peak_rss_mb: float | None = None
        if not background:
            self._report = BuildReport(apply_plan(plan), unknown, [], registry)
            return
        # The plan goes through a file: a process that dies while Python still writes its start-up data
        # to it would block the writer for ever (multiprocessing keeps the pipe's read end open).
        fd, self._plan_file = tempfile.mkstemp(prefix="hyoka-index-plan-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(plan, fh, pickle.HIGHEST_PROTOCOL)
        ctx = multiprocessing.get_context("spawn")  # no fork: the caller may have threads (mkdocs serve)
        self._conn, child_conn = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(child_conn, self._plan_file), name="hyoka-index", daemon=True)
        self._proc.start()
        child_conn.close()

    def wait(self) -> BuildReport:
        if self._report is not None:
            return self._report
        try:
            msg: Any = self._conn.recv()
        except EOFError:
            msg = ("error", f"索引を作るプロセスが異常終了しました（終了コード {self._proc.exitcode}）", "")
        finally:
            self._proc.join()
            self._conn.close()
            Path(self._plan_file).unlink(missing_ok=True)
        if msg[0] != "ok":
            raise IndexBuildError(f"索引を作れませんでした: {msg[1]}\n{msg[2]}".rstrip())
        _, stats, self.child_peak_rss_mb = msg
        self._report = BuildReport(stats, self._unknown, [], self._registry)
        return self._report

    def cancel(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join()
        if self._proc is not None:
            Path(self._plan_file).unlink(missing_ok=True)


def start_index(corpus: Corpus, site_config: Path, index_dir: Path, findings: list | None = None,
                docs: list[dict] | None = None, registry: Registry | None = None,
                background_min_docs: int = BACKGROUND_MIN_DOCS) -> IndexJob | BuildReport:
    """Like build_index, but a large update runs in a second process: returns an IndexJob to wait() on.
    Returns the BuildReport at once (nothing started) when companies.yaml has problems."""
    registry = registry or load_companies(site_config)
    unknown = registry.unknown_spellings(entrustment_cells(corpus))
    if registry.problems:
        return BuildReport(IndexStats(), unknown, list(registry.problems), registry)
    if docs is None:
        docs = corpus_documents(corpus, registry, findings)
    plan = plan_update(index_dir, docs)
    return IndexJob(plan, unknown, registry, background=len(plan.add) >= background_min_docs)
