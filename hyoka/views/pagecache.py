"""Rendered document pages by document id, with a digest of everything the page shows: the document,
its municipality, the documents it links to (council records ↔ assessments) and its findings.  A
rebuild in the same process (`mkdocs serve`) re-renders only the pages whose digest changed; across
processes the per-document disk cache (hyoka.cache, `corpus.cache`) keeps each page's Markdown by its digest,
with its JSON twin as the text written to the site (`EncodedTwin`: build_outputs writes it as it is, so a cached
page's twin is neither decoded nor encoded again).

Memory: with a disk cache, nothing is kept here (a page whose digest is unchanged is read back from the
disk cache, also in `mkdocs serve`), so the process never holds every page at once.  Without one
(`cache_dir: ""`), the last MEMORY_PAGES pages are kept in memory (least recently used first out).

No MkDocs here.
"""

from __future__ import annotations

import collections
import hashlib
import json
from typing import Any, Callable

from .. import schema as S
from ..export import to_json
from .parts import Links

MEMORY_PAGES = 256  # pages kept in memory when there is no disk cache

# without a disk cache: id → (digest of the page's inputs, (Markdown, twin)), the most recently used last
_PAGE_CACHE: collections.OrderedDict[str, tuple[bytes, tuple[str, Any]]] = collections.OrderedDict()


def page_digest(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None) -> bytes:
    m = links.municipality(d.municipality)
    linked = links.records_of.get(d.id, []) if isinstance(d, S.Assessment) else links.assessments_of.get(d.id, [])
    h = hashlib.blake2b(digest_size=20)
    for part in (
        d.model_dump_json(),
        repr((m.code, m.name, m.prefecture, m.slug, links.doc_path(d.id))),
        *(links.docs[x].model_dump_json() + links.doc_url(x) for x in linked),
        repr(findings),
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.digest()


class EncodedTwin(bytes):
    """A page's JSON twin already encoded (`hyoka.export.to_json` of its plain values): `Page.data` may be one."""


def cached(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None,
           render: Callable[[], tuple[str, Any]]) -> tuple[str, Any]:
    """(Markdown, JSON twin) of a document page: from memory, from the disk cache, or `render()`ed.  With a disk
    cache the twin is an EncodedTwin (its text), else its plain values."""
    digest = page_digest(d, links, findings)
    disk = links.corpus.cache  # the per-document disk cache (hyoka.cache), if the build has one
    if disk is None:
        hit = _PAGE_CACHE.get(d.id)
        if hit is not None and hit[0] == digest:
            _PAGE_CACHE.move_to_end(d.id)
            return hit[1]
        md = render()
        _PAGE_CACHE[d.id] = (digest, md)
        _PAGE_CACHE.move_to_end(d.id)
        while len(_PAGE_CACHE) > MEMORY_PAGES:
            _PAGE_CACHE.popitem(last=False)
        return md
    md = _decode(disk.get_page(digest))
    if md is None:
        markdown, data = render()
        twin = None if data is None else EncodedTwin(to_json(data))
        disk.put_page(digest, json.dumps({"markdown": markdown, "twin": None if twin is None else twin.decode("utf-8")},
                                         ensure_ascii=False))
        md = markdown, twin
    return md


def _decode(payload: str | None) -> tuple[str, Any] | None:
    """A cached (Markdown, twin) entry, or None when there is none or it is not one (then it is rendered again)."""
    if payload is None:
        return None
    try:
        got = json.loads(payload)
    except ValueError:
        return None
    if not (isinstance(got, dict) and set(got) == {"markdown", "twin"} and isinstance(got["markdown"], str)
            and isinstance(got["twin"], (str, type(None)))):
        return None
    return got["markdown"], None if got["twin"] is None else EncodedTwin(got["twin"].encode("utf-8"))
