"""search/whoosh_private.py pins Whoosh 2.7.4's private internals: the version, every patched or called
private method with its signature, and an index written with the patches that equals one written by
Whoosh's own code, document for document and score for score (real content + the search fixtures).
If a Whoosh upgrade breaks any of this, this file fails first and says which method moved."""

from __future__ import annotations

import importlib
import inspect

import pytest
from whoosh import index as windex

import hyoka_search.index as I
import hyoka_search.whoosh_private as wp
from fixtures.search.support import shared_docs
from hyoka_search.query import search


def test_the_installed_whoosh_is_the_pinned_version():
    import whoosh

    assert whoosh.versionstring() == "2.7.4" and tuple(whoosh.__version__[:3]) == wp.WHOOSH_VERSION
    wp.check_version()  # does not raise


def test_check_version_refuses_another_whoosh(monkeypatch):
    import whoosh

    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    with pytest.raises(wp.WhooshVersionError) as err:
        wp.check_version()
    assert "2.7.4" in str(err.value) and "whoosh_private.py" in str(err.value)


@pytest.mark.parametrize("module,cls,method,params", wp.PATCHED, ids=lambda v: v if isinstance(v, str) else None)
def test_every_private_method_used_exists_with_its_signature(module, cls, method, params):
    owner = importlib.import_module(module)
    for name in cls.split("."):
        owner = getattr(owner, name)
    fn = getattr(owner, method)
    assert tuple(inspect.signature(fn).parameters) == params


def test_the_private_attributes_read_exist_on_real_objects(tmp_path):
    """The attributes the patches read or set (not methods, so not in PATCHED) are there on the objects
    Whoosh 2.7.4 really makes."""
    docs = shared_docs()[:50]
    ix = windex.create_in(str(tmp_path), I.make_schema(), indexname=I.INDEX_NAME)
    w = ix.writer()
    for name in ("currentsize", "limit", "current", "save", "iter_postings"):
        assert hasattr(w.pool, name), name
    for name in ("perdocwriter", "fieldwriter", "codec", "schema", "_tempstorage"):
        assert hasattr(w, name), name
    w.cancel()
    I._fill(I._writer(ix), docs).commit()
    with ix.reader() as r:
        pdr = r._perdoc
        assert hasattr(pdr, "_doccount") and pdr._doccount == len(docs)
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = pdr._cached_reader(_lenfield("content"), LENGTHS_COLUMN)
        for name in ("_dbfile", "_basepos", "_count", "_typecode"):  # field_lengths reads the bytes at once
            assert hasattr(col, name), name
        assert col._typecode == "B"
        lengths = wp.segment_field_lengths(r, "content")
        assert lengths == [r.doc_field_length(n, "content") for n in range(len(docs))]
        btext = next(iter(r.lexicon("content")))
        m = r.postings("content", btext)
        for name in ("_ids", "_weights", "_values", "_atend", "_lastblock", "_maxid", "_data", "_byteids", "_blocklength"):
            assert hasattr(m, name), name
    ix.close()


def _postings_public(r, fieldname, btext):
    m = r.postings(fieldname, btext)
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return ids, weights, values


def test_term_postings_reads_what_the_public_matcher_reads():
    from fixtures.search.support import shared_index_dir

    ix = I.open_index(shared_index_dir())
    try:
        with ix.reader() as top:
            for r, _offset in top.leaf_readers():
                terms = list(r.lexicon("content"))
                big = sorted(terms, key=lambda t: -r.doc_frequency("content", t))[:20]  # many blocks
                some = terms[:: max(1, len(terms) // 300)]  # inlined one-posting terms among them
                city = next(iter(r.lexicon("city")))  # an ID field's term, of a city this segment holds
                for btext in big + some + [city]:
                    field = "city" if btext == city else "content"
                    ids, weights, values = wp.term_postings(r, field, btext, values=True)
                    assert (list(ids), list(weights), list(values)) == _postings_public(r, field, btext), btext
                assert max(r.doc_frequency("content", t) for t in big) > 128
    finally:
        ix.close()


def test_term_postings_in_reads_the_asked_documents_only_and_exactly():
    from fixtures.search.support import shared_index_dir

    ix = I.open_index(shared_index_dir())
    try:
        with ix.reader() as top:
            for r, _offset in top.leaf_readers():
                terms = sorted(r.lexicon("content"), key=lambda t: -r.doc_frequency("content", t))[:10]
                for btext in terms:
                    ids, weights, values = _postings_public(r, "content", btext)
                    every = dict(zip(ids, zip(weights, values)))
                    for wanted in (ids[::7], ids[-3:], [ids[0]], list(range(0, r.doc_count_all(), 3))):
                        got = wp.term_postings_in(r, "content", btext, sorted(wanted))
                        assert got == {d: every[d] for d in wanted if d in every}, btext
    finally:
        ix.close()


def test_positions_decoder_equals_whoosh_decode_positions():
    from whoosh.formats import Positions

    from fixtures.search.support import shared_index_dir

    fmt = Positions()
    fast = wp.positions_decoder(fmt)
    cases = [[0], [5], [1, 2, 3], [0, 300, 70000, 70001], list(range(0, 5000, 7))]
    for positions in cases:
        value = fmt.encode(positions)
        assert fast(value) == fmt.decode_positions(value) == positions
        assert fast(value.rstrip(b".")) == fmt.decode_positions(value.rstrip(b"."))  # stored without STOP
    ix = I.open_index(shared_index_dir())  # and the values really stored in the index
    try:
        with ix.reader() as top:
            r = top.leaf_readers()[0][0]
            for btext in list(r.lexicon("content"))[::50]:
                for v in wp.term_postings(r, "content", btext, values=True)[2]:
                    assert fast(v) == fmt.decode_positions(v)
    finally:
        ix.close()


def _build(tmp, docs, patched: bool):
    tmp.mkdir()
    ix = windex.create_in(str(tmp), I.make_schema(), indexname=I.INDEX_NAME)
    w = ix.writer(limitmb=4)
    if patched:
        wp.patch_writer(w, bulk=True)
    I._fill(w, docs).commit()
    return ix


QUERIES = [("個人番号カード", None), ("情報提供ネットワークシステム", {"section": "Ⅲ"}), ("委託先", {"kind": "entrust"}),
           ("再委託 OR 保管", None), ("委", None), ("委託 NOT 再委託", {"form": "様式4"}), (None, {"kind": "risk"})]


def test_an_index_written_with_the_patches_equals_one_written_without(tmp_path):
    from test_search_index import dump_index

    docs = shared_docs()
    ours, theirs = _build(tmp_path / "patched", docs, True), _build(tmp_path / "plain", docs, False)
    try:
        assert dump_index(ours) == dump_index(theirs)
        for text, filters in QUERIES:  # document for document, score for score
            a, b = search(ours, text, filters, limit=None), search(theirs, text, filters, limit=None)
            assert a.total == b.total > 0, text
            assert [(h["key"], h["score"]) for h in a.hits] == [(h["key"], h["score"]) for h in b.hits], text
            assert a.facets == b.facets, text
    finally:
        ours.close()
        theirs.close()
