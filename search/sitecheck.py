"""The build check that the in-browser search index (`hyoka.sitesearch`) and the auditors' Whoosh
index hold the same documents (a view without pages: the plugin adds it to hyoka.views.build_outputs).  Here, not in the core, because it opens the Whoosh index.  No MkDocs here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from hyoka import sitesearch
from hyoka.site import Asset, Page, SiteContext

from .index import open_index

NAME = "sitecheck"
NEEDS_INDEX = True


def check_against_index(docs: list[dict[str, Any]], index_dir: Path) -> None:
    """Raise unless the Whoosh index holds exactly these documents (same count, every hash present)."""
    try:
        ix = open_index(index_dir)
    except FileNotFoundError:
        return
    with ix.reader() as r:
        count = r.doc_count()
        hashes = {h.decode("utf-8") if isinstance(h, bytes) else h for h in r.lexicon("hash")}
    ix.close()
    missing = [d["key"] for d in docs if d["hash"] not in hashes]
    if count != len(docs) or missing:
        raise ValueError(
            f"サイト内検索の索引と監査用の索引 ({index_dir}) が一致しません: "
            f"索引 {count} 件・文書 {len(docs)} 件、索引にない文書 {len(missing)} 件 {missing[:3]}"
        )


def generate(corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """Fail the build unless the exported documents are those of the Whoosh index.  Runs after the other
    generators (needs_index): the index may be written by another process meanwhile."""
    if ctx.index_dir:
        check_against_index(sitesearch.documents(corpus, ctx), Path(ctx.index_dir))
    return iter(())

