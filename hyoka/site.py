"""What the views produce: `Page` (Markdown for MkDocs to render, with an optional JSON twin) and `Asset`
(bytes copied as-is: data/*.json, *.csv, the search index), and `SiteContext`, what a view may need
besides the corpus.  The views themselves, in order, are `hyoka.views.VIEWS`.

No MkDocs here. The MkDocs plugin (plugins/) asks `hyoka.views.build_outputs()` for pages and assets
and hands them to MkDocs; another front end could write them anywhere.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable

from .htmlkit import url_of


@dataclasses.dataclass
class Page:
    path: str  # Markdown source path, e.g. "koshigaya/index.md" (see hyoka.anchors)
    title: str
    markdown: str | None
    in_nav: bool = False  # only site-level pages go into the navigation (GUIDE §3)
    data: Any = None  # the page's JSON twin (plain values, from the same context as the page), at twin_path(path)
    source: Path | None = None  # where the Markdown was written, when the build streams its pages to disk
    #   (hyoka.views.build_outputs with a `sink`: then `markdown` is None and `data` already written)

    def text(self) -> str:
        """The Markdown, from memory or from `source`."""
        return self.markdown if self.markdown is not None else self.source.read_text(encoding="utf-8")


@dataclasses.dataclass
class Asset:
    path: str  # site-relative output path, e.g. "data/assessments.json"
    content: bytes | None
    source: Path | None = None  # where the bytes were written (a streaming build, see Page.source)
    linked: bool = False  # a page's Markdown links to it (the open-data tables): a front end that rewrites
    #   Markdown links (MkDocs) must know the file; the others (twins, per-document files, the browser index:
    #   most of a site's files) it may write on its own

    def bytes(self) -> bytes:
        return self.content if self.content is not None else self.source.read_bytes()


@dataclasses.dataclass
class SiteContext:
    """What generators may need besides the corpus."""

    site_title: str = "評価書ポータル"
    index_dir: str | None = None  # where the Whoosh index lives, once built
    site_url: str = ""  # prefix of permalinks written into data files ("" = site-relative)
    site_config_dir: str = "site_config"
    findings: list | None = None  # auditor findings, computed once per build (hyoka.findings.run_rules)
    documents: Any = None  # the index documents (hyoka.documents.corpus_documents of this corpus, findings
    #   and site_config's companies), computed once per build for Whoosh and the site search: a list, or (the
    #   plugin's build) a hyoka.documents.DocStream that reads them from a file of the work area on each pass
    timings: dict[str, float] = dataclasses.field(default_factory=dict)  # seconds per generator (module)
    progress: Callable[[int, int], None] | None = None  # called every `progress_every` documents (done, total)
    progress_every: int = 100
    description: str = ""  # the portal's description (site_config/portal.yaml)
    pages: list = dataclasses.field(default_factory=list)  # (path, title, in_nav) of the pages made so far
    #   (filled by hyoka.views.build_outputs: the home page, made last, links what exists)
    index_ready: Callable[[], None] | None = None  # blocks until the index in index_dir is written (it may
    #   be written by another process while the other generators run; raises if that failed)
    compare_part: int | None = None  # assessments per comparison part page (hyoka.views.compare.parts_of;
    #   None: PART_ASSESSMENTS)
    work_dir: str | None = None  # a folder for the build's temporary files (the plugin's publication work
    #   area): views that join every document's part of a large file (hyoka.views.data) write it there piece by
    #   piece and hand over the file (Asset.source) instead of its bytes; None: joined in memory


def twin_path(page_path: str) -> str:
    """Where a page's JSON twin is written: `index.json` under the page's URL (`kazo/` → `kazo/index.json`,
    `compare/contractors.md` → `compare/contractors/index.json`, the home page → `index.json`)."""
    return f"{url_of(page_path)}index.json"


def progress_of(ctx: SiteContext) -> tuple[Callable[[int, int], None] | None, int]:
    return ctx.progress, max(1, int(ctx.progress_every or 100))
