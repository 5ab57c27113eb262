"""The build check that the in-browser search index (`hyoka.sitesearch`) and the auditors' Whoosh
index hold the same documents (a view without pages: the plugin adds it to hyoka.views.build_outputs).  Here, not in the core, because it opens the Whoosh index.  No MkDocs here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from hyoka import sitesearch
from hyoka.site import Asset, Page, SiteContext

from whoosh.index import TOC

from .index import INDEX_NAME, _read_hashes as read_hashes, open_index

NAME = "sitecheck"
NEEDS_INDEX = True


def check_against_index(docs: Iterable[dict[str, Any]], index_dir: Path) -> None:
    """Raise unless the Whoosh index holds exactly these documents (same count, every key with its hash).

    The count is the segments' (Whoosh's table of contents), the hashes those the index recorded for its
    current generation (hyoka_search.index's hash sidecar, or its stored fields when that does not match):
    no reader of the whole index is opened (it maps every segment into memory: 150 MB at N = 300)."""
    try:
        ix = open_index(index_dir)
    except FileNotFoundError:
        return
    try:
        count = sum(seg.doc_count() for seg in TOC.read(ix.storage, INDEX_NAME).segments)  # (ix.doc_count() opens a reader)
        stored = read_hashes(ix, index_dir)
    finally:
        ix.close()
    n, missing = 0, []
    for d in docs:
        n += 1
        if stored.get(d["key"]) != d["hash"]:
            missing.append(d["key"])
    if count != n or len(stored) != n or missing:
        raise ValueError(
            f"サイト内検索の索引と監査用の索引 ({index_dir}) が一致しません: "
            f"索引 {count} 件・文書 {n} 件、索引にない文書 {len(missing)} 件 {missing[:3]}"
        )


def generate(corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """Fail the build unless the exported documents are those of the Whoosh index.  Runs after the other
    generators (needs_index): the index may be written by another process meanwhile."""
    if ctx.index_dir:
        check_against_index(sitesearch.documents(corpus, ctx), Path(ctx.index_dir))
    return iter(())

