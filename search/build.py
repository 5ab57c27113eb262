"""One call for every front end (MkDocs plugin, `hyoka index`, `hyoka search`): bring the index up to date.

    report = build_index(corpus, Path("site_config"), Path(".hyoka-index"))
    report.stats.summary()        # 索引 差分更新: 追加 1・削除 1・変更なし 812（0.05 秒）
    report.unknown                # 委託先の表記 not in site_config/companies.yaml (the build warns)
    report.problems               # errors in companies.yaml itself

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hyoka.companies import Registry, load_companies
from hyoka.loader import Corpus

from .documents import corpus_documents, entrustment_cells
from .index import IndexStats, update_index


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
