"""Whoosh's phrase query with a faster position check (same hits, same scores), and a prefix query
that scores alike however the index was written.

A term of two or more characters is the phrase of its bigrams (analysis.py).  Whoosh 2.7.4 matches a
phrase as SpanNear2 over the bigram Terms: an intersection of their posting lists (scored as the sum
of the Terms) whose every candidate is checked by building Span objects for each position of each
bigram and joining them pairwise — most of a query's time at national scale.  BigramPhrase
intersects only the bigrams that cover the term (every other one, and the last: a text contains the
term exactly when they occur at their offsets from one start), checks a candidate with integer sets,
and scores a hit as the sum of those bigrams.  tests/test_search.py checks hits against a plain
substring scan; tests/test_search_index.py checks hits equal to Whoosh's Phrase.

No MkDocs here.
"""

from __future__ import annotations

from whoosh import matching
from whoosh.query import Or, Phrase, Prefix, Term

from .whoosh_private import AtOffsets


def cover(n: int) -> list[int]:
    """Offsets of the bigrams of an n-bigram phrase that cover every character: 0, 2, 4, …, and the last
    (「情報提供ネットワークシステム」: 情報 提供 ネッ トワ ーク シス テム, 7 of its 13 bigrams)."""
    offsets = list(range(0, n, 2))
    if offsets[-1] != n - 1:
        offsets.append(n - 1)
    return offsets


class BigramPhrase(Phrase):
    """Phrase(fieldname, bigrams) (slop 1): the same hits, found as the bigrams of cover() at their
    offsets (about half as many posting lists to intersect) and scored as the sum of those bigrams."""

    def matcher(self, searcher, context=None):
        # as Phrase.matcher (Whoosh 2.7.4), with _Consecutive instead of SpanNear2
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions") or self.slop != 1:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        offsets = cover(len(self.words))
        terms = []
        for word in [self.words[i] for i in offsets]:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, word) not in reader:
                return matching.NullMatcher()
            terms.append(Term(fieldname, word))
        m = AtOffsets(terms, offsets).matcher(searcher, context)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class PrefixTerms(Prefix):
    """A prefix as the Or of every term of the whole index that starts with it, each scored (BM25F), the
    same in every segment.  Whoosh 2.7.4 expands a Prefix per segment and scores it constant or not by
    the number of terms in that segment and its size, so the ranking of a one-character query would
    depend on how the index was written (one segment or several: build.PARTS) and on its size."""

    def matcher(self, searcher, context=None):
        top = searcher.parent() if searcher.has_parent() else searcher
        words = top.reader().expand_prefix(self.fieldname, self.text)  # = Prefix._btexts
        qs = [Term(self.fieldname, word, boost=self.boost) for word in words if word]
        if not qs:
            return matching.NullMatcher()
        return Or(qs).matcher(searcher, context)
