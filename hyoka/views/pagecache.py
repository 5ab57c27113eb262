"""Rendered document pages by document id, with a digest of everything the page shows: the document,
its municipality, the documents it links to (council records ↔ assessments) and its findings.  A
rebuild in the same process (`mkdocs serve`) re-renders only the pages whose digest changed; across
processes the per-document disk cache (hyoka.cache, `corpus.cache`) keeps each page's Markdown by its digest.

No MkDocs here.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from .. import schema as S
from .parts import Links

_PAGE_CACHE: dict[str, tuple[bytes, str]] = {}


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


def cached(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None,
           render: Callable[[], tuple[str, Any]]) -> tuple[str, Any]:
    """(Markdown, JSON twin) of a document page: from memory, from the disk cache, or `render()`ed."""
    digest = page_digest(d, links, findings)
    hit = _PAGE_CACHE.get(d.id)
    disk = links.corpus.cache  # the per-document disk cache (hyoka.cache), if the build has one
    if hit is not None and hit[0] == digest:
        if disk is not None:
            disk.keep_page(digest)
        return hit[1]
    md = _decode(disk.get_page(digest)) if disk is not None else None
    if md is None:
        md = render()
        if disk is not None:
            disk.put_page(digest, json.dumps({"markdown": md[0], "data": md[1]}, ensure_ascii=False))
    _PAGE_CACHE[d.id] = (digest, md)
    return md


def _decode(payload: str | None) -> tuple[str, Any] | None:
    """A cached (Markdown, twin) entry, or None when there is none or it is not one (then it is rendered again)."""
    if payload is None:
        return None
    try:
        got = json.loads(payload)
    except ValueError:
        return None
    if not (isinstance(got, dict) and set(got) == {"markdown", "data"} and isinstance(got["markdown"], str)):
        return None
    return got["markdown"], got["data"]
