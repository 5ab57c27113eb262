"""The build check that the in-browser search index (`hyoka.sitesearch`) and the auditors' Whoosh
index hold the same documents (a view without pages: the plugin adds it to hyoka.views.build_outputs).  Here, not in the core, because it opens the Whoosh index.  No MkDocs here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from hyoka import sitesearch
from hyoka.documents import DigestSum
from hyoka.site import Asset, Page, SiteContext

from whoosh.index import TOC

from .index import INDEX_NAME, _read_hashes as read_hashes, open_index

NAME = "sitecheck"
NEEDS_INDEX = True


def check_against_index(docs: Iterable[dict[str, Any]], index_dir: Path) -> None:
    """Raise unless the Whoosh index holds exactly these documents (same count, the same keys and hashes).

    The count is the segments' (Whoosh's table of contents), the digests (one per source document, of its
    documents' keys and hashes: hyoka.documents.DigestSum) those the index recorded for its current
    generation (hyoka_search.index's sidecar, or its stored fields when that does not match): no reader of
    the whole index is opened (it maps every segment into memory: 150 MB at N = 300), and nothing here holds
    more than one entry per source document."""
    try:
        ix = open_index(index_dir)
    except FileNotFoundError:
        return
    try:
        count = sum(seg.doc_count() for seg in TOC.read(ix.storage, INDEX_NAME).segments)  # (ix.doc_count() opens a reader)
        stored, _ = read_hashes(ix, index_dir)
    finally:
        ix.close()
    acc = DigestSum()
    n = 0
    for d in docs:
        n += 1
        acc.add(d["aid"], d["key"], d["hash"])
    mine = acc.result()
    differ = sorted(a for a in mine.keys() | stored.keys() if mine.get(a) != stored.get(a))
    if count != n or differ:
        raise ValueError(
            f"サイト内検索の索引と監査用の索引 ({index_dir}) が一致しません: "
            f"索引 {count} 件・文書 {n} 件、内容が異なる評価書・記録 {len(differ)} 件 {differ[:3]}"
        )


def generate(corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """Fail the build unless the exported documents are those of the Whoosh index.  Runs after the other
    generators (needs_index): the index may be written by another process meanwhile."""
    if ctx.index_dir:
        check_against_index(sitesearch.documents(corpus, ctx), Path(ctx.index_dir))
    return iter(())

