"""Every use of Whoosh 2.7.4's private internals, in one module.

Whoosh is pure Python; at national scale a few of its inner loops (once per posting while writing, once
per posting while reading) are most of the index build and of a query.  Where its public API is as fast
we use it (index.py, query.py); where it is not, the replacement is here, one function per patch, each
saying what it replaces and why.  Nothing else in the project touches a name with a leading underscore
of Whoosh's (tests/test_whoosh_private.py pins the version, the patched methods and their signatures, and
checks that an index written with the patches equals one written without them, document for document and
score for score).

The pin: pyproject.toml / constraints.txt hold Whoosh==2.7.4.  `check_version()` refuses any other
version (the patches read attributes whose meaning may change); moving the pin means re-reading the
Whoosh methods named below and running tests/test_whoosh_private.py and tests/test_search_index.py.

No MkDocs here.
"""

from __future__ import annotations

import itertools
import operator
import pickle
import struct
import sys
from array import array
from typing import Any

import whoosh
from whoosh.query.spans import Span, SpanNear2

WHOOSH_VERSION = (2, 7, 4)
RUN_CHUNK = 8192  # postings per pickle in a spilled run

# The private methods this module replaces or calls: (module, class, method, parameters), checked by the test.
PATCHED = (
    ("whoosh.externalsort", "SortingPool", "_write_run", ("self", "f", "items")),
    ("whoosh.externalsort", "SortingPool", "_read_run", ("self", "path")),
    ("whoosh.externalsort", "SortingPool", "_open_run", ("self", "path")),
    ("whoosh.externalsort", "SortingPool", "_remove_run", ("self", "path")),
    ("whoosh.writing", "PostingPool", "add", ("self", "item")),
    ("whoosh.writing", "SegmentWriter", "_flush_segment", ("self",)),
    ("whoosh.writing", "SegmentWriter", "_finalize_segment", ("self",)),
    ("whoosh.codec.base", "FieldWriter", "add_postings", ("self", "schema", "lengths", "items")),
    ("whoosh.codec.whoosh3", "W3PostingsWriter", "_write_block", ("self", "last")),
    ("whoosh.codec.whoosh3", "W3PerDocReader", "_cached_reader", ("self", "fieldname", "column")),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_read_data", ("self",)),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_read_ids", ("self",)),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_read_weights", ("self",)),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_read_values", ("self",)),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_next_block", ("self",)),
    ("whoosh.query.spans", "SpanNear2.SpanNear2Matcher", "_get_spans", ("self",)),
)


class WhooshVersionError(RuntimeError):
    pass


def check_version() -> None:
    """Refuse a Whoosh other than the one these patches were written against."""
    if tuple(whoosh.__version__[:3]) != WHOOSH_VERSION:
        raise WhooshVersionError(
            f"Whoosh {whoosh.versionstring()} は想定外の版です（{'.'.join(map(str, WHOOSH_VERSION))} が必要: "
            "search/whoosh_private.py を読み直してください）")


check_version()


# ---- writing: field lengths ------------------------------------------------------------------------


def field_lengths(perdoc_reader, fieldname: str) -> list | None:
    """Every document's length in `fieldname` from a W3PerDocReader, as a list (None: the field stores no
    lengths; an item None: no length for that document, as W3PerDocReader.doc_field_length reads a zero
    byte).  Replaces one W3PerDocReader.doc_field_length call per posting (a column read each time: a fifth
    of the index build) while a segment is written, and one per hit while a query scores.  Private: the
    column is opened by `_cached_reader`, the document count is `_doccount`, and the column's bytes are
    read at once from its reader's `_dbfile` at `_basepos` (NumericColumn "B": a byte a document)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    if not (hasattr(perdoc_reader, "_cached_reader") and hasattr(perdoc_reader, "_doccount")):
        return None
    reader = perdoc_reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    doccount = perdoc_reader._doccount
    table = [byte_to_length(b) if b else None for b in range(256)]
    if all(hasattr(reader, a) for a in ("_dbfile", "_basepos", "_count", "_typecode")) and reader._typecode == "B":
        # NumericColumn("B").Reader: one byte a document from _basepos, _count of them (then the default 0)
        raw = reader._dbfile.get(reader._basepos, reader._count)
        return [table[b] for b in raw] + [None] * (doccount - len(raw))
    return [table[reader[i]] for i in range(doccount)]


class Lengths:
    """A segment's field lengths, read once per field by field_lengths(), with the interface the codec's
    add_postings expects (doc_field_length)."""

    _MISSING = object()

    def __init__(self, pdr):
        self._pdr = pdr
        self._cols: dict[str, list | None] = {}

    def column(self, fieldname: str) -> list | None:
        col = self._cols.get(fieldname, self._MISSING)
        if col is self._MISSING:
            col = self._cols[fieldname] = field_lengths(self._pdr, fieldname)
        return col

    def doc_field_length(self, docnum, fieldname, default=0):
        col = self.column(fieldname)
        if col is None:
            return default
        if docnum < len(col):
            return col[docnum]
        return self._pdr.doc_field_length(docnum, fieldname, default)


# ---- writing: the posting pool's spilled runs --------------------------------------------------------


def write_run(f, items) -> None:
    """Replaces SortingPool._write_run: RUN_CHUNK postings per pickle (Whoosh pickles each posting on its
    own, and a national build spills tens of millions)."""
    it = iter(items)
    try:
        while chunk := list(itertools.islice(it, RUN_CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
    finally:
        f.close()


def read_run(pool, path):
    """Replaces SortingPool._read_run for runs written by write_run (opens and removes the run through the
    pool's own `_open_run` / `_remove_run`)."""
    f = pool._open_run(path)
    try:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            yield from chunk
    finally:
        f.close()
        pool._remove_run(path)


def lean_add(pool):
    """Replaces PostingPool.add: without its type assertions and its field-name set (unused), called once
    per posting.  Same size estimate, so the pool spills at the same postings."""

    def add(item):
        pool.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if pool.currentsize > pool.limit:
            pool.save()
        pool.current.append(item)

    return add


# ---- writing: postings a term at a time --------------------------------------------------------------


def _fill_block(pw, ids, weights, values, lengths) -> None:
    """Put one block of postings into W3PostingsWriter `pw`'s buffer, with the statistics its
    add_posting() would have kept (values and lengths: only the non-empty ones count)."""
    pw._ids = array("I", ids)
    pw._weights = array("f", weights)
    pw._values = [v for v in values if v]
    present = [n for n in lengths if n]
    pw._minlength = min(present) if present else None
    pw._maxlength = max(present) if present else 0
    pw._maxweight = max(0, max(weights))


_TERM_KEY = operator.itemgetter(0, 1)


def add_postings(fieldwriter, schema, lengths, items, sidecar=None) -> None:
    """Replaces FieldWriter.add_postings: one term at a time instead of one posting at a time.  The sorted
    postings of a term are cut into blocks of the codec's block size (`_blocklimit`) and written by the
    codec's own block writer (`_write_block`), so the files are the same.  With `sidecar` (a
    SidecarWriter), the frequent terms of its field are also written there."""
    from whoosh.system import emptybytes

    lastkey = None
    col: list | None = None
    call = False
    for key, group in itertools.groupby(items, key=_TERM_KEY):
        fieldname, btext = key
        if lastkey is None or fieldname != lastkey[0]:
            if lastkey is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            col = lengths.column(fieldname) if isinstance(lengths, Lengths) else None
            call = bool(lengths) and not isinstance(lengths, Lengths)
        elif btext <= lastkey[1]:
            raise ValueError(f"postings out of order: {lastkey!r} .. {key!r}")
        lastkey = key
        posts = list(group)
        ids = [p[2] for p in posts]
        if ids and ids[0] == -1:
            raise ValueError("spelling postings are not supported")  # no field of ours has spelling=True
        weights = [p[3] for p in posts]
        values = [emptybytes if p[4] is None else p[4] for p in posts]
        if col is not None:
            n = len(col)
            lens = [(col[d] if d < n else lengths.doc_field_length(d, fieldname)) for d in ids]
        elif call:
            lens = [lengths.doc_field_length(d, fieldname) for d in ids]
        else:  # no lengths for this field: dfl() returns 0
            lens = [0] * len(ids)
        if sidecar is not None and fieldname == sidecar.field and len(ids) >= sidecar.min_docs:
            sidecar.add(btext, ids, weights, values)
        fieldwriter.start_term(btext)
        pw = fieldwriter._postwriter
        limit = pw._blocklimit
        total = len(ids)
        for lo in range(0, total, limit):
            hi = lo + limit
            _fill_block(pw, ids[lo:hi], weights[lo:hi], values[lo:hi], lens[lo:hi])
            if hi < total:  # a full block with more to come: written now, as add_posting() would
                pw._write_block()
        fieldwriter.finish_term()
    if lastkey is not None:
        fieldwriter.finish_field()


def patch_writer(w, bulk: bool = True, sidecar_field: str | None = None):
    """Install the replacements above on SegmentWriter `w`: the pool's spilled runs in chunks (write_run,
    read_run), and its segment flush (SegmentWriter._flush_segment) reading field lengths through Lengths;
    with `bulk`, postings enter the pool through lean_add and reach the codec a term at a time
    (add_postings), and with `sidecar_field` (a positions field) every segment the writer writes gets the
    sidecar of that field's frequent terms (SidecarWriter; merged segments too).  Returns `w`."""
    pool = w.pool
    if hasattr(pool, "_write_run") and hasattr(pool, "_read_run") and hasattr(pool, "_open_run"):
        pool._write_run = write_run
        pool._read_run = lambda path: read_run(pool, path)
        if bulk:
            pool.add = lean_add(pool)

    def flush_segment(self=w):  # SegmentWriter._flush_segment (Whoosh 2.7.4) with cached lengths
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = Lengths(pdr) if pdr is not None and hasattr(pdr, "_cached_reader") and hasattr(pdr, "_doccount") else pdr
        if bulk:
            sidecar = None
            if sidecar_field is not None and sidecar_field in self.schema:
                fmt = self.schema[sidecar_field].format
                if fmt is not None and fmt.supports("positions"):
                    # a file of the segment (segid + ext): put into its compound file by _assemble_segment,
                    # removed with it by clean_files
                    sidecar = SidecarWriter(self.newsegment.create_file(self.storage, SIDECAR_EXT),
                                            sidecar_field, positions_decoder(fmt))
            add_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_postings(), sidecar)
            if sidecar is not None:
                sidecar.close()
        else:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    w._flush_segment = flush_segment
    return w


# ---- the sidecar: a segment's frequent terms as flat arrays ----------------------------------------
#
# A query for a frequent word reads the postings of its frequent bigrams: tens of thousands per bigram
# at N = 1,000, through W3LeafMatcher's blocks (a pickled, compressed tuple of 128 postings each, and one
# pickled positions value per posting) — most of a query's time.  The sidecar holds, for every term of
# one field with at least SIDECAR_MIN_DOCS postings in the segment, the same postings as three flat
# machine arrays read with one `frombytes` each: the document numbers ("I"), the weights ("f": float32,
# as the block's array, so the same values) and every (document, position) as one integer
# doc << STRIDE_BITS | position ("Q"), so that a phrase is an intersection of integer sets in C.  It is
# one more file of the segment (segid + SIDECAR_EXT), so Whoosh puts it into the compound file and
# removes it with the segment; a segment without one (written by other code) is read the usual way.
# Derived data only: the index's own files are unchanged (tests/test_whoosh_private.py).  Private: the
# writer's segment is SegmentWriter.newsegment, a reader's storage and segment SegmentReader._storage and
# ._segment (the overlay of its compound file).  The sidecar costs disk (at N = 1,000 the index grew from
# 412 to 654 MB: 8 bytes per position of a frequent bigram), not memory (read with mmap, a term at a time).

SIDECAR_EXT = ".hyp"
SIDECAR_MIN_DOCS = 256  # terms with fewer postings in a segment are cheap to read from their blocks
STRIDE_BITS = 24  # a position must stay below 2**STRIDE_BITS - MAX_SHIFT in the sidecar
MAX_SHIFT = 1024  # the largest offset of a bigram inside a phrase that a query may shift by (> 500 characters)
_FOOTER = "<Q"


class SidecarWriter:
    """Writes the sidecar of one segment: add() per term (in order), close() writes the directory."""

    def __init__(self, dbfile, field: str, decode, min_docs: int | None = None):
        self.f = dbfile
        self.field = field
        self.min_docs = SIDECAR_MIN_DOCS if min_docs is None else min_docs
        self._decode = decode
        self._memo: dict[bytes, list[int]] = {}
        self._pos = 0
        self._dir: dict[bytes, tuple[int, int, int]] = {}

    def add(self, btext: bytes, ids, weights, values) -> None:
        memo, decode = self._memo, self._decode
        keys = array("Q")
        limit = (1 << STRIDE_BITS) - MAX_SHIFT
        for d, v in zip(ids, values):
            ps = memo.get(v)
            if ps is None:
                ps = decode(v)
                if ps and ps[-1] >= limit:
                    return  # a position too far for the stride: this term is read from its blocks
                if len(memo) < 100_000:
                    memo[v] = ps
            base = d << STRIDE_BITS
            if len(ps) == 1:
                keys.append(base | ps[0])
            else:
                keys.extend([base | p for p in ps])
        parts = (array("I", ids).tobytes(), array("f", weights).tobytes(), keys.tobytes())
        for part in parts:
            self.f.write(part)
        self._dir[btext] = (self._pos, len(ids), len(keys))
        self._pos += sum(map(len, parts))

    def close(self) -> None:
        body = pickle.dumps({"version": 1, "stride_bits": STRIDE_BITS, "byteorder": sys.byteorder,
                             "terms": self._dir}, pickle.HIGHEST_PROTOCOL)
        self.f.write(body)
        self.f.write(struct.pack(_FOOTER, self._pos))
        self.f.close()


class Sidecar:
    """The sidecar of one segment reader (open_sidecar): has(term), postings(term) → (ids, weights),
    keys(term) → array of doc << stride_bits | position, both in the segment's document numbers."""

    def __init__(self, f, length: int):
        self._f = f
        size = struct.calcsize(_FOOTER)
        (dirpos,) = struct.unpack(_FOOTER, f.get(length - size, size))
        meta = pickle.loads(f.get(dirpos, length - size - dirpos))
        if meta.get("version") != 1 or meta.get("byteorder") != sys.byteorder:
            raise ValueError("sidecar of another format")
        self.stride_bits: int = meta["stride_bits"]
        self.terms: dict[bytes, tuple[int, int, int]] = meta["terms"]

    def has(self, btext: bytes) -> bool:
        return btext in self.terms

    def size(self, btext: bytes) -> int:
        """The number of (document, position) keys of the term."""
        return self.terms[btext][2]

    def postings(self, btext: bytes) -> tuple[array, array]:
        pos, n, _ = self.terms[btext]
        ids, weights = array("I"), array("f")
        ids.frombytes(self._f.get(pos, 4 * n))
        weights.frombytes(self._f.get(pos + 4 * n, 4 * n))
        return ids, weights

    def keys(self, btext: bytes) -> array:
        pos, n, nk = self.terms[btext]
        keys = array("Q")
        keys.frombytes(self._f.get(pos + 8 * n, 8 * nk))
        return keys


def open_sidecar(segment_reader) -> Sidecar | None:
    """The sidecar of a SegmentReader (its storage `_storage`, the compound file's overlay, and segment
    `_segment`), or None if the segment has none (or it cannot be read)."""
    storage = getattr(segment_reader, "_storage", None)
    segment = getattr(segment_reader, "_segment", None)
    if storage is None or segment is None:
        return None
    name = segment.make_filename(SIDECAR_EXT)
    try:
        if not storage.file_exists(name):
            return None
        return Sidecar(storage.open_file(name), storage.file_length(name))
    except (OSError, ValueError, KeyError, TypeError, struct.error, pickle.UnpicklingError, EOFError):
        return None


# ---- writing: a segment without a commit (as whoosh.multiproc's sub-writers) ------------------------


def segment_writer(ix, limitmb: int):
    """A SegmentWriter that takes no lock (`_lk=False`): one of several processes writing segments of one
    index at once, committed together by the caller (whoosh.multiproc does the same)."""
    from whoosh.writing import SegmentWriter

    return SegmentWriter(ix, _lk=False, limitmb=limitmb)


def finish_segment(w):
    """Write the segment of a segment_writer() without committing it (SegmentWriter._finalize_segment, as
    whoosh.multiproc's SubWriterTask), remove its temporary storage; returns the segment."""
    w._finalize_segment()
    segment = w.get_segment()
    w._tempstorage.destroy()
    return segment


# ---- reading: a term's postings a block at a time ----------------------------------------------------


def _block(m, values: bool):
    """The current block of W3LeafMatcher `m` as (ids, weights, values or None): W3LeafMatcher's
    `_read_ids` / `_read_weights` / `_read_values` on its unpickled `_data` (`_read_data`), with the ids'
    deltas summed by itertools.accumulate instead of the generator numlists.delta_decode."""
    if m._data is None:
        m._read_data()
    data = m._data
    ids = data[0]
    if not m._byteids:
        ids = tuple(itertools.accumulate(ids))
    n = m._blocklength
    weights = data[1]
    if weights is None:
        weights = (1.0,) * n
    elif isinstance(weights, float):
        weights = (weights,) * n
    vals = None
    if values:
        m._read_values()
        vals = m._values
    return ids, weights, vals


def term_postings(reader, fieldname: str, btext: bytes, values: bool = False) -> tuple[Any, Any, list | None]:
    """(ids, weights, values or None) of every posting of a term in one segment reader, deleted documents
    included (the caller drops them).  Whoosh's public matcher yields one posting per method call (id(),
    weight(), value(), next(): about a microsecond each); here a W3LeafMatcher's blocks are read whole
    (`_read_ids`, `_read_weights`, `_read_values`, `_next_block`).  Any other matcher (an inlined
    one-posting term, another codec) is read through the public interface."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching import FilterMatcher

    m = reader.postings(fieldname, btext)
    while isinstance(m, FilterMatcher):  # a segment with deletions wraps its postings
        m = m.child
    if isinstance(m, W3LeafMatcher):
        ids: list = []
        weights: list = []
        vals: list | None = [] if values else None
        while m.is_active():
            bids, bweights, bvals = _block(m, values)
            ids.extend(bids)
            weights.extend(bweights)
            if vals is not None:
                vals.extend(bvals)
            m._next_block()
        return ids, weights, vals
    ids, weights, vals = [], [], ([] if values else None)
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if vals is not None:
            vals.append(m.value())
        m.next()
    return ids, weights, vals


def segment_field_lengths(segment_reader, fieldname: str) -> list | None:
    """field_lengths() of a SegmentReader (its per-document reader is `_perdoc`); None if unavailable."""
    pdr = getattr(segment_reader, "_perdoc", None)
    return field_lengths(pdr, fieldname) if pdr is not None else None



def term_postings_in(reader, fieldname: str, btext: bytes, docnums: list[int]) -> dict[int, tuple[float, bytes]]:
    """{docnum: (weight, value)} of a term's postings in one segment reader, for the sorted `docnums` only.
    Blocks whose id range (`_maxid` of the block header) holds none of them are skipped without reading
    their data, as Whoosh's skip_to does, but without stepping posting by posting inside a block."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching import FilterMatcher

    out: dict[int, tuple[float, bytes]] = {}
    if not docnums:
        return out
    m = reader.postings(fieldname, btext)
    while isinstance(m, FilterMatcher):
        m = m.child
    wanted = set(docnums)
    if not isinstance(m, W3LeafMatcher):
        ids, weights, values = term_postings(reader, fieldname, btext, values=True)
        return {d: (w, v) for d, w, v in zip(ids, weights, values) if d in wanted}
    i, n = 0, len(docnums)
    while m.is_active() and i < n:
        target = docnums[i]
        if m._maxid < target:
            m._next_block()
            continue
        ids, weights, values = _block(m, False)
        hits = [k for k, d in enumerate(ids) if d in wanted]
        if hits:
            m._read_values()
            values = m._values
            for k in hits:
                out[ids[k]] = (weights[k], values[k])
        maxid = m._maxid
        while i < n and docnums[i] <= maxid:
            i += 1
        m._next_block()
    return out


def positions_decoder(fmt):
    """A faster Positions.decode_positions (whoosh.formats, 2.7.4): a value is the position count as a
    4-byte unsigned int, then the pickled list of position deltas, with or without pickle's final STOP
    byte (b"."); the positions are the deltas' running sums.  The same result without the per-call
    compatibility wrapper and the Python loop (tests/test_whoosh_private.py checks it against Whoosh's)."""
    from itertools import accumulate
    from pickle import loads

    from whoosh.formats import Positions
    from whoosh.system import _INT_SIZE

    if type(fmt) is not Positions:
        return fmt.decode_positions

    def decode(value: bytes) -> list[int]:
        body = value[_INT_SIZE:]
        return list(accumulate(loads(body if body.endswith(b".") else body + b".")))

    return decode


# ---- reading: phrase positions --------------------------------------------------------------------


class AtOffsets(SpanNear2):
    """The terms qs[i] at positions p + offsets[i] for some p (an intersection scored as the sum of the
    terms, as SpanNear2), for phrase.BigramPhrase.  Overrides SpanNear2Matcher's private `_get_spans`
    hook: Whoosh builds Span objects for every position of every term and joins them pairwise; here a
    candidate is checked with integer sets (tests/test_search_index.py: the same hits as Whoosh's Phrase)."""

    def __init__(self, qs, offsets):
        super().__init__(qs, slop=1, ordered=True, mindist=1)
        self.offsets = list(offsets)

    def __eq__(self, other):
        return super().__eq__(other) and self.offsets == other.offsets

    def __hash__(self):
        return super().__hash__() ^ hash(tuple(self.offsets))

    def apply(self, fn):
        return self.__class__([fn(q) for q in self.qs], self.offsets)

    def matcher(self, searcher, context=None):
        return self.Matcher([q.matcher(searcher, context) for q in self.qs], self.offsets)

    class Matcher(SpanNear2.SpanNear2Matcher):
        def __init__(self, ms, offsets, slop=1, ordered=True, mindist=1):
            self.offsets = offsets
            super().__init__(ms, slop=1, ordered=True, mindist=1)

        def copy(self):
            return self.__class__([m.copy() for m in self.ms], self.offsets)

        def _get_spans(self):
            ms, offsets = self.ms, self.offsets
            starts = set(ms[0].value_as("positions"))
            for i in range(1, len(ms)):
                if not starts:
                    return []
                off = offsets[i]
                starts.intersection_update([p - off for p in ms[i].value_as("positions")])
            last = offsets[-1]
            return [Span(p, p + last) for p in sorted(starts)]
