"""The site as data: every generated page and data file, produced from a validated corpus.

No MkDocs here. The MkDocs plugin (plugins/) asks `build_outputs()` for pages and assets and hands
them to MkDocs; another front end could write them anywhere.

Feature modules contribute through GENERATORS: a generator takes (corpus, context) and yields
`Page` (Markdown for MkDocs to render) and `Asset` (bytes copied as-is, e.g. data/*.json, *.csv, *.js).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Callable, Iterable

from .safepath import safe_relpath
from .loader import Corpus


@dataclasses.dataclass
class Page:
    path: str  # Markdown source path, e.g. "koshigaya/index.md" (see hyoka.anchors)
    title: str
    markdown: str
    in_nav: bool = False  # only site-level pages go into the navigation (GUIDE §3)


@dataclasses.dataclass
class Asset:
    path: str  # site-relative output path, e.g. "data/assessments.json"
    content: bytes


@dataclasses.dataclass
class SiteContext:
    """What generators may need besides the corpus."""

    site_title: str = "評価書ポータル"
    index_dir: str | None = None  # where the Whoosh index lives, once built
    site_url: str = ""  # prefix of permalinks written into data files ("" = site-relative)
    site_config_dir: str = "site_config"
    findings: list | None = None  # auditor findings, computed once per build (hyoka.findings.run_rules)
    documents: list | None = None  # the index documents (hyoka.documents.corpus_documents of this
    #   corpus, findings and site_config's companies), computed once per build: Whoosh and the site search
    timings: dict[str, float] = dataclasses.field(default_factory=dict)  # seconds per generator (module)
    index_ready: Callable[[], None] | None = None  # blocks until the index in index_dir is written (it may
    #   be written by another process while the other generators run; raises if that failed)


Generator = Callable[[Corpus, SiteContext], Iterable["Page | Asset"]]

# Order matters only for readability of the output; each generator owns its own paths.
GENERATORS: list[Generator] = []


def register(gen: Generator) -> Generator:
    if gen not in GENERATORS:
        GENERATORS.append(gen)
    return gen


def build_outputs(corpus: Corpus, ctx: SiteContext | None = None) -> list[Page | Asset]:
    ctx = ctx or SiteContext()
    out: list[Page | Asset] = []
    seen: set[str] = set()
    # Generators that read the index (marked needs_index) run last: the index may still be being written.
    for gen in sorted(GENERATORS, key=lambda g: bool(getattr(g, "needs_index", False))):
        if getattr(gen, "needs_index", False) and ctx.index_ready is not None:
            t0 = time.perf_counter()
            ctx.index_ready()
            ctx.timings["(waiting for the index)"] = ctx.timings.get("(waiting for the index)", 0.0) + time.perf_counter() - t0
        t0 = time.perf_counter()
        for item in gen(corpus, ctx):
            safe_relpath(item.path)  # every output path: relative, no '..' or empty segment (hyoka.safepath)
            if item.path in seen:
                raise ValueError(f"two generators wrote {item.path}")
            seen.add(item.path)
            out.append(item)
        name = f"{gen.__module__}.{gen.__name__}"
        ctx.timings[name] = ctx.timings.get(name, 0.0) + time.perf_counter() - t0
    return out
