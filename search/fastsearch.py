"""The fast path of query.search: exact totals and facet counts, and the page of hits, without Whoosh
scoring every hit.

Whoosh's searcher finds the hits with one matcher call per posting (intersections, skip_to, span
checks) and scores every hit (one scorer call per hit per term), because a total and facet counts need
all of them: most of a query's time at national scale (README "Performance").  Here, for the queries our
parser makes (Term, BigramPhrase, PrefixTerms, And, Or, Not, Every, and the filters' Terms):

1. The hit set is computed with sets, per segment: a term's postings are read a block at a time
   (whoosh_private.term_postings), a phrase is the intersection of its covering bigrams with a position
   check on integer sets; a frequent term of `content` is read from the segment's sidecar instead
   (whoosh_private.Sidecar: flat arrays, written with the segment), where a phrase is one C-level set
   intersection of (document, position) keys per bigram (_phrase_side); a filter on a facet field is a
   look-up in that field's column (read once per searcher); deleted documents are dropped.  The total and the facet counts come from this set.
2. Each hit gets an estimate of its BM25F score from the postings' weights and the field lengths (read
   once per searcher): the same formula as Whoosh's, summed in another order.
3. Only the hits whose estimate reaches the page's last one (within a margin far above rounding) are
   scored by Whoosh itself, with its own matcher moved to each of them (skip_to): the page's order and
   scores are Whoosh's, ties broken by document number as Whoosh does.

Any other query, and a page as long as all the hits (limit=None), go through Whoosh's plain search;
so does a query whose estimate disagrees with Whoosh about a hit (a bug, then: tests/test_fastsearch.py
compares both paths on the real content).  No result cache: every query is computed.

No MkDocs here.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from typing import Any

from whoosh import query as Q
from whoosh.scoring import BM25FScorer

from . import whoosh_private as wp
from .phrase import BigramPhrase, PrefixTerms, cover

MARGIN = 1e-6  # relative: estimates differ from Whoosh's scores by float rounding only (~1e-15)
MAX_RESCORE = 5000  # more ties at the page's edge than this: Whoosh's plain search instead


class Unsupported(Exception):
    """A query this module does not evaluate (the caller uses Whoosh's plain search)."""


class _Leaf:
    def __init__(self, reader, offset: int):
        self.reader = reader
        self.offset = offset
        self.count = reader.doc_count_all()
        self._lengths: dict[str, list] = {}
        self.deleted = ({n for n in range(self.count) if reader.is_deleted(n)} if reader.has_deletions() else set())
        self.side = wp.open_sidecar(reader)  # the frequent content terms as flat arrays, or None

    def lengths(self, field: str) -> list:
        col = self._lengths.get(field)
        if col is None:
            col = wp.segment_field_lengths(self.reader, field)
            if col is None:  # another codec: the public, slower way
                col = [self.reader.doc_field_length(n, field) for n in range(self.count)]
            col = array("I", [n or 0 for n in col])  # 4 bytes a document
            self._lengths[field] = col
        return col


class Engine:
    """Per searcher (and so per index generation): the segments, their field lengths and deletions, the
    facet columns (query._FacetValues) and every document's boost.  Kept on the shared searcher."""

    def __init__(self, searcher, columns) -> None:
        self.s = searcher
        self.columns = columns  # query._FacetValues: column(field) → every document's value
        top = searcher.reader()
        self.top = top
        self.leaves = [_Leaf(r, o) for r, o in top.leaf_readers()]
        self._boost: array | None = None
        self._postings: dict = {}
        self.schema = searcher.schema

    # ---- per-index data --------------------------------------------------------------------------

    def boost(self) -> array:
        """Every document's boost (the weight of its posting in `kind`, which every document has)."""
        if self._boost is None:
            boost = array("f", [1.0]) * self.top.doc_count_all()  # weights are float32 in the postings too
            for leaf in self.leaves:
                for btext in leaf.reader.lexicon("kind"):
                    ids, weights, _ = wp.term_postings(leaf.reader, "kind", btext)
                    o = leaf.offset
                    for d, w in zip(ids, weights):
                        boost[o + d] = w
            self._boost = boost
        return self._boost

    def _inverted(self, field: str) -> dict[str, array]:
        """value → the (not deleted) documents with it, from the field's column; once per searcher."""
        idx = self._postings.get(field)
        if idx is None:
            col = self.columns.column(field)
            deleted = {leaf.offset + d for leaf in self.leaves for d in leaf.deleted}
            lists: dict[str, list[int]] = {}
            for d, v in enumerate(col):
                if d not in deleted:
                    lists.setdefault(v, []).append(d)
            idx = {v: array("I", ds) for v, ds in lists.items()}  # 4 bytes a document
            self._postings[field] = idx
        return idx

    def _narrowest(self, within, leaf: _Leaf, below: int) -> list[int] | None:
        """The local documents of `leaf` passing every filter of `within`, found from the filter with the
        fewest documents (its inverted list); None without filters or if that filter has `below` or more."""
        if not within:
            return None
        sizes = []
        for f, _col, allowed in within:
            idx = self._inverted(f)
            sizes.append((sum(len(idx.get(v, ())) for v in allowed), f, allowed))
        size, f, allowed = min(sizes, key=lambda x: x[0])
        if size >= below:
            return None
        idx = self._inverted(f)
        o, end = leaf.offset, leaf.offset + leaf.count
        docs: list[int] = []
        for v in allowed:
            lst = idx.get(v, ())
            docs.extend(lst[bisect.bisect_left(lst, o):bisect.bisect_left(lst, end)])
        docs.sort()
        others = [(col, al) for f2, col, al in within if f2 != f or al is not allowed]
        return [d - o for d in docs if all(col[d] in al for col, al in others)]

    def _column_field(self, field: str) -> bool:
        return field in self.schema and field != "company" and getattr(self.schema[field], "column_type", None) is not None

    # ---- evaluation: {global docnum: estimated score} -------------------------------------------------

    def evaluate(self, q) -> dict[int, float]:
        if isinstance(q, Q.Every):
            return {o + d: 0.0 for leaf in self.leaves for o in (leaf.offset,) for d in range(leaf.count) if d not in leaf.deleted}
        if isinstance(q, BigramPhrase):
            return self._phrase(q)
        if isinstance(q, PrefixTerms):
            words = [w for w in self.top.expand_prefix(q.fieldname, q.text) if w]  # = Prefix._btexts
            out: dict[int, float] = {}
            for w in words:
                for d, s in self._term(q.fieldname, w, q.boost).items():
                    out[d] = out.get(d, 0.0) + s
            return out
        if isinstance(q, Q.Term):
            return self._term(q.fieldname, q.text, q.boost)
        if isinstance(q, Q.Or):
            out = {}
            for sub in q.subqueries:
                for d, s in self.evaluate(sub).items():
                    out[d] = out.get(d, 0.0) + s
            return self._boosted(out, q.boost)
        if isinstance(q, Q.And):
            return self._boosted(self._and(q.subqueries), q.boost)
        raise Unsupported(type(q).__name__)

    @staticmethod
    def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
        return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}

    def _filter_values(self, q) -> tuple[str, dict[str, float]] | None:
        """A Term, or an Or of Terms, on one column field: (field, {value: boost})."""
        if isinstance(q, Q.Term) and self._column_field(q.fieldname) and isinstance(q.text, str):
            return q.fieldname, {q.text: q.boost}
        if isinstance(q, Q.Or) and q.subqueries and q.boost == 1.0:
            parts = [self._filter_values(sub) for sub in q.subqueries]
            if all(p is not None and len(p[1]) == 1 for p in parts) and len({p[0] for p in parts}) == 1:
                values: dict[str, float] = {}
                for _, vs in parts:
                    for v, b in vs.items():
                        if v in values:
                            return None
                        values[v] = b
                return parts[0][0], values
        return None

    def _and(self, subs) -> dict[int, float]:
        filters, negs, rest = [], [], []
        for sub in subs:
            if isinstance(sub, Q.Not):
                negs.append(sub.query)
            elif isinstance(sub, Q.Every):
                continue
            elif (fv := self._filter_values(sub)) is not None:
                filters.append(fv)
            else:
                rest.append(sub)
        if any(sub.estimate_size(self.top) == 0 for sub in rest if isinstance(sub, (Q.Term, BigramPhrase))):
            return {}  # a term the index does not have: nothing matches (as Whoosh's NullMatcher)
        present = []
        for f, vs in filters:  # values the index does not have match nothing (Whoosh: a NullMatcher)
            vs = {v: b for v, b in vs.items() if (f, self.schema[f].to_bytes(v)) in self.top}
            if not vs:
                return {}
            present.append((f, vs))
        filters = present
        within = [(f, self.columns.column(f), set(vs)) for f, vs in filters]
        if rest:
            out = None
            # a phrase or a term first: it takes the filters
            rest.sort(key=lambda sub: not isinstance(sub, (BigramPhrase, Q.Term)))
            for sub in rest:
                if out is None and isinstance(sub, BigramPhrase):
                    part = self._phrase(sub, within)
                elif out is None and type(sub) is Q.Term:
                    part = self._term(sub.fieldname, sub.text, sub.boost, within)
                else:
                    part = self.evaluate(sub)
                if out is None:
                    out = part
                else:
                    out = {d: s + part[d] for d, s in out.items() if d in part}
                if not out:
                    return {}
        else:
            out = None
        boost = self.boost() if filters else None
        for field, values in filters:
            col = self.columns.column(field)
            if out is None:  # the filter alone: its documents from the column
                idx = self._inverted(field)
                out = {}
                for v, b in values.items():
                    for d in idx.get(v, ()):
                        out[d] = boost[d] * b
                continue
            out = {d: s + boost[d] * values[col[d]] for d, s in out.items() if col[d] in values}
        if out is None:  # only Every / Not parts
            out = self.evaluate(Q.Every())
        for n in negs:
            drop = self.evaluate(n)
            out = {d: s for d, s in out.items() if d not in drop}
        return out

    def _term(self, field: str, text, boost: float = 1.0, within=()) -> dict[int, float]:
        """A term's documents and estimated scores; with `within` (the filters around it, as for
        _phrase), a filter rarer than the term gives the documents whose postings are read."""
        if field not in self.schema:
            return {}
        fobj = self.schema[field]
        try:
            btext = fobj.to_bytes(text) if isinstance(text, str) else text
        except ValueError:
            return {}
        if (field, btext) not in self.top:
            return {}
        scorer = self.s.weighting.scorer(self.s, field, btext)
        out: dict[int, float] = {}
        for leaf in self.leaves:
            if (field, btext) not in leaf.reader:
                continue
            narrow = self._narrowest(within, leaf, leaf.reader.doc_frequency(field, btext))
            side = leaf.side if field == "content" else None
            if narrow is not None:
                got = wp.term_postings_in(leaf.reader, field, btext, narrow)
                ids, weights = list(got), [wv[0] for wv in got.values()]
            elif side is not None and side.has(btext):
                ids, weights = side.postings(btext)
            else:
                ids, weights, _ = wp.term_postings(leaf.reader, field, btext)
            o, deleted = leaf.offset, leaf.deleted
            if isinstance(scorer, BM25FScorer):
                a, c0, c1 = _bm25_consts(scorer)
                lengths = leaf.lengths(field)
                for d, w in zip(ids, weights):
                    if d not in deleted:
                        out[o + d] = boost * a * w / (w + c0 + c1 * lengths[d])
            else:
                for d, w in zip(ids, weights):
                    if d not in deleted:
                        out[o + d] = boost * w
        return out

    def _phrase(self, q: BigramPhrase, within=()) -> dict[int, float]:
        """The documents where the bigrams of cover() stand at their offsets from one start (= Whoosh's
        Phrase, see phrase.py).  Per segment: the rarest bigram's postings are read whole, the others only
        in the blocks that hold a remaining candidate; `within` ((column, values) pairs of the filters
        around the phrase) drops candidates before any position is decoded."""
        field = q.fieldname
        if field not in self.schema:
            return {}
        fobj = self.schema[field]
        if not fobj.format or not fobj.format.supports("positions") or q.slop != 1:
            raise Unsupported("phrase without positions")
        offsets = cover(len(q.words))
        btexts = []
        for word in [q.words[i] for i in offsets]:
            try:
                btext = fobj.to_bytes(word)
            except ValueError:
                return {}
            if (field, btext) not in self.top:
                return {}
            btexts.append(btext)
        consts = [_bm25_consts(self.s.weighting.scorer(self.s, field, b)) for b in btexts]
        decode = wp.positions_decoder(fobj.format)
        out: dict[int, float] = {}
        nterms = len(btexts)
        for leaf in self.leaves:
            r = leaf.reader
            if any((field, b) not in r for b in btexts):
                continue
            o = leaf.offset
            order = sorted(range(nterms), key=lambda t: r.doc_frequency(field, btexts[t]))
            postings: list[dict | None] = [None] * nterms
            narrow = self._narrowest(within, leaf, r.doc_frequency(field, btexts[order[0]]))
            side = leaf.side if field == "content" else None
            if side is not None and all(side.has(b) for b in btexts):
                # the sidecar's keys (a C-level set intersection), unless a filter is much rarer than every
                # bigram: then the blocks holding its documents are read (few: a filter's documents, e.g.
                # one city's, are mostly consecutive numbers)
                if narrow is None or len(narrow) * 4 >= r.doc_frequency(field, btexts[order[0]]):
                    self._phrase_side(leaf, side, field, btexts, offsets, order, consts, within, q.boost, out)
                    continue
            if narrow is not None:
                cands = narrow  # the filter is rarer than every bigram: start from its documents
                rest = order
            else:
                ids, weights, values = wp.term_postings(r, field, btexts[order[0]], values=True)
                first = {d: (w, v) for d, w, v in zip(ids, weights, values) if d not in leaf.deleted}
                for _f, col, allowed in within:
                    first = {d: wv for d, wv in first.items() if col[o + d] in allowed}
                postings[order[0]] = first
                cands = sorted(first)
                rest = order[1:]
            for t in rest:
                if not cands:
                    break
                got = wp.term_postings_in(r, field, btexts[t], cands)
                postings[t] = got
                cands = [d for d in cands if d in got]
            if not cands:
                continue
            lengths = leaf.lengths(field)
            # in the order of the postings' sizes: the rarest bigram rejects a candidate soonest
            plan = [(postings[t], {}, offsets[t], *consts[t]) for t in order]
            boost = q.boost
            for d in cands:
                n = lengths[d]
                starts = None
                s = 0.0
                for posts, shifted, off, a, c0, c1 in plan:
                    w, v = posts[d]
                    fs = shifted.get(v)
                    if fs is None:  # the start positions this bigram allows (memoised per encoded value)
                        fs = shifted[v] = frozenset([p - off for p in decode(v)])
                    starts = fs if starts is None else starts & fs
                    if not starts:
                        break
                    s += a * w / (w + c0 + c1 * n)
                else:
                    out[o + d] = s * boost
        return out

    def _phrase_side(self, leaf: _Leaf, side, field: str, btexts, offsets, order, consts, within, boost, out) -> None:
        """_phrase in one segment from its sidecar: every (document, position) of a covering bigram is one
        integer, so the phrase's starts are the intersection of the bigrams' keys, each shifted back by
        its offset (no key can alias another document's: positions stay below the stride minus any
        offset); the same hits and estimates as the block-by-block path."""
        bits = side.stride_bits
        by_size = sorted(range(len(btexts)), key=lambda t: side.size(btexts[t]))
        # the rarest bigram's keys, as keys of that bigram; then each other bigram's keys that stand at its
        # offset from one of them (the small set is shifted, the large array is scanned, both in C)
        first = by_size[0]
        cur = set(side.keys(btexts[first]))
        at = offsets[first]  # cur holds positions of the phrase start + at
        for t in by_size[1:]:
            delta = offsets[t] - at
            probe = cur if delta == 0 else set(map(delta.__add__, cur))
            cur = probe.intersection(side.keys(btexts[t]))
            at = offsets[t]
            if not cur:
                return
        starts = cur if at == 0 else map(at.__rsub__, cur)
        o, deleted = leaf.offset, leaf.deleted
        docs = sorted(set(map(bits.__rrshift__, starts)))  # k >> bits
        if deleted:
            docs = [d for d in docs if d not in deleted]
        for _f, col, allowed in within:
            docs = [d for d in docs if col[o + d] in allowed]
        if not docs:
            return
        lengths = leaf.lengths(field)
        weights_of = []
        for t in order:  # the summation order of _phrase (by document frequency)
            ids, weights = side.postings(btexts[t])
            if len(ids) < 10 * len(docs):
                wmap = dict(zip(ids, weights))
                weights_of.append([wmap[d] for d in docs])
            else:
                weights_of.append([weights[bisect.bisect_left(ids, d)] for d in docs])
        plan = [(ws, *consts[t]) for ws, t in zip(weights_of, order)]
        for i, d in enumerate(docs):
            n = lengths[d]
            s = 0.0
            for ws, a, c0, c1 in plan:
                w = ws[i]
                s += a * w / (w + c0 + c1 * n)
            out[o + d] = s * boost

    # ---- the page ------------------------------------------------------------------------------------

    def page(self, q, scores: dict[int, float], limit: int) -> list[tuple[float, int]] | None:
        """The first `limit` hits as (Whoosh's score, docnum) in Whoosh's order, or None if the estimate
        disagrees with Whoosh (the caller searches the plain way).

        The hits whose estimate is within MARGIN of the page's last one are scored by Whoosh: in one
        segment Whoosh scores every hit with the same matcher tree, so hits with the same estimate there
        (the same item text in many assessments: same weights, same length) get the same score — one of
        each such group is scored and its score given to the others.  Across segments the trees differ
        (And orders its parts by each segment's term counts), and so may the last bits of a score."""
        if limit <= 0 or not scores:
            return []
        top = heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], kv[0]))
        edge = top[-1][1]
        floor = edge - MARGIN * max(1.0, abs(edge))
        band = sorted(d for d, s in scores.items() if s >= floor)
        bounds = [(sub, offset, offset + sub.doc_count_all()) for sub, offset in self.s.leaf_searchers()]
        groups: dict[tuple[int, float], list[int]] = {}
        seg = 0
        for d in band:
            while d >= bounds[seg][2]:
                seg += 1
            groups.setdefault((seg, scores[d]), []).append(d)
        if len(groups) > MAX_RESCORE:
            return None
        firsts = sorted(members[0] for members in groups.values())
        exact_of: dict[int, float] = {}
        context = self.s.context()
        i = 0
        for sub, offset, end in bounds:
            local = []
            while i < len(firsts) and firsts[i] < end:
                local.append(firsts[i] - offset)
                i += 1
            if not local:
                continue
            m = q.matcher(sub, context)
            for d in local:
                if not m.is_active():
                    return None
                if m.id() < d:
                    m.skip_to(d)
                    if not m.is_active():
                        return None
                    m = m.replace(0)  # as Whoosh's collector does between matches
                if m.id() != d:
                    return None
                exact_of[offset + d] = m.score()
        exact = [(exact_of[members[0]], d) for members in groups.values() for d in members]
        exact.sort(key=lambda x: (-x[0], x[1]))
        return exact[:limit]

    def by_key(self, docnums, limit: int) -> list[int]:
        keys = self.columns.column("key")
        return heapq.nsmallest(limit, docnums, key=keys.__getitem__) if limit > 0 else []


def _bm25_consts(scorer) -> tuple[float, float, float]:
    """BM25F's idf·(K1+1), K1·(1−B), K1·B/avgfl: score = a·w / (w + c0 + c1·length)."""
    if not isinstance(scorer, BM25FScorer):
        raise Unsupported("scorer")
    k1, b = scorer.K1, scorer.B
    return scorer.idf * (k1 + 1), k1 * (1 - b), k1 * b / scorer.avgfl


def engine(searcher, columns) -> Engine:
    e = getattr(searcher, "_hyoka_engine", None)
    if e is None:
        e = searcher._hyoka_engine = Engine(searcher, columns)
    return e


def fast_search(searcher, columns, q, limit: int, sort_by_key: bool) -> tuple[int, list[int], list[tuple[Any, int]]] | None:
    """(total, every hit's docnum, the page as (score or None, docnum)), or None: use the plain search."""
    e = engine(searcher, columns)
    try:
        scores = e.evaluate(q)
    except Unsupported:
        return None
    docnums = list(scores)
    if sort_by_key:
        page = [(None, d) for d in e.by_key(docnums, limit)]
    else:
        got = e.page(q, scores, limit)
        if got is None:
            return None
        page = got
    return len(docnums), docnums, page
