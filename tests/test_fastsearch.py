"""The fast path of search (hyoka_search.fastsearch) returns what Whoosh's own searcher returns: the same
total, the same hits in the same order with the same scores, the same facet counts — on the real content
and the search fixtures, for queries with and without filters, on a one-segment index and on a
two-segment index with deleted documents (as a real build and a later edit leave it)."""

from __future__ import annotations

import pytest

import hyoka_search.query as hq
from fixtures.search.support import shared_corpus, shared_docs, shared_index_dir, shared_project, shared_registry
from hyoka.documents import doc_hash
from hyoka_search import fastsearch
from hyoka_search.build import start_index
from hyoka_search.index import open_index

QUERIES: list[tuple[str | None, dict]] = [
    ("個人番号カード", {}),
    ("情報提供ネットワークシステム", {}),
    ("情報提供ネットワークシステム", {"section": "Ⅲ"}),
    ("再委託", {"form": "様式4"}),
    ("委託先", {"kind": "entrust"}),
    ("委託先", {"kind": ["entrust", "risk_item"]}),
    ("住民基本台帳", {}),
    ("特定個人情報ファイル", {"form": ["様式2", "様式3"]}),
    ("十分である", {"answer": "十分である"}),
    ("保管期間", {}),
    ("保管", {"retention": "20年以上"}),
    ("委託", {"subcontract": "再委託する"}),
    ("消去", {"retention": ["20年以上", "5年"]}),
    ("委", {}),
    ("税", {"form": "様式4"}),
    ("紙", {}),
    ("㈱", {}),
    ("再委託 OR 委託先", {}),
    ("再委託 委託先", {}),
    ("委託 NOT 再委託", {}),
    ("委託 -再委託", {"form": "様式4"}),
    ("(再委託 OR 委託先) 印刷", {}),
    ('"株式会社 日立製作所"', {}),
    ("ＮＩＳＣ", {}),
    ("ﾏｲﾅﾝﾊﾞｰ", {}),
    ("漏えい 滅失 毀損", {}),
    ("存在しない語句", {}),
    ("委託", {"company": "c-does-not-exist"}),
    ("目的外の入手", {"answer": "十分である", "form": "様式4"}),
    ("リスク", {"answer": "課題が残されている"}),
    (None, {"kind": "risk"}),
    (None, {"form": "様式2", "kind": "risk_item"}),
    (None, {"retention": ["5年", "20年以上"]}),
]


def _both(ix, text, filters, limit, monkeypatch):
    fast = hq.search(ix, text, filters or None, limit=limit)
    monkeypatch.setattr(hq, "PLAIN", True)
    try:
        plain = hq.search(ix, text, filters or None, limit=limit)
    finally:
        monkeypatch.setattr(hq, "PLAIN", False)
    return fast, plain


def _assert_same(fast, plain, what):
    assert fast.total == plain.total, what
    assert [(h["key"], h["score"]) for h in fast.hits] == [(h["key"], h["score"]) for h in plain.hits], what
    assert [h["snippet"] for h in fast.hits] == [h["snippet"] for h in plain.hits], what
    assert fast.facets == plain.facets, what


def _ran_fast(ix, text, filters) -> bool:
    """The fast path answered (it did not hand the query to Whoosh's plain search)."""
    from whoosh import query as Q

    parsed = hq.parse_query(text)
    q = parsed.query or Q.Every()
    fq = hq.filter_query(filters)
    if fq is not None:
        q = Q.And([q, fq]) if parsed.query is not None else fq
    with hq._searcher(ix) as s:
        return fastsearch.fast_search(s, hq._facet_values(s), q, 20, sort_by_key=parsed.query is None) is not None


@pytest.fixture(scope="module")
def one_segment():
    ix = open_index(shared_index_dir())
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def segments_with_deletions(tmp_path_factory):
    """Two segments written by two processes (a build), then an edit: a few documents removed, a few
    changed (deleted and added again)."""
    folder = tmp_path_factory.mktemp("fast") / "ix"
    docs = shared_docs()
    start_index(shared_corpus(), shared_project() / "site_config", folder, docs=docs, registry=shared_registry(),
                background_min_docs=0).wait()
    edited = []
    changed = 0
    for i, d in enumerate(docs):
        if i % 97 == 5:
            continue  # removed
        if i % 41 == 3 and "委託" in d["content"]:
            d = dict(d, content=d["content"] + " 委託先の再確認")
            d["hash"] = doc_hash(d)
            changed += 1
        edited.append(d)
    report = start_index(shared_corpus(), shared_project() / "site_config", folder, docs=edited,
                         registry=shared_registry(), background_min_docs=10**9).wait()
    assert report.stats.deleted > 20 and changed > 5
    ix = open_index(folder)
    with ix.reader() as r:
        assert len(r.leaf_readers()) >= 2 and r.has_deletions()
    yield ix
    ix.close()


@pytest.mark.parametrize("text,filters", QUERIES, ids=[f"{q}|{f}" for q, f in QUERIES])
def test_fast_path_equals_whoosh_on_one_segment(one_segment, text, filters, monkeypatch):
    for limit in (20, 1, 0):
        fast, plain = _both(one_segment, text, filters, limit, monkeypatch)
        _assert_same(fast, plain, (text, filters, limit))
    assert _ran_fast(one_segment, text, filters)


@pytest.mark.parametrize("text,filters", QUERIES, ids=[f"{q}|{f}" for q, f in QUERIES])
def test_fast_path_equals_whoosh_on_segments_with_deletions(segments_with_deletions, text, filters, monkeypatch):
    fast, plain = _both(segments_with_deletions, text, filters, 20, monkeypatch)
    _assert_same(fast, plain, (text, filters))
    assert _ran_fast(segments_with_deletions, text, filters)


def test_the_queries_exercise_what_matters(one_segment):
    """Big hit sets (scores estimated for thousands, Whoosh scoring only the page), ties at the page's edge
    (the same item text in several assessments), empty results, and filter-only searches."""
    totals = {(q, tuple(sorted((k, str(v)) for k, v in f.items()))): hq.search(one_segment, q, f or None, limit=20).total
              for q, f in QUERIES}
    assert max(totals.values()) > 300  # the real content is small (about 2,600 items): hundreds estimated, 20 scored
    assert 0 in totals.values()
    res = hq.search(one_segment, "十分である", {"answer": "十分である"}, limit=20)
    scores = [h["score"] for h in res.hits]
    assert len(scores) == 20 and len(set(scores)) < len(scores)  # ties
    assert hq.search(one_segment, None, {"kind": "risk"}, limit=5).hits[0]["score"] is None  # sorted by key


def test_a_removed_document_is_never_a_hit(segments_with_deletions):
    keys = {d["key"] for i, d in enumerate(shared_docs()) if i % 97 == 5}
    res = hq.search(segments_with_deletions, "委", limit=10**6 - 1)
    assert res.total == len(res.hits) > 100
    assert not keys & {h["key"] for h in res.hits}
    assert any("委託先の再確認" in h["content"] for h in res.hits)


@pytest.fixture(scope="module")
def every_term_in_sidecar(tmp_path_factory):
    """Every content term in the segments' sidecars (SIDECAR_MIN_DOCS = 1), written in this process, then an
    edit (a second segment, deleted documents): the sidecar path answers every phrase and term."""
    from hyoka_search import whoosh_private as wp

    mp = pytest.MonkeyPatch()
    mp.setattr(wp, "SIDECAR_MIN_DOCS", 1)
    folder = tmp_path_factory.mktemp("side") / "ix"
    docs = shared_docs()
    start_index(shared_corpus(), shared_project() / "site_config", folder, docs=docs, registry=shared_registry(),
                background_min_docs=10**9).wait()
    edited = [dict(d, content=d["content"] + " 委託先の再確認") if i % 41 == 3 else d
              for i, d in enumerate(docs) if i % 97 != 5]
    for d in edited:
        d["hash"] = doc_hash(d)
    start_index(shared_corpus(), shared_project() / "site_config", folder, docs=edited, registry=shared_registry(),
                background_min_docs=10**9).wait()
    mp.undo()
    ix = open_index(folder)
    with ix.reader() as r:
        leaves = r.leaf_readers()
        assert len(leaves) >= 2 and r.has_deletions()
        sides = [wp.open_sidecar(leaf) for leaf, _ in leaves]
        assert all(side is not None and side.has("委託".encode()) for side in sides)
    yield ix
    ix.close()


@pytest.mark.parametrize("text,filters", QUERIES, ids=[f"{q}|{f}" for q, f in QUERIES])
def test_sidecar_path_equals_whoosh(every_term_in_sidecar, text, filters, monkeypatch):
    calls = []
    real = fastsearch.Engine._phrase_side
    monkeypatch.setattr(fastsearch.Engine, "_phrase_side", lambda self, *a: calls.append(1) or real(self, *a))
    fast, plain = _both(every_term_in_sidecar, text, filters, 20, monkeypatch)
    _assert_same(fast, plain, (text, filters))
    assert _ran_fast(every_term_in_sidecar, text, filters)
    if text in ("個人番号カード", "情報提供ネットワークシステム", "住民基本台帳", "再委託 OR 委託先"):
        assert calls  # the phrase was intersected from the sidecar


def test_a_segment_without_sidecar_is_read_from_its_blocks(every_term_in_sidecar, monkeypatch):
    """The same results when no segment has a sidecar (an index written by other code)."""
    with_side = [hq.search(every_term_in_sidecar, q, f or None, limit=20) for q, f in QUERIES]
    monkeypatch.setattr(fastsearch.wp, "open_sidecar", lambda reader: None)
    every_term_in_sidecar._hyoka_shared = None  # a new searcher (and engine) without sidecars
    without = [hq.search(every_term_in_sidecar, q, f or None, limit=20) for q, f in QUERIES]
    every_term_in_sidecar._hyoka_shared = None
    for a, b, (q, f) in zip(with_side, without, QUERIES):
        assert (a.total, a.facets, [(h["key"], h["score"]) for h in a.hits]) == \
            (b.total, b.facets, [(h["key"], h["score"]) for h in b.hits]), (q, f)
