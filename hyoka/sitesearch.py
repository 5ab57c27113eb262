"""In-browser search: a static, sharded index exported from the auditors' analysis (issue 7).

    files = sitesearch.export(docs)   # {"manifest.json": b"...", "p/0/17.bin": b"...", ...}

Why not Pagefind: it matches words found by a segmenter (Lindera at index time, Intl.Segmenter at
query time) and the two disagree on compounds (Pagefind issue #1237: 新幹線 matched pages with only
新), while substrings that are not words find nothing (#987).  Checked here with pagefind_extended
1.5.2 (--force-language ja) on the test site: 保管期間 also found a page with only 「同期間保管」,
託先 missed 3 of 15 pages that contain it; and it returns pages, not items.  Our contract
(hyoka.matching) is "the normalised item text contains the term": only positions of
character bigrams give that.

The documents are exactly the Whoosh index's (`hyoka.documents.corpus_documents`; the build checks
them against the built index by hash in `hyoka_search.sitecheck`), normalised by
`hyoka.matching.normalize`.  Each document
gets an id 0…N-1 (stable order: municipality code, then the order the documents are read in).

Layout under `search-index/` (no file grows with the corpus; the browser fetches only what a query
needs):

    manifest.json            constant size: N, block size B, block count, bucket count H, version,
                             the filters (fields, headings, fixed value orders)
    p/{block}/{bucket}.bin   postings of the grams whose FNV-1a hash falls in `bucket`, for the
                             documents of `block`: at most B documents and BLOCK_CHARS of text
                             (bounds that stay put when a document changes: `_blocks`); their
                             ids are block*B … block*B+n-1 (n ≤ B, so id // B is the block and
                             no directory of blocks is needed).  Bigrams carry
                             positions (so the browser checks contiguity), unigrams only documents.
    f/{block}.json           the facet values (city, form, …) of the block's documents (runs, or one
                             character a document), and where the block's metadata pages start;
                             fetched only for a block with a hit
    m/{block}/{page}.json    what a hit shows (municipality, assessment, item, text, permalink):
                             at most M documents and about META_BYTES per file (one long text gets
                             a file of its own), fetched only for the hits on screen

A query term of one character reads its unigram (documents only), of two its bigram, of more the
bigrams that cover it (`cover`: offsets 0, 2, 4, … and the last) at the right distances: a hit is
a document whose normalised text contains the term, the rule `hyoka_search.query.term_query`
implements in Whoosh.  `tests/sitesearch_reader.py` runs the browser's algorithm
(static/hyoka-sitesearch.js) in Python over the exported files; the tests compare both with the
Whoosh search.

No MkDocs and no Whoosh here.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
from collections import Counter, defaultdict, deque
from itertools import chain, islice, repeat
from operator import sub
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import fields as F
from .documents import DocStream, corpus_documents
from .matching import SEGMENT_SEP as SEP
from .matching import normalize
from .site import SiteContext

INDEX_DIR = "search-index"
SEARCH_PAGE = "search/index.md"
JS_PATH = "assets/hyoka-sitesearch.js"
CSS_PATH = "assets/hyoka-sitesearch.css"
FORMAT_VERSION = 1

BLOCK_DOCS = 32768  # at most this many documents per block (about 13,000 on average, see _blocks) …
BLOCK_CHARS = 4_000_000  # … and at most this much text (1.8 M on average, see _blocks): bounds every posting and facet file
BUCKETS = 512  # posting files per block (power of two)
META_DOCS = 32  # at most this many documents per result-metadata file …
META_BYTES = 12 * 1024  # … and about this many bytes of text

# Filters beside the results: the registry's browser facets (hyoka.fields), field → heading.  Counts and
# matching as in hyoka_search.query.
FACETS: dict[str, str] = {f.name: f.label for f in F.BROWSER}
MULTI_VALUED = F.MULTI_VALUED  # KEYWORD(commas=True) in the Whoosh schema

# Relevance (the browser's default order; README "Searching (in the browser)"): kinds of item that are
# about an item rather than its answer come after the form's own items.
LATE_KINDS = frozenset({"change", "note", "finding"})  # 別添3 変更箇所, 転記メモ, 点検結果
# Kinds whose text starts with the item's own name: ファイル名, システム, 委託事項名, 提供先・移転先, リスク名, 区分名
NAME_FIRST_KINDS = frozenset({"file", "system", "entrust", "provide", "transfer", "risk", "risk_section", "section"})


def head_length(d: Mapping[str, Any], s: str) -> int:
    """The length of a document's heading in its normalised text `s`: the first segment when it is the
    item's label, its chosen answer or (NAME_FIRST_KINDS) the item's own name; else 0 (no heading)."""
    i = s.find(SEP)
    first = s if i < 0 else s[:i]
    if first and (d["kind"] in NAME_FIRST_KINDS or first in (normalize(d["label"] or ""), normalize(d["answer"] or ""))):
        return len(first)
    return 0

_ASSET_DIR = Path(__file__).with_name("static")  # the core's CSS and JavaScript


# ---- documents -------------------------------------------------------------------------------------


def documents(corpus, ctx: SiteContext | None = None, registry=None) -> Iterable[dict[str, Any]]:
    """The auditors' index documents (`hyoka.documents`) in search order (re-iterable: `export_files` reads
    them twice).  That the built Whoosh index holds exactly these is checked by `hyoka_search.sitecheck`
    (registered by the plugin)."""
    from .companies import load_companies

    docs = getattr(ctx, "documents", None) if registry is None else None  # computed once per build
    if docs is None:
        if registry is None:
            registry = load_companies(Path(getattr(ctx, "site_config_dir", None) or "site_config"))
        docs = corpus_documents(corpus, registry)
    return order(docs)


def order(docs):
    """Stable order: municipality code first (so a block holds few municipalities), then as read.  A
    hyoka.documents.DocStream is ordered on disk (DocStream.ordered), a list sorted."""
    if isinstance(docs, DocStream):
        return docs.ordered()
    return sorted(docs, key=lambda d: d["city"])


# ---- encoding --------------------------------------------------------------------------------------


def fnv1a(text: str) -> int:
    """FNV-1a (32 bit) of the UTF-8 bytes: the JS computes the same with Math.imul."""
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _read_varint(buf: bytes, i: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[i]
        i += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, i
        shift += 7


# ---- postings ----------------------------------------------------------------------------------------
#
# Unigram → documents, bigram → documents with positions (character offsets in the normalised text; no
# bigram contains SEGMENT_SEP).  The postings of a document depend on its content only; within a block
# they are computed once per distinct content string (a corpus's many identical item texts, 「はい」 and
# shared sentences, are computed once) and dropped with the block.  What is held is small: grams are
# shared strings (_GRAMS) and the chunk of a gram found once at position p is a shared bytes object
# (_CHUNK1[p]).  A block's postings are then put together and encoded with C-level builtins (map, zip,
# bytes.join) instead of a Python statement per character.  tests/test_sitesearch.py keeps the former
# character-by-character code and checks the files equal.

_GRAMS: dict[str, str] = {}  # gram → one shared string object
_HASHES: dict[str, int] = {}  # gram → fnv1a(gram)
_VARINTS: list[bytes] = []  # n → the varint bytes of n (grown on demand)
_CHUNK1: list[bytes] = []  # p → a gram's chunk for one position p: varint(1) + varint(p)


def _varints(n: int) -> list[bytes]:
    """The varint table, grown to cover 0 … n-1 at least (and _CHUNK1 with it)."""
    if len(_VARINTS) < n:
        for k in range(len(_VARINTS), max(n, 2 * len(_VARINTS), 4096)):
            out = bytearray()
            _varint(out, k)
            _VARINTS.append(bytes(out))
            _CHUNK1.append(b"\x01" + _VARINTS[k])
    return _VARINTS


def _positions_chunk(pos: list[int]) -> bytes:
    """varint(len(pos)), then the position deltas: one document's part of a bigram's postings."""
    out = bytearray()
    _varint(out, len(pos))
    p0 = 0
    for p in pos:
        _varint(out, p - p0)
        p0 = p
    return bytes(out)


def _text_postings(content: str, seen: dict[str, tuple] | None = None) -> tuple[int, frozenset[str], tuple[str, ...], tuple[bytes, ...]]:
    """(length of the normalised text, its characters but SEGMENT_SEP, its bigrams each once, and each
    bigram's chunk: varint count + position deltas).  `seen`: the texts already computed (see above).

    Every bigram (map), a dict from each to its last position (zip): a bigram found once, most of
    them, is done; the others' positions come from str.find (overlapping occurrences included)."""
    if seen is None:
        seen = {}
    hit = seen.get(content)
    if hit is not None:
        return hit
    s = normalize(content)
    chars = frozenset(s)
    if SEP in chars:
        chars = chars - {SEP}
    n = len(s) - 1  # bigrams
    if n < 1:
        out = seen[content] = (len(s), chars, (), ())
        return out
    grams = list(map(str.__add__, s, s[1:]))
    last = dict(zip(grams, range(n)))
    if SEP in s:  # no bigram contains SEGMENT_SEP
        for g in [g for g in last if SEP in g]:
            del last[g]
    _varints(n + 1)
    if len(last) == n:  # every bigram once
        keys, chunks = tuple(last), tuple(map(_CHUNK1.__getitem__, last.values()))
    else:
        found = dict(zip(last, map(_CHUNK1.__getitem__, last.values())))
        for g, c in Counter(grams).items():
            if c > 1 and g in found:
                pos = []
                i = s.find(g)
                while i >= 0:
                    pos.append(i)
                    i = s.find(g, i + 1)
                found[g] = _positions_chunk(pos)
        keys, chunks = tuple(found), tuple(found.values())
    keys = tuple(map(_GRAMS.setdefault, keys, keys))
    out = seen[content] = (len(s), chars, keys, chunks)
    return out


def _block_postings(entries: list[tuple[int, frozenset[str], tuple[str, ...], tuple[bytes, ...]]]
                    ) -> tuple[dict[str, list[int]], dict[str, list]]:
    """Unigram → [doc…] and bigram → [doc, chunk, doc, chunk…] of a block's documents (`_text_postings`)."""
    uni: defaultdict[str, list[int]] = defaultdict(list)
    bi: defaultdict[str, list] = defaultdict(list)
    uni_get, bi_get, append = uni.__getitem__, bi.__getitem__, list.append
    for doc, (_, chars, grams, chunks) in enumerate(entries):  # C-level: no statement per gram
        deque(map(append, map(uni_get, chars), repeat(doc)), maxlen=0)
        lists = list(map(bi_get, grams))  # a document has each of its bigrams once: doc, then its chunk
        deque(map(append, lists, repeat(doc)), maxlen=0)
        deque(map(append, lists, chunks), maxlen=0)
    return uni, bi


def _encode_unigram(docs: list[int]) -> bytes:
    """varint count, then the document deltas."""
    v = _VARINTS  # covers the block (export)
    return v[len(docs)] + b"".join(map(v.__getitem__, map(sub, docs, chain((0,), docs))))


def _encode_bigram(lst: list) -> bytes:
    """varint count, then per document: varint delta and its chunk (count and position deltas)."""
    v = _VARINTS  # covers the block (export)
    if len(lst) == 2:
        return b"\x01" + v[lst[0]] + lst[1]
    docs = lst[0::2]
    return v[len(docs)] + b"".join(chain.from_iterable(zip(map(v.__getitem__, map(sub, docs, chain((0,), docs))), lst[1::2])))


def _shard(entries: list[tuple[str, bytes]]) -> bytes:
    """varint G, then G × (varint len, UTF-8 gram, varint len, payload); grams sorted."""
    out = bytearray()
    _varint(out, len(entries))
    for gram, payload in sorted(entries):
        g = gram.encode("utf-8")
        _varint(out, len(g))
        out += g
        _varint(out, len(payload))
        out += payload
    return bytes(out)


_CHARS_BASE = 0x100  # a column as a string: value index + 0x100 (two bytes of UTF-8, no JSON escapes) …
_CHARS_MAX = 0x800 - _CHARS_BASE  # … while every index stays below U+0800


def _runs(values: list[int]) -> list[int]:
    out: list[int] = []
    for v in values:
        if out and out[-2] == v:
            out[-1] += 1
        else:
            out += [v, 1]
    return out


def _company_labels(docs: Iterable[dict[str, Any]], names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Company id → the name shown: the registry's 正式名称 (`names`), else the name of a 委託事項's mention."""
    labels: dict[str, str] = dict(names or {})
    for d in docs:
        if d.get("kind") == "entrust" and d.get("extra"):
            for m in json.loads(d["extra"]).get("mentions") or []:
                if m.get("group") and m.get("name"):
                    labels.setdefault(m["group"], m["name"])
    return labels


def _rank_columns(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """What the relevance order needs of every document before its metadata is fetched: the length of its
    normalised text, the length of its heading (`head_length`), and the documents of a LATE_KINDS kind
    (block-local numbers)."""
    lengths, heads = [], []
    for d in docs:
        s = normalize(d["content"])
        lengths.append(len(s))
        heads.append(head_length(d, s))
    out: dict[str, Any] = {"len": _number_chars(lengths), "head": _number_chars(heads),
                           "late": [i for i, d in enumerate(docs) if d["kind"] in LATE_KINDS]}
    big = {name: [[i, v] for i, v in enumerate(col) if v >= _NUMBER_MAX] for name, col in (("len", lengths), ("head", heads))}
    if any(big.values()):
        out["big"] = {k: v for k, v in big.items() if v}
    return out


_NUMBER_MAX = 0xD800 - _CHARS_BASE - 1  # a number as one character below the surrogates (2 bytes of UTF-8 below 1,792)


def _number_chars(values: list[int]) -> str:
    """One character a document: U+0100 + the number; a number of _NUMBER_MAX or more is the character of
    _NUMBER_MAX, and its value is in the column's `big` list ([document, value] pairs)."""
    return "".join(chr(_CHARS_BASE + min(v, _NUMBER_MAX)) for v in values)


def _facet_file(docs: list[dict[str, Any]], company_labels: dict[str, str], pages: list[int]) -> bytes:
    fields: dict[str, Any] = {}
    city_names = {d["city"]: d["city_name"] for d in docs}
    for f in FACETS:
        facet = F.facet(f)
        names = city_names if f == "city" else company_labels
        values: list[str] = []
        index: dict[str, int] = {}
        col = []
        for d in docs:
            v = str(d.get(f) or "")
            if v not in index:
                index[v] = len(values)
                values.append(v)
            col.append(index[v])
        labels = [",".join(facet.value_label(x, names) for x in F.values(f, v)) for v in values]
        spec: dict[str, Any] = {"values": values}
        if labels != values:
            spec["labels"] = labels
        runs = _runs(col)
        if len(runs) > len(col) and len(values) <= _CHARS_MAX:  # many short runs: one character a document
            spec["chars"] = "".join(chr(_CHARS_BASE + v) for v in col)
        else:
            spec["runs"] = runs
        fields[f] = spec
    return _json({"n": len(docs), "fields": fields, "pages": pages, "rank": _rank_columns(docs)})


def _meta_file(docs: list[dict[str, Any]]) -> bytes:
    assessments: list[list[str]] = []
    where: dict[str, int] = {}
    rows = []
    for d in docs:
        if d["aid"] not in where:
            where[d["aid"]] = len(assessments)
            assessments.append([d["aid"], d["city_name"], d["title"], d["form_version"] or d["form"]])
        rows.append([d["key"], where[d["aid"]], d["kind_label"], d["part_title"], d["label"], d["answer"], d["url"], d["content"]])
    return _json({"a": assessments, "d": rows})


def _meta_pages(docs: list[dict[str, Any]], meta_docs: int) -> list[int]:
    """Start offsets of the metadata pages of a block: at most `meta_docs` documents, ~META_BYTES."""
    starts: list[int] = []
    count = size = 0
    for i, d in enumerate(docs):
        n = len(d["content"].encode("utf-8")) + 200
        if not starts or count >= meta_docs or (count and size + n > META_BYTES):
            starts.append(i)
            count = size = 0
        count += 1
        size += n
    return starts


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclasses.dataclass
class ExportStats:
    docs: int = 0
    blocks: int = 0
    files: int = 0
    bytes: int = 0
    largest: tuple[str, int] = ("", 0)
    encoded: int = 0  # blocks encoded by this export (the others were read from a cache)

    def add(self, path: str, content: bytes) -> None:
        self.files += 1
        self.bytes += len(content)
        if len(content) > self.largest[1]:
            self.largest = (path, len(content))


# ---- blocks ------------------------------------------------------------------------------------------
#
# Where blocks end must not move when one document changes, or a rebuild would encode every later block
# again (the greedy rule of before, fill each block to its limit, moved every later bound).  A block ends
# before a document that is an *anchor* once it holds at least 1/16 of the limit (of `block_docs`
# documents or `block_chars` characters, whichever it has filled more), and in any case before it would
# overflow.  Whether a document is an anchor depends on its key and its own length only (a draw from the
# key's digest, with a chance of 16/7 × its share of a block: about one anchor every 7/16 of a block), so
# a longer or shorter text moves at most the end of its own block, and the bounds after it are those of
# before again at the first anchor both follow (content-defined chunking at document granularity: the
# small minimum makes that the next anchor, mostly).  A block then holds about 0.45 of the limit on
# average, so the limit is twice the ~2 M characters a block had.
_MIN_FILL = (1, 16)
_SPACING = (7, 16)


def _anchor(key: str, n: int, block_docs: int, block_chars: int) -> bool:
    """Whether the document `key` of `n` characters may start a block (chance 16/7 × max(n / block_chars, 1 / block_docs))."""
    u = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")
    return u * block_chars * block_docs * _SPACING[0] < (_SPACING[1] * max(n * block_docs, block_chars)) << 64


def _blocks(docs: Iterable[tuple[str, int]], block_docs: int, block_chars: int) -> list[tuple[int, int]]:
    """(start, end) of each block: at most `block_docs` documents and about `block_chars` characters, cut at
    anchors (see above).  `docs`: (key, length of the text as given) of each document, read once."""
    out: list[tuple[int, int]] = []
    start = size = 0
    min_chars = block_chars * _MIN_FILL[0] // _MIN_FILL[1]
    min_docs = block_docs * _MIN_FILL[0] // _MIN_FILL[1]
    i = -1
    for i, (key, n) in enumerate(docs):
        count = i - start
        if count and (count >= block_docs or size + n > block_chars
                      or ((size >= min_chars or count >= min_docs) and _anchor(key, n, block_docs, block_chars))):
            out.append((start, i))
            start, size = i, 0
        size += n
    if start < i + 1:
        out.append((start, i + 1))
    return out


# ---- the files of one block, and their cache ------------------------------------------------------------
#
# A block's files depend on its documents (their hashes stand for every field: hyoka.documents.doc_hash;
# key and content are digested too), the layout, the labels of the companies its documents name and the
# code (the disk cache's version covers this file) — not on the block's number: every id in them is
# block-local.  With a disk cache (hyoka.cache.DocCache, kind "siteblock") a new build process reads the
# blocks whose documents did not change instead of encoding them; without one, the blocks of the last
# export stay in memory (`mkdocs serve` without a cache folder).

CACHE_KIND = "siteblock"
_BLOCK_CACHE: dict[str, tuple[list[bytes], list[bytes], bytes]] = {}  # block digest → (p files, m files, f file)


def _block_digest(part: list[dict[str, Any]], layout: str, labels: Mapping[str, str]) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"format {FORMAT_VERSION} {layout}\0".encode())
    h.update(_json(sorted(labels.items())) + b"\0")
    for d in part:
        for v in (d["key"], d["hash"], d["content"]):
            b = v.encode("utf-8")
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)
    return h.hexdigest()


def _block_labels(part: list[dict[str, Any]], company_labels: Mapping[str, str]) -> dict[str, str]:
    """The company labels the block's facet file can show (those of the values its documents have)."""
    out: dict[str, str] = {}
    for d in part:
        for f in FACETS:
            if f != "city" and d.get(f):
                for x in F.values(f, str(d[f])):
                    if x in company_labels:
                        out[x] = company_labels[x]
    return out


def _pack(block: tuple[list[bytes], list[bytes], bytes]) -> bytes:
    """One cache entry: a JSON line of the file sizes, then the files' bytes (p files, m files, f file)."""
    p, m, f = block
    head = json.dumps({"p": [len(x) for x in p], "m": [len(x) for x in m], "f": len(f)}, separators=(",", ":"))
    return b"".join([head.encode("ascii"), b"\n", *p, *m, f])


def _unpack(payload: bytes, buckets: int) -> tuple[list[bytes], list[bytes], bytes] | None:
    """The files of a cache entry, or None when it is not one of this layout."""
    head, nl, body = payload.partition(b"\n")
    try:
        h = json.loads(head)
        p, m, f = h["p"], h["m"], h["f"]
        sizes = [*p, *m, f]
        ok = (nl and isinstance(p, list) and isinstance(m, list) and len(p) == buckets and m
              and all(type(x) is int and x >= 0 for x in sizes) and sum(sizes) == len(body))
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        return None
    mv = memoryview(body)
    files, i = [], 0
    for n in sizes:
        files.append(bytes(mv[i : i + n]))
        i += n
    return files[:buckets], files[buckets:-1], files[-1]


def _encode_block(part: list[dict[str, Any]], buckets: int, meta_docs: int,
                  company_labels: Mapping[str, str]) -> tuple[list[bytes], list[bytes], bytes]:
    """The posting files (one per bucket), metadata pages and facet file of one block."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector doubled the time
    try:
        texts: dict[str, tuple] = {}  # identical texts of the block (「はい」, shared sentences) computed once
        entries = [_text_postings(d["content"], texts) for d in part]
        del texts
        _varints(len(part) + 1)  # every document delta and count of the block
        uni, bi = _block_postings(entries)
        del entries
        mask = buckets - 1
        per_bucket: list[list[tuple[str, bytes]]] = [[] for _ in range(buckets)]
        for grams, enc in ((uni, _encode_unigram), (bi, _encode_bigram)):
            for g, lst in grams.items():
                h = _HASHES.get(g)
                if h is None:
                    h = _HASHES[g] = fnv1a(g)
                per_bucket[h & mask].append((g, enc(lst)))
        del uni, bi
        p = [_shard(shard) for shard in per_bucket]  # every file exists: the browser never meets a 404
        del per_bucket
        pages = _meta_pages(part, meta_docs)
        m = [_meta_file(part[first : pages[k + 1] if k + 1 < len(pages) else len(part)]) for k, first in enumerate(pages)]
        return p, m, _facet_file(part, company_labels, pages)
    finally:
        if gc_was_enabled:
            gc.enable()


def export(docs: Iterable[dict[str, Any]], block_docs: int = BLOCK_DOCS, buckets: int = BUCKETS,
           meta_docs: int = META_DOCS, block_chars: int = BLOCK_CHARS,
           company_names: Mapping[str, str] | None = None, cache=None) -> dict[str, bytes]:
    """Every file of the index, path (relative to search-index/) → bytes (`export_files`, collected)."""
    return dict(export_files(docs, block_docs, buckets, meta_docs, block_chars, company_names, cache))


def export_files(docs: Iterable[dict[str, Any]], block_docs: int = BLOCK_DOCS, buckets: int = BUCKETS,
                 meta_docs: int = META_DOCS, block_chars: int = BLOCK_CHARS,
                 company_names: Mapping[str, str] | None = None, cache=None,
                 stats: ExportStats | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file of the index as (path relative to search-index/, bytes), a block at a time, the manifest
    last: only one block's postings are held at once.  `docs`: the documents in search order (`order`),
    read twice (a first pass for the block bounds, the company labels and the version; a one-shot
    iterator is read into a list).  `company_names`: company id → 正式名称 (`company_names(registry)`), the
    names of the 委託先名 filter.  `cache`: a hyoka.cache.DocCache to read unchanged blocks from and write
    encoded ones to.  `stats` (ExportStats) is filled in as the files are made."""
    global _BLOCK_CACHE
    if buckets & (buckets - 1) or buckets < 1:
        raise ValueError("buckets must be a power of two")
    if iter(docs) is docs:
        docs = list(docs)
    st = stats if stats is not None else ExportStats()
    version = hashlib.sha256()
    entrusts: list[dict[str, Any]] = []

    def first_pass() -> Iterator[tuple[str, int]]:  # (no list of every key: the corpus is read from a stream)
        for d in docs:
            version.update(d["hash"].encode())
            if d.get("kind") == "entrust" and d.get("extra"):
                entrusts.append({"kind": "entrust", "extra": d["extra"]})  # (what _company_labels reads)
            yield d["key"], len(d["content"])

    blocks = _blocks(first_pass(), block_docs, block_chars)
    company_labels = _company_labels(entrusts, company_names)
    entrusts.clear()
    layout = f"{block_docs}/{block_chars}/{buckets}/{meta_docs}/{META_BYTES}"
    version.update(layout.encode())
    st.docs, st.blocks = sum(e - s for s, e in blocks), len(blocks)
    memory: dict[str, tuple[list[bytes], list[bytes], bytes]] = {}
    it = iter(docs)
    for b, (start, end) in enumerate(blocks):
        part = list(islice(it, end - start))
        labels = _block_labels(part, company_labels)
        digest = _block_digest(part, layout, labels)
        files = _BLOCK_CACHE.get(digest) if cache is None else None
        key = None
        if files is None and cache is not None:
            key = cache.key(CACHE_KIND, digest)
            payload = cache.get_bytes(CACHE_KIND, key)
            if payload is not None:
                files = _unpack(payload, buckets)
                if files is None:
                    cache.reject(CACHE_KIND)
        if files is None:
            files = _encode_block(part, buckets, meta_docs, labels)
            st.encoded += 1
            if key is not None:
                cache.put_bytes(CACHE_KIND, key, _pack(files))
        if cache is None:
            memory[digest] = files
        del part
        p, m, f = files
        for h, content in enumerate(p):
            path = f"p/{b}/{h}.bin"
            st.add(path, content)
            yield path, content
        for k, content in enumerate(m):
            path = f"m/{b}/{k}.json"
            st.add(path, content)
            yield path, content
        st.add(f"f/{b}.json", f)
        yield f"f/{b}.json", f
        del files, p, m, f
    _BLOCK_CACHE = memory  # the blocks of this export only (none with a disk cache)
    manifest = _json({
        "format": FORMAT_VERSION,
        "version": version.hexdigest()[:12],
        "docs": st.docs,
        "block": block_docs,
        "buckets": buckets,
        "blocks": len(blocks),
        "hash": "fnv1a32-utf8",
        "facets": manifest_facets(),
    })
    st.add("manifest.json", manifest)
    yield "manifest.json", manifest


def manifest_facets() -> list[dict[str, Any]]:
    """The browser's filters, as the registry (hyoka.fields) has them: the script builds its filters from
    this list only."""
    return [{"field": f.name, "label": f.label, "multi": f.multi, "order": list(f.order) if f.order is not None else None}
            for f in F.BROWSER]


def company_names(registry) -> dict[str, str]:
    """Company id → 正式名称 of site_config/companies.yaml (hyoka.companies.Registry)."""
    return {cid: c.name for cid, c in registry.companies.items()}


def stats(files: Mapping[str, bytes]) -> ExportStats:
    manifest = json.loads(files["manifest.json"])
    big = max(files.items(), key=lambda kv: len(kv[1]))
    return ExportStats(manifest["docs"], manifest["blocks"], len(files), sum(len(v) for v in files.values()), (big[0], len(big[1])))


# ---- the site ---------------------------------------------------------------------------------------


def asset(name: str) -> bytes:
    return (_ASSET_DIR / name).read_bytes()


def search_page() -> str:
    """The search page (hyoka/templates/search.md): a plain GET form (works as a link target), filled in by
    the script."""
    from .templating import render

    return render("search.md")
