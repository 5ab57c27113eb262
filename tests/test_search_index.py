"""The index writer's speed-ups write what Whoosh itself writes, and the index can be written by a second
process: same index, its errors fail the caller with a message, a killed process too.

Runs over the real content/ and the search fixtures (tests/fixtures/search).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.fields import TEXT
from whoosh.index import TOC

import hyoka_search.index as I
from fixtures.search.support import shared_corpus, shared_docs, shared_project, shared_registry
from hyoka_search.analysis import SEGMENT_SEP, JaText, ja_analyzer
from hyoka_search.build import IndexBuildError, IndexJob, start_index
from hyoka_search.index import apply_plan, plan_update


def dump_index(ix) -> dict:
    """Everything a search reads: per field and term, the term statistics and every posting (id, weight,
    encoded value); every document's stored fields and content length."""
    out: dict = {}
    with ix.reader() as r:
        for fieldname in sorted(r.indexed_field_names()):
            for btext in r.lexicon(fieldname):
                ti = r.term_info(fieldname, btext)
                m = r.postings(fieldname, btext)
                posts = []
                while m.is_active():
                    posts.append((m.id(), m.weight(), m.value()))
                    m.next()
                out[(fieldname, btext)] = (ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(),
                                           ti.max_weight(), ti.min_id(), ti.max_id(), tuple(posts))
        out["stored"] = [r.stored_fields(i) for i in range(r.doc_count_all())]
        out["lengths"] = [r.doc_field_length(i, "content") for i in range(r.doc_count_all())]
    return out


def test_fast_content_postings_equal_whoosh_text_field():
    whoosh_field = TEXT(analyzer=ja_analyzer(), phrase=True)
    fast = JaText()
    texts = [d["content"] for d in shared_docs()]
    rnd = random.Random(9)
    alphabet = "委託先託再ああいＡａｶﾞ① 　\n\t" + SEGMENT_SEP
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(3000)]
    texts += ["", " ", SEGMENT_SEP * 3, "ああああ", "委" + SEGMENT_SEP + "委"]
    repeated = 0
    for t in texts:
        got = fast.index(t)
        assert got == list(whoosh_field.index(t)), t
        repeated += any(freq > 1 for _, freq, _, _ in got)
    assert repeated > 100  # the path for repeated bigrams was exercised, not only the one-position one


def _build(tmp: Path, docs, bulk: bool):
    tmp.mkdir()
    ix = windex.create_in(str(tmp), I.make_schema(), indexname=I.INDEX_NAME)
    I._fill(I._writer(ix, bulk=bulk), docs).commit()
    return ix


def test_bulk_writer_writes_the_same_index_as_whoosh(tmp_path, monkeypatch):
    monkeypatch.setattr(I, "LIMITMB", 4)  # spill several sorted runs, as a national build does
    docs = shared_docs()
    ours = _build(tmp_path / "bulk", docs, bulk=True)
    theirs = _build(tmp_path / "whoosh", docs, bulk=False)
    a, b = dump_index(ours), dump_index(theirs)
    ours.close()
    theirs.close()
    assert a == b
    # the cases that matter were there: terms longer than one block, and inlined one-posting terms
    blocks = [len(v[-1]) for k, v in a.items() if isinstance(k, tuple) and k[0] == "content"]
    assert max(blocks) > 128 and min(blocks) == 1
    assert len(list((tmp_path / "bulk").glob("*.seg"))) == 1  # still one segment


def _same_index(a: dict, b: dict) -> None:
    """Equal dumps, except a term's total weight in a multi-segment index, which is a sum of per-segment
    float sums (78.49999809 vs 78.5): not used by BM25F, compared to 1e-6."""
    assert a.keys() == b.keys()
    for k in a:
        if isinstance(k, tuple):
            assert a[k][0] == pytest.approx(b[k][0], rel=1e-6), k
            assert a[k][1:] == b[k][1:], k
        else:
            assert a[k] == b[k], k


QUERIES = ["個人番号カード", "情報提供ネットワークシステム", "委託先", "再委託 OR 保管", "委", "個", "ﾏｲﾅﾝﾊﾞｰ", "委託 NOT 再委託"]


def test_index_written_by_other_processes_equals_one_written_here(tmp_path, monkeypatch):
    from hyoka_search.query import search

    # Small posting pools: both processes spill sorted runs to disk at once (their temporary folders
    # once collided: one process deleted the other's runs).
    monkeypatch.setattr(I, "LIMITMB", 2)
    docs = shared_docs()
    job = start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "bg", docs=docs,
                      registry=shared_registry(), background_min_docs=0)
    assert isinstance(job, IndexJob) and job.background and job.processes == 2
    report = job.wait()
    assert report.stats.rebuilt and report.stats.added == len(docs)
    assert job.child_peak_rss_mb and job.child_peak_rss_mb > 10
    inline = apply_plan(plan_update(tmp_path / "here", docs))
    assert inline.added == len(docs)
    bg, here = I.open_index(tmp_path / "bg"), I.open_index(tmp_path / "here")
    assert not list((tmp_path / "bg").glob("*.tmp"))  # the writers' temporary folders are gone
    try:
        assert len(TOC.read(bg.storage, I.INDEX_NAME).segments) == 2 and len(TOC.read(here.storage, I.INDEX_NAME).segments) == 1
        _same_index(dump_index(bg), dump_index(here))
        for q in QUERIES:  # same hits, same order, same scores (one-character queries included)
            a, b = search(bg, q, limit=None), search(here, q, limit=None)
            assert a.total == b.total and a.total > 0, q
            assert [(h["key"], h["score"]) for h in a.hits] == [(h["key"], h["score"]) for h in b.hits], q
            assert a.facets == b.facets, q
    finally:
        bg.close()
        here.close()
    # a small update after that is applied in this process, and keeps it searchable
    again = start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "bg", docs=docs[:-1],
                        registry=shared_registry())
    assert not again.background and again.wait().stats.deleted == 1
    bg = I.open_index(tmp_path / "bg")
    try:
        assert search(bg, "個人番号カード").total == search(I.open_index(tmp_path / "here"), "個人番号カード").total - (
            "個人番号カード" in docs[-1]["content"])
    finally:
        bg.close()


def test_one_large_update_of_an_existing_index_runs_in_one_other_process(tmp_path):
    docs = shared_docs()
    apply_plan(plan_update(tmp_path / "ix", docs[:10]))
    job = start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "ix", docs=docs,
                      registry=shared_registry(), background_min_docs=0)
    assert job.background and job.processes == 1
    assert job.wait().stats.added == len(docs) - 10


def test_an_index_that_cannot_be_written_raises_with_the_reason(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    plan = plan_update(tmp_path / "absent", shared_docs())
    plan.index_dir = blocker / "index"  # below a file: it cannot be created
    for parts in (1, 2):  # the other process finds out / this one does, before starting any
        with pytest.raises(IndexBuildError) as err:
            IndexJob(plan, [], shared_registry(), background=True, parts=parts).wait()
        assert "索引を作れませんでした" in str(err.value) and "not-a-folder" in str(err.value)


def test_a_killed_index_process_is_reported_not_waited_for_forever(tmp_path):
    job = IndexJob(plan_update(tmp_path / "ix", shared_docs() * 3), [], shared_registry(), background=True)
    time.sleep(0.5)
    job._workers[0].proc.kill()  # as the kernel's OOM killer would
    with pytest.raises(IndexBuildError) as err:
        job.wait()
    assert "異常終了" in str(err.value)


def test_facet_counts_equal_whoosh_grouping(tmp_path):
    from whoosh import query as Q
    from whoosh import sorting

    from hyoka_search.query import FACETS, filter_query, parse_query, search

    docs = shared_docs()
    start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "ix", docs=docs,
                registry=shared_registry(), background_min_docs=0).wait()  # two segments
    ix = I.open_index(tmp_path / "ix")
    try:
        for text, filters in [("委託", {}), ("再委託", {"form": "様式4"}), (None, {"kind": "entrust"}), ("委", {}),
                              ("保管", {"city": "172014"}), ("委託先", {"kind": "entrust"}), ("存在しない語句", {})]:
            ours = search(ix, text, filters, limit=3)
            parsed = parse_query(text)
            q = parsed.query or Q.Every()
            fq = filter_query(filters)
            if fq is not None:
                q = Q.And([q, fq]) if parsed.query is not None else fq
            with ix.searcher() as s:
                r = s.search(q, limit=None, groupedby={f: sorting.FieldFacet(f, allow_overlap=(f == "company")) for f in FACETS})
                for f in FACETS:
                    counts = [(k, len(v)) for k, v in r.groups(f).items() if k not in (None, "")]
                    counts.sort(key=lambda kv: (-kv[1], str(kv[0])))
                    assert ours.facets[f] == counts, (text, f)
            assert ours.total == len(r)
        assert search(ix, "委託").facets["company"]  # the overlapping facet has values
    finally:
        ix.close()


@pytest.mark.parametrize("term", ["個人番号カード", "情報提供ネットワークシステム", "住民基本台帳", "特定個人情報ファイル",
                                  "委託先", "ああああ", "十分である", "ネットワーク", "再委託", "保管期間"])
def test_bigram_phrase_finds_what_whoosh_phrase_finds(term):
    from whoosh.query import Phrase

    from fixtures.search.support import shared_index_dir
    from hyoka_search.analysis import grams, normalize_query_term
    from hyoka_search.phrase import BigramPhrase, cover

    g = grams(normalize_query_term(term))
    offsets = cover(len(g))
    assert offsets[0] == 0 and offsets[-1] == len(g) - 1 and all(b - a <= 2 for a, b in zip(offsets, offsets[1:]))
    ix = I.open_index(shared_index_dir())
    try:
        with ix.searcher() as s:
            ours = sorted(s.search(BigramPhrase("content", g), limit=None).docs())
            theirs = sorted(s.search(Phrase("content", g), limit=None).docs())
    finally:
        ix.close()
    assert ours == theirs
    assert ours or term == "ああああ"


def test_an_index_in_memory_leaves_no_folder_in_the_temporary_directory(tmp_path, monkeypatch):
    """ram_index's writer spills into a temporary folder: removed when it is done (a name per call once left
    one empty folder per index in /tmp, 59 of them after a day of test runs)."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    docs = shared_docs()
    ix = I.ram_index(None, None, docs=docs)
    assert ix.doc_count() == len(docs)
    assert list(tmp_path.iterdir()) == []
