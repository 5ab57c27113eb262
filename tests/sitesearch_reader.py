"""The browser's search algorithm (hyoka/static/hyoka-sitesearch.js) ported to Python: the oracle the
tests (and bench/bench_sitesearch.py) compare with the Whoosh search and with the browser.

    files = sitesearch.export(docs)   # {"manifest.json": b"...", "p/0/17.bin": b"...", ...}
    hits = Reader(files).search("委託先 NOT 再委託", {"city": ["272078"]})

It reads the files that `hyoka.sitesearch.export` writes, the way the browser does (counting what it
fetches), and parses queries with the auditors' parser (`hyoka_search.query`).  It lives next to the
tests, not in the core, because it uses Whoosh.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

from whoosh import query as Q

from hyoka.sitesearch import _CHARS_BASE, FACETS, MULTI_VALUED, _read_varint, fnv1a
from hyoka_search.query import parse_query


def cover(term: str) -> list[tuple[str, int]]:
    """(gram, offset) pairs covering every character of a normalised term: the bigrams at offsets
    0, 2, 4, … and the last one.  The term is at p exactly when each is at p + offset, so a long
    term needs about half its bigrams (「情報提供ネットワークシステム」: 7 of 13)."""
    if len(term) <= 2:
        return [(term, 0)] if term else []
    out = [(term[i : i + 2], i) for i in range(0, len(term) - 1, 2)]
    if (len(term) - 2) % 2:
        out.append((term[-2:], len(term) - 2))
    return out


def decode_shard(buf: bytes) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    count, i = _read_varint(buf, 0)
    for _ in range(count):
        n, i = _read_varint(buf, i)
        g = buf[i : i + n].decode("utf-8")
        i += n
        n, i = _read_varint(buf, i)
        out[g] = buf[i : i + n]
        i += n
    return out


def decode_postings(gram: str, payload: bytes) -> dict[int, list[int]]:
    """doc → positions (empty for a unigram, whose postings list documents only)."""
    out: dict[int, list[int]] = {}
    ndocs, i = _read_varint(payload, 0)
    doc = 0
    for _ in range(ndocs):
        delta, i = _read_varint(payload, i)
        doc += delta
        if len(gram) == 1:
            out[doc] = []
            continue
        npos, i = _read_varint(payload, i)
        pos, p = [], 0
        for _ in range(npos):
            d, i = _read_varint(payload, i)
            p += d
            pos.append(p)
        out[doc] = pos
    return out


def _column(spec: dict[str, Any]) -> list[int]:
    """The value index of every document of a block (see `_facet_file`)."""
    if "chars" in spec:
        return [ord(c) - _CHARS_BASE for c in spec["chars"]]
    runs = spec["runs"]
    out: list[int] = []
    for k in range(0, len(runs), 2):
        out += [runs[k]] * runs[k + 1]
    return out


@dataclasses.dataclass
class Result:
    ids: list[int]  # global document ids, in index order
    keys: list[str]
    facets: dict[str, dict[str, int]]  # field → value → count (over hits and the *other* filters)
    ranked: list[int] = dataclasses.field(default_factory=list)  # the ids in relevance order (the browser's default)
    rank: dict[int, tuple] = dataclasses.field(default_factory=dict)  # id → (late, head, share, id)


def rank_columns(rank: dict[str, Any]) -> dict[str, list[int]]:
    """The rank columns of a facet file (see hyoka.sitesearch._rank_columns): numbers from characters, the
    large ones from `big`."""
    out = {}
    for name in ("len", "head"):
        col = [ord(c) - _CHARS_BASE for c in rank[name]]
        for i, v in rank.get("big", {}).get(name, []):
            col[i] = v
        out[name] = col
    return out


def rank_of(d: int, doc_id: int, rk: dict[str, Any], late: set[int], terms: list[str], firsts: dict[str, dict[int, int]]) -> tuple:
    """The relevance of a hit, as hyoka-sitesearch.js's rankOf: (late, head, share, id), compared as
    (late, head, -share, id)."""
    head, covered, h, n = 2, 0, rk["head"][d], rk["len"][d]
    for t in terms:
        m = firsts.get(t)
        if not m or d not in m:
            continue
        p = m[d]
        covered += len(t)
        if p == 0 and len(t) == h:
            head = 0
        elif 0 <= p < h and head > 1:
            head = 1
    return (1 if d in late else 0, head, covered / n if n else 0, doc_id)


class Reader:
    """Reads an exported index (a mapping path → bytes, or a directory) the way the browser does."""

    def __init__(self, files: Mapping[str, bytes] | Path | str):
        if isinstance(files, (str, Path)):
            root = Path(files)
            self._get = lambda p: (root / p).read_bytes()
        else:
            self._get = files.__getitem__
        self.fetched: list[str] = []
        self._pages: dict[int, list[int]] = {}
        self.manifest = json.loads(self.fetch("manifest.json"))

    def fetch(self, path: str) -> bytes:
        self.fetched.append(path)
        return self._get(path)

    def _term_docs(self, block: int, term: str, shards: dict[int, dict[str, bytes]]) -> set[int]:
        return set(self._term_first(block, term, shards))

    def _term_first(self, block: int, term: str, shards: dict[int, dict[str, bytes]]) -> dict[int, int]:
        """doc → where the term first starts in its normalised text (-1 for a one-character term: unigram
        postings hold documents only).  Kept per block in `shards["first"]` for the relevance order."""
        firsts = shards.setdefault("first", {})
        if term in firsts:
            return firsts[term]
        firsts[term] = out = self._first(block, term, shards)
        return out

    def _first(self, block: int, term: str, shards: dict) -> dict[int, int]:
        gs = cover(term)
        postings = []
        for g, _ in gs:
            h = fnv1a(g) & (self.manifest["buckets"] - 1)
            if h not in shards:
                shards[h] = decode_shard(self.fetch(f"p/{block}/{h}.bin"))
            payload = shards[h].get(g)
            if payload is None:
                return {}
            postings.append(decode_postings(g, payload))
        if len(postings) == 1:
            return {d: (pos[0] if pos else -1) for d, pos in postings[0].items()}
        docs = set(postings[0]).intersection(*postings[1:])
        out = {}
        for d in docs:
            rest = [(set(p[d]), off) for p, (_, off) in zip(postings[1:], gs[1:])]
            at = next((p for p in postings[0][d] if all(p + off in where for where, off in rest)), None)
            if at is not None:
                out[d] = at
        return out

    def _eval(self, q, block: int, n: int, shards: dict) -> set[int]:
        if q is None or isinstance(q, Q.Every):
            return set(range(n))
        if isinstance(q, (Q.Term, Q.Prefix)) and len(q.text) <= 2:  # a bigram, or one character
            return self._term_docs(block, q.text, shards)
        if isinstance(q, Q.Phrase):  # the bigrams of one term, in order
            return self._term_docs(block, q.words[0] + "".join(w[1:] for w in q.words[1:]), shards)
        if isinstance(q, Q.And):
            sets = [self._eval(s, block, n, shards) for s in q.subqueries]
            return set.intersection(*sets) if sets else set(range(n))
        if isinstance(q, Q.Or):
            return set().union(*(self._eval(s, block, n, shards) for s in q.subqueries))
        if isinstance(q, Q.AndNot):
            return self._eval(q.a, block, n, shards) - self._eval(q.b, block, n, shards)
        if isinstance(q, Q.Not):
            return set(range(n)) - self._eval(q.query, block, n, shards)
        raise TypeError(f"unexpected query node {q!r}")

    def search(self, text: str | None, filters: Mapping[str, str | Iterable[str]] | None = None) -> Result:
        """All hits of `text` (the auditors' query language) under `filters` (field → value(s))."""
        parsed = parse_query(text)
        wanted = {f: ([v] if isinstance(v, str) else list(v)) for f, v in (filters or {}).items() if v}
        B = self.manifest["block"]
        ids: list[int] = []
        facets: dict[str, Counter] = {f: Counter() for f in FACETS}
        rank: dict[int, tuple] = {}
        if parsed.query is None and not wanted:
            return Result([], [], {f: {} for f in FACETS})
        for b in range(self.manifest["blocks"]):
            # As the browser: postings first; the facet file only for a block with a hit.
            shards: dict = {}
            hits = self._eval(parsed.query, b, B, shards) if parsed.query is not None else set(range(B))
            if not hits:
                continue
            fac = json.loads(self.fetch(f"f/{b}.json"))
            n = fac["n"]
            hits = {d for d in hits if d < n}
            cols = {f: (spec["values"], _column(spec)) for f, spec in fac["fields"].items()}
            rk, late = rank_columns(fac["rank"]), set(fac["rank"]["late"])

            def doc_values(f: str, d: int) -> list[str]:
                values, col = cols[f]
                v = values[col[d]]
                if not v:
                    return []
                return [x.strip() for x in v.split(",")] if f in MULTI_VALUED else [v]

            def ok(d: int, skip: str | None = None) -> bool:
                return all(f == skip or set(doc_values(f, d)) & set(vs) for f, vs in wanted.items())

            for d in sorted(hits):
                if ok(d):
                    ids.append(b * B + d)
                    rank[b * B + d] = rank_of(d, b * B + d, rk, late, parsed.terms, shards.get("first", {}))
                for f in FACETS:
                    if ok(d, skip=f):
                        facets[f].update(set(doc_values(f, d)))
        ranked = sorted(ids, key=lambda i: (rank[i][0], rank[i][1], -rank[i][2], i))
        return Result(ids, self.keys(ids), {f: dict(c) for f, c in facets.items()}, ranked, rank)

    def _page_of(self, doc_id: int) -> tuple[str, int]:
        import bisect

        B = self.manifest["block"]
        b, local = divmod(doc_id, B)
        if b not in self._pages:  # the browser has this file already (it reads it while searching)
            self._pages[b] = json.loads(self._get(f"f/{b}.json"))["pages"]
        pages = self._pages[b]
        k = bisect.bisect_right(pages, local) - 1
        return f"m/{b}/{k}.json", local - pages[k]

    def meta(self, doc_id: int) -> dict[str, Any]:
        path, row = self._page_of(doc_id)
        page = json.loads(self.fetch(path))
        key, a, kind_label, part_title, label, answer, url, content = page["d"][row]
        aid, city_name, title, form = page["a"][a]
        return {"key": key, "aid": aid, "city_name": city_name, "title": title, "form": form, "kind_label": kind_label,
                "part_title": part_title, "label": label, "answer": answer, "url": url, "content": content}

    def keys(self, ids: list[int]) -> list[str]:
        """The index keys of document ids (not counted as fetches: a test helper)."""
        pages: dict[str, list] = {}
        out = []
        for i in ids:
            path, row = self._page_of(i)
            if path not in pages:
                pages[path] = json.loads(self._get(path))["d"]
            out.append(pages[path][row][0])
        return out
