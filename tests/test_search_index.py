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


def test_index_written_by_a_second_process_equals_one_written_here(tmp_path):
    docs = shared_docs()
    job = start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "bg", docs=docs,
                      registry=shared_registry(), background_min_docs=0)
    assert isinstance(job, IndexJob) and job.background
    report = job.wait()
    assert report.stats.rebuilt and report.stats.added == len(docs)
    assert job.child_peak_rss_mb and job.child_peak_rss_mb > 10
    inline = apply_plan(plan_update(tmp_path / "here", docs))
    assert inline.added == len(docs)
    bg, here = I.open_index(tmp_path / "bg"), I.open_index(tmp_path / "here")
    try:
        assert dump_index(bg) == dump_index(here)
    finally:
        bg.close()
        here.close()
    # a small update after that is applied in this process
    again = start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "bg", docs=docs[:-1],
                        registry=shared_registry())
    assert not again.background and again.wait().stats.deleted == 1


def test_an_index_that_cannot_be_written_raises_with_the_reason(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    plan = plan_update(tmp_path / "absent", shared_docs())
    plan.index_dir = blocker / "index"  # below a file: the second process cannot create it
    job = IndexJob(plan, [], shared_registry(), background=True)
    with pytest.raises(IndexBuildError) as err:
        job.wait()
    assert "索引を作れませんでした" in str(err.value) and "not-a-folder" in str(err.value)


def test_a_killed_index_process_is_reported_not_waited_for_forever(tmp_path):
    job = IndexJob(plan_update(tmp_path / "ix", shared_docs() * 3), [], shared_registry(), background=True)
    time.sleep(0.5)
    job._proc.kill()  # as the kernel's OOM killer would
    with pytest.raises(IndexBuildError) as err:
        job.wait()
    assert "異常終了" in str(err.value)
