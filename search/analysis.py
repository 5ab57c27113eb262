"""Japanese analysis for the index: NFKC, then character unigrams and bigrams with positions.

A query term of two or more characters becomes a phrase of its bigrams (「委託先」 → 委託 託先 at
consecutive positions), so a hit means the normalised text contains the term as a substring: full
recall for compound words and no false positives (「委託先」 never matches a text with only 委託).
A one-character term is a prefix query: every character of the text starts exactly one token (its
bigram, or the lone character at the end of a segment), so this finds every occurrence; indexing
bigrams only (no separate unigrams) halves the build time.

Normalisation (matching only, never display): NFKC, lower case, all white space removed (PDF line
breaks and full-width spaces inside words do not break a match).  Separate text segments of one
document are joined with SEGMENT_SEP; no gram crosses it and positions jump across it, so a phrase
never spans two items.
"""

from __future__ import annotations

from pickle import dumps

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

# The matching form (normalisation, SEGMENT_SEP, bigrams) is the core's: one definition for Whoosh and
# the browser index.
from hyoka.matching import SEGMENT_SEP, grams, normalize, normalize_query_term  # noqa: F401  (re-exported)


class JaGramTokenizer(Tokenizer):
    """One token per character position of the normalised text: the bigram that starts there, or
    (at the last character of a segment) the single character.  So every character of the text is
    the first character of exactly one token, and a one-character query is a prefix query."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for segment in normalize(value).split(SEGMENT_SEP):
            n = len(segment)
            for i in range(n):
                t.text = segment[i : i + 2]
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos + i
                if chars:  # offsets into the normalised text (highlighting is done on our side)
                    t.startchar = start_char + i
                    t.endchar = start_char + i + len(t.text)
                yield t
            pos += n + 2  # a gap: no phrase spans two segments


def ja_analyzer():
    return JaGramTokenizer()


# ---- fast indexing of the content field -------------------------------------------------------------
#
# Whoosh's TEXT.index() runs the tokenizer above through the Positions format: one Token object per
# character and a generator step per posting (a quarter of the index build).  JaText.index() computes
# the very same postings (term bytes, frequency, weight, encoded positions) from the normalised text
# with C-level builtins; tests/test_search_index.py checks it equal to Whoosh's own path.

_ENC1: dict[int, bytes] = {}  # position → Positions encoding of a one-position posting


def _encode_positions(poslist: list[int]) -> bytes:
    """formats.Positions.encode (Whoosh 2.7.4): count, then the pickled position deltas."""
    deltas = [poslist[0], *map(int.__sub__, poslist[1:], poslist)]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


def _encode_one(pos: int) -> bytes:
    b = _ENC1.get(pos)
    if b is None:
        b = _ENC1[pos] = pack_uint(1) + dumps([pos], 2)
    return b


def index_postings(value: str, start_pos: int = 0) -> list[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, encoded positions) of every distinct token of `value`, as
    TEXT(analyzer=JaGramTokenizer(), phrase=True).index(value) yields them (same order too)."""
    toks: list[str] = []
    positions: list[int] = []
    pos = start_pos
    for seg in normalize(value).split(SEGMENT_SEP):
        n = len(seg)
        if n:
            toks.extend(map(str.__add__, seg, seg[1:]))
            toks.append(seg[-1])
            positions.extend(range(pos, pos + n))
        pos += n + 2
    last = dict(zip(toks, positions))
    if len(last) == len(toks):  # every token once (most item texts): one position each
        enc = _encode_one
        return [(t.encode("utf-8"), 1, 1.0, enc(p)) for t, p in last.items()]
    poses: dict[str, list[int]] = {}
    for t, p in zip(toks, positions):
        lst = poses.get(t)
        if lst is None:
            poses[t] = [p]
        else:
            lst.append(p)
    return [(t.encode("utf-8"), len(pl), float(len(pl)), _encode_one(pl[0]) if len(pl) == 1 else _encode_positions(pl))
            for t, pl in poses.items()]


class JaText(TEXT):
    """TEXT(analyzer=JaGramTokenizer(), phrase=True) whose index() is index_postings (same postings)."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=ja_analyzer(), phrase=True, **kwargs)

    def index(self, value, **kwargs):
        if (isinstance(value, str) and not kwargs and type(self.format) is Positions
                and self.format.field_boost == 1.0 and isinstance(self.analyzer, JaGramTokenizer)):
            return index_postings(value)
        return super().index(value, **kwargs)
