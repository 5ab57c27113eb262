"""Queries over the index: a small, strict query language, filters, facets and snippets.

Query language (whitespace separates terms; all terms must match unless OR is used):
    個人番号カード 委託先            both terms (AND)
    再委託 OR 委託先                 either term
    委託 NOT 再委託   /  委託 -再委託    the first without the second
    "株式会社 日立製作所"            a quoted term (spaces inside are ignored like everywhere)
    (再委託 OR 委託先) 保管           grouping
A term matches where the NFKC-normalised item text contains it as a substring (see analysis.py).
A malformed query raises QueryError with a Japanese message; callers print it (exit code 2).

No MkDocs here.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import dataclasses
import json
import os
import re
import threading
import unicodedata
from typing import Any, Iterable

from whoosh import query as Q
from whoosh import sorting

from hyoka import fields

from . import fastsearch
from . import whoosh_private as wp
from .analysis import SEGMENT_SEP, grams, normalize_query_term
from .phrase import BigramPhrase, PrefixTerms

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
FACETS = fields.NAMES  # the registry's facets (hyoka.fields), counted by every search
OPERATORS = {"AND", "OR", "NOT"}
PLAIN = False  # True: every search through Whoosh's own searcher (tests compare both paths)


class QueryError(ValueError):
    """A query that cannot be run; str() is the message for the user (Japanese)."""


# ---- parsing --------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r'\s*(?:(?P<quote>"[^"]*")|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+)|(?P<bad>"))')


@dataclasses.dataclass
class _Tok:
    kind: str  # term, op, open, close
    text: str


def _tokenize(text: str) -> list[_Tok]:
    text = text.replace("“", '"').replace("”", '"').replace("＂", '"')
    text = text.replace("（", "(").replace("）", ")")
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise QueryError("検索語を読み取れませんでした")
        pos = m.end()
        if m.group("bad"):
            raise QueryError('引用符 " が閉じていません。語を "…" で囲むときは、開きと閉じの両方を書いてください')
        if m.group("quote"):
            out.append(_Tok("term", m.group("quote")[1:-1]))
        elif m.group("open"):
            out.append(_Tok("open", "("))
        elif m.group("close"):
            out.append(_Tok("close", ")"))
        else:
            w = m.group("word")
            up = unicodedata.normalize("NFKC", w)
            if up in OPERATORS:
                out.append(_Tok("op", up))
            elif w.startswith("-") and len(w) > 1:
                out.append(_Tok("op", "NOT"))
                out.append(_Tok("term", w[1:]))
            else:
                out.append(_Tok("term", w))
    return out


@dataclasses.dataclass
class ParsedQuery:
    query: Q.Query | None  # None: match everything
    terms: list[str]  # normalised positive terms (for highlighting)


class _Parser:
    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.i = 0
        self.terms: list[str] = []

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self) -> Q.Query:
        q = self.or_expr()
        t = self.peek()
        if t is not None:
            if t.kind == "close":
                raise QueryError("閉じ括弧 ) に対応する開き括弧 ( がありません（括弧そのものを探すときは \"…\" で囲んでください）")
            raise QueryError(f"「{t.text}」の位置で検索式が終わっています")
        return q

    def or_expr(self) -> Q.Query:
        parts = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "OR":
            self.take()
            if self.peek() is None or self.peek().kind in ("close",) or (self.peek().kind == "op" and self.peek().text != "NOT"):
                raise QueryError("OR の後に語がありません。OR は二つの語の間に書いてください（例: 再委託 OR 委託先）")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Q.Or(parts)

    def and_expr(self) -> Q.Query:
        pos: list[Q.Query] = []
        neg: list[Q.Query] = []
        first = True
        while (t := self.peek()) is not None and not (t.kind == "close" or (t.kind == "op" and t.text == "OR")):
            if t.kind == "op" and t.text == "AND":
                self.take()
                if first:
                    raise QueryError("AND の前に語がありません。AND は二つの語の間に書いてください（例: 委託 AND 再委託）")
                nxt = self.peek()
                if nxt is None or nxt.kind == "close" or (nxt.kind == "op" and nxt.text != "NOT"):
                    raise QueryError("AND の後に語がありません。AND は二つの語の間に書いてください（例: 委託 AND 再委託）")
                continue
            if t.kind == "op" and t.text == "NOT":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind == "close" or nxt.kind == "op":
                    raise QueryError("NOT の後に語がありません。除きたい語を NOT の後に書いてください（例: 委託 NOT 再委託）")
                neg.append(self.atom(negated=True))
            else:
                pos.append(self.atom())
            first = False
        if first:
            t = self.peek()
            if t is not None and t.kind == "op" and t.text == "OR":
                raise QueryError("OR の前に語がありません。OR は二つの語の間に書いてください（例: 再委託 OR 委託先）")
            if t is not None and t.kind == "close":
                raise QueryError("括弧の中に語がありません")
            raise QueryError("検索語がありません")
        base: Q.Query = pos[0] if len(pos) == 1 else (Q.And(pos) if pos else Q.Every())
        if not neg:
            return base
        # Not AndNot: in Whoosh 2.7.4 AndNotMatcher._find_first can keep the first item of the left side
        # when the negative side starts on an earlier item (「(委託先 OR 保管) -再委託」 kept an item with
        # 再委託). And([..., Not(x)]) filters item by item and is correct.
        return Q.And([base, *[Q.Not(n) for n in neg]])

    def atom(self, negated: bool = False) -> Q.Query:
        t = self.take()
        if t.kind == "open":
            q = self.or_expr()
            c = self.peek()
            if c is None or c.kind != "close":
                raise QueryError("開き括弧 ( が閉じていません（括弧そのものを探すときは \"…\" で囲んでください）")
            self.take()
            return q
        if t.kind == "close":
            raise QueryError("閉じ括弧 ) に対応する開き括弧 ( がありません（括弧そのものを探すときは \"…\" で囲んでください）")
        term = normalize_query_term(t.text)
        if not term:
            return Q.Every()
        if not negated:
            self.terms.append(term)
        return term_query(term)


def term_query(term: str, field: str = "content") -> Q.Query:
    """A normalised term as a query: a prefix (one character), its bigram, or the phrase of its bigrams."""
    if len(term) == 1:
        return PrefixTerms(field, term)  # the bigrams starting with it, and the lone character
    g = grams(term)
    if len(g) == 1:
        return Q.Term(field, g[0])
    return BigramPhrase(field, g)  # = Q.Phrase(field, g), faster (phrase.py)


def parse_query(text: str | None) -> ParsedQuery:
    """Parse the user's query; raises QueryError for anything malformed."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"検索語が長すぎます（{len(text):,} 文字）。{MAX_QUERY_CHARS} 文字以内にしてください")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise QueryError("検索語に制御文字が含まれています")
    toks = _tokenize(text)
    if not toks:
        return ParsedQuery(None, [])
    if sum(1 for t in toks if t.kind == "term") > MAX_TERMS:
        raise QueryError(f"検索語が多すぎます。{MAX_TERMS} 語以内にしてください")
    p = _Parser(toks)
    q = p.parse()
    if isinstance(q, Q.Every):
        q = None
    return ParsedQuery(q, list(dict.fromkeys(p.terms)))


# ---- searching -----------------------------------------------------------------------------------


@dataclasses.dataclass
class SearchResult:
    total: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[tuple[str, int]]]
    terms: list[str]


def filter_query(filters: dict[str, str | Iterable[str]] | None) -> Q.Query | None:
    """Each field must have (one of) the given values."""
    parts: list[Q.Query] = []
    for field, value in (filters or {}).items():
        if value is None or value == "":
            continue
        values = [value] if isinstance(value, str) else list(value)
        parts.append(Q.Term(field, values[0]) if len(values) == 1 else Q.Or([Q.Term(field, v) for v in values]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


class _SharedSearcher:
    """One searcher per open index, reused while the index is unchanged: a searcher keeps the facet
    (column) caches, which every search with facets would otherwise rebuild (most of a query's time).

    Kept on the index object itself (`ix._hyoka_shared`), so it lives and dies with it; a lock makes one
    search at a time use it.  Reused only while the index's generation and its TOC file (inode, mtime:
    the live index is a symlink that a build switches) are those the searcher was opened on."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.searcher = None
        self.stamp: Any = None

    @staticmethod
    def _stamp(ix) -> Any:
        gen = ix.latest_generation()
        folder = getattr(getattr(ix, "storage", None), "folder", None)
        if folder is None:
            return gen
        try:
            st = os.stat(os.path.join(folder, f"_{ix.indexname}_{gen}.toc"))
        except OSError:
            return None  # unknown: never reuse
        return gen, os.path.realpath(folder), st.st_ino, st.st_mtime_ns

    @contextlib.contextmanager
    def use(self, ix):
        with self.lock:
            stamp = self._stamp(ix)
            if self.searcher is None or stamp is None or stamp != self.stamp:
                if self.searcher is not None:
                    self.searcher.close()
                self.searcher, self.stamp = ix.searcher(), stamp
            yield self.searcher


def _searcher(ix):
    """`with _searcher(ix) as s:` — the index's shared searcher (see _SharedSearcher)."""
    shared = getattr(ix, "_hyoka_shared", None)
    if shared is None:
        with _SHARED_LOCK:
            shared = getattr(ix, "_hyoka_shared", None)
            if shared is None:
                shared = ix._hyoka_shared = _SharedSearcher()
    return shared.use(ix)


_SHARED_LOCK = threading.Lock()


class _FacetValues:
    """Every document's value of each facet field, read once per searcher: facet counts of a search are
    then a Counter over its document numbers (Whoosh's groupedby categorises hit by hit in Python, and
    rebuilt its overlap map of `company` on every search).  Kept on the shared searcher."""

    def __init__(self, searcher) -> None:
        self._s = searcher
        self._cols: dict[str, list] = {}

    def column(self, field: str) -> list:
        col = self._cols.get(field)
        if col is None:
            reader = self._s.reader()
            if field in fields.MULTI_VALUED:  # KEYWORD, several per document, no column: from its postings
                col = [()] * reader.doc_count_all()
                for btext in reader.lexicon(field):
                    value = btext.decode("utf-8")
                    for n in reader.postings(field, btext).all_ids():
                        col[n] = (*col[n], value)
            else:
                col = self._from_postings(reader, field)
                if col is None:
                    col = list(reader.column_reader(field, translate=True))
            self._cols[field] = col
        return col

    @staticmethod
    def _from_postings(reader, field: str) -> list | None:
        """The column of an ID field with few distinct values, from its postings a block at a time (the
        column reader decodes one document at a time: seconds for the first search of a national index);
        None when the field has many values (key, hash) or no postings.  Documents without the field get
        "" (as the column); the counts leave "" and None out alike."""
        n = reader.doc_count_all()
        terms = []
        for btext in reader.lexicon(field):
            terms.append(btext)
            if len(terms) > max(64, n // 16):
                return None
        if not terms:
            return None
        col: list = [""] * n
        for leaf, offset in reader.leaf_readers():
            for btext in terms:
                if (field, btext) not in leaf:
                    continue
                value = btext.decode("utf-8")
                for d in wp.term_postings(leaf, field, btext)[0]:
                    col[offset + d] = value
        return col

    def counts(self, field: str, docnums: list[int]) -> list[tuple[str, int]]:
        col = self.column(field)
        if field in fields.MULTI_VALUED:
            c = collections.Counter(itertools.chain.from_iterable(map(col.__getitem__, docnums)))
        else:
            c = collections.Counter(map(col.__getitem__, docnums))
        counts = [(k, n) for k, n in c.items() if k not in (None, "")]
        counts.sort(key=lambda kv: (-kv[1], str(kv[0])))
        return counts


def _facet_values(s) -> _FacetValues:
    fv = getattr(s, "_hyoka_facets", None)
    if fv is None:
        fv = s._hyoka_facets = _FacetValues(s)
    return fv


def search(ix, text: str | None, filters: dict[str, Any] | None = None, limit: int | None = 20,
           facets: Iterable[str] = FACETS) -> SearchResult:
    parsed = parse_query(text)
    q = parsed.query or Q.Every()
    fq = filter_query(filters)
    if fq is not None:
        q = Q.And([q, fq]) if parsed.query is not None else fq
    facets = tuple(facets)
    with _searcher(ix) as s:
        fast = None
        if limit is not None and not PLAIN:  # a page: fastsearch (exact totals and facets, Whoosh's scores for the page)
            fast = fastsearch.fast_search(s, _facet_values(s), q, limit, sort_by_key=parsed.query is None)
        if fast is not None:
            total, docnums, page = fast
        else:
            kw: dict[str, Any] = {"limit": None}
            if parsed.query is None:
                kw["sortedby"] = "key"
            results = s.search(q, **kw)
            total = len(results)
            docnums = [n for _, n in results.top_n]
            page = [(hit.score, hit.docnum) for hit in results[: limit if limit is not None else total]]
        facet_counts: dict[str, list[tuple[str, int]]] = {}
        if facets:
            fv = _facet_values(s)
            for f in facets:
                facet_counts[f] = fv.counts(f, docnums)
        hits = []
        for score, docnum in page:
            d = dict(s.stored_fields(docnum))
            d["score"] = round(score, 4) if isinstance(score, float) else None  # sorted: no score
            d["snippet"] = snippet(d.get("content", ""), parsed.terms)
            hits.append(d)
    return SearchResult(total, hits, facet_counts, parsed.terms)


def grouped_documents(ix, q: Q.Query, facet: str | sorting.FacetType, overlap: bool = False) -> dict[Any, list[dict[str, Any]]]:
    """Stored documents matching `q`, grouped by a facet (a field name or a whoosh facet), limit=None."""
    fac = sorting.FieldFacet(facet, allow_overlap=overlap) if isinstance(facet, str) else facet
    with _searcher(ix) as s:
        results = s.search(q, groupedby={"g": fac}, limit=None)
        out: dict[Any, list[dict[str, Any]]] = {}
        for value, docnums in results.groups("g").items():
            docs = [s.stored_fields(n) for n in docnums]
            docs.sort(key=lambda d: (d.get("city", ""), d.get("aid", ""), d.get("file_no", 0), d.get("key", "")))
            out[value] = docs
    return out


# ---- snippets ------------------------------------------------------------------------------------


_CHAR_NORM: dict[str, str] = {}  # character → its normalised form (a pure function of the character)
_ONE = (1).__eq__  # applied to len(part)


def _char_norm(ch: str) -> str:
    n = _CHAR_NORM.get(ch)
    if n is None:
        if ch == SEGMENT_SEP:
            n = SEGMENT_SEP
        elif ch.isspace():
            n = ""
        else:
            n = "".join(c for c in unicodedata.normalize("NFKC", ch).lower() if not c.isspace())
        if len(_CHAR_NORM) < 100_000:
            _CHAR_NORM[ch] = n
    return n


def _norm_map(text: str) -> tuple[str, list[int]]:
    """Per-character normalisation of text with, for each normalised char, its index in `text`."""
    parts = [_CHAR_NORM.get(ch) or _char_norm(ch) for ch in text]
    norm = "".join(parts)
    if len(norm) == len(text) and all(map(_ONE, map(len, parts))):  # every character stayed one character
        return norm, list(range(len(text)))
    where = [i for i, p in enumerate(parts) for _ in p]
    return norm, where


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) spans of `text` (original offsets) where a normalised term occurs."""
    norm, where = _norm_map(text)
    spans = []
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start >= 0:
            end = start + len(term) - 1
            spans.append((where[start], where[end] + 1))
            start = norm.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def snippet(text: str, terms: list[str], width: int = 40, mark: tuple[str, str] = ("【", "】")) -> str:
    """The text around the first match, matches wrapped in `mark`; segments shown as 「 ／ 」."""
    if not text:
        return ""
    spans = match_spans(text, terms)
    if spans:
        first = spans[0][0]
        lo = max(0, first - width)
        hi = min(len(text), spans[0][1] + width * 2)
    else:
        lo, hi = 0, min(len(text), width * 3)
    out = []
    pos = lo
    for a, b in spans:
        if b <= lo or a >= hi:
            continue
        a, b = max(a, lo), min(b, hi)
        out.append(text[pos:a])
        out.append(mark[0] + text[a:b] + mark[1])
        pos = b
    out.append(text[pos:hi])
    s = "".join(out)
    s = s.replace(SEGMENT_SEP, " ／ ")
    s = re.sub(r"\s+", " ", s).strip()
    return ("…" if lo > 0 else "") + s + ("…" if hi < len(text) else "")


def hit_json(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit as plain data for JSON/CSV output."""
    extra = hit.get("extra")
    return {
        "municipality": hit.get("city_name"),
        "municipality_code": hit.get("city"),
        "assessment": hit.get("aid"),
        "title": hit.get("title"),
        "form": hit.get("form"),
        "form_version": hit.get("form_version"),
        "section": hit.get("section"),
        "part": hit.get("part"),
        "part_title": hit.get("part_title"),
        "file_no": hit.get("file_no") or None,
        "file_name": hit.get("file_name") or None,
        "kind": hit.get("kind_label"),
        "item": hit.get("label"),
        "answer": hit.get("answer") or None,
        "text": hit.get("text") or None,
        "anchor": hit.get("anchor") or None,
        "permalink": hit.get("url"),
        "snippet": hit.get("snippet"),
        "score": hit.get("score"),
        "companies": json.loads(extra).get("mentions") if extra and hit.get("kind") == "entrust" else None,
    }
