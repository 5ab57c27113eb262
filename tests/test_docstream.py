"""The build's index documents as a stream on disk (issue 18: the build must not hold ≈ 145 documents per
assessment): `hyoka.documents.DocStream` gives the same documents, in both orders, as the list, and the
Whoosh index and the browser index made from it are those made from the list."""

from __future__ import annotations

import pickle

import pytest

import hyoka.sitesearch as ss
from fixtures.search.support import shared_corpus, shared_docs, shared_project, shared_registry
from hyoka.documents import DocStream, stream_documents
from hyoka_search import index as I
from hyoka_search.build import IndexJob, start_index
from hyoka_search.index import apply_plan, plan_update
from test_search_index import _same_index, dump_index


@pytest.fixture(scope="module")
def stream(tmp_path_factory):
    return stream_documents(shared_corpus(), shared_registry(), None, tmp_path_factory.mktemp("s") / "docs.jsonl")


def test_the_stream_holds_the_documents_of_the_list_in_both_orders(stream):
    docs = shared_docs()
    assert len(docs) > 1000 and len(stream) == len(docs)
    assert list(stream) == docs
    assert list(stream) == docs  # read again from the file: every pass sees them all
    ordered = stream.ordered()
    assert list(ordered) == ss.order(docs) == list(ordered) and len(ordered) == len(docs)
    assert list(ss.order(docs)) != docs  # the order is a real one (council records and cities interleave)
    assert list(pickle.loads(pickle.dumps(stream))) == docs  # what an index process gets: the path and the runs
    assert stream.path.stat().st_size > 1_000_000 and len(pickle.dumps(stream)) < 10_000
    parts = stream.split(2)  # what the two index processes read: the stream in order, cut at a source document
    assert len(parts) == 2 and [d for p in parts for d in p] == docs
    sizes = [sum(r[3] for r in p.runs) for p in parts]
    assert min(sizes) > 0.3 * sum(sizes)
    assert [d for p in pickle.loads(pickle.dumps(parts)) for d in p] == docs


def test_the_browser_index_from_the_stream_equals_the_one_from_the_list(stream, monkeypatch):
    monkeypatch.setattr(ss, "_BLOCK_CACHE", {})
    from_list = dict(ss.export_files(ss.order(shared_docs())))
    monkeypatch.setattr(ss, "_BLOCK_CACHE", {})  # encoded again, not taken from the last export
    from_stream = dict(ss.export_files(ss.order(stream)))
    assert len(from_list) > 100 and from_stream == from_list


def test_the_whoosh_index_written_from_the_stream_by_two_processes_equals_one_written_from_the_list(stream, tmp_path):
    plan = plan_update(tmp_path / "bg", stream)
    assert plan.fresh and plan.add is stream  # the stream itself, not a list of it, goes to the index processes
    job = start_index(shared_corpus(), shared_project() / "site_config", tmp_path / "bg", docs=stream,
                      registry=shared_registry(), background_min_docs=0)
    assert isinstance(job, IndexJob) and job.background and job.processes == 2
    report = job.wait()
    assert report.stats.rebuilt and report.stats.added == len(stream)
    apply_plan(plan_update(tmp_path / "here", shared_docs()))
    bg, here = I.open_index(tmp_path / "bg"), I.open_index(tmp_path / "here")
    try:
        _same_index(dump_index(bg), dump_index(here))
    finally:
        bg.close()
        here.close()
    assert not (tmp_path / ".bg-work").exists()  # the parts' files went with the job's work folder
    # and an update planned over the stream touches only what changed
    again = plan_update(tmp_path / "bg", stream)
    assert not again.fresh and again.add == [] and again.unchanged == len(stream)


def test_text_with_line_separators_of_every_kind_comes_back_whole(tmp_path):
    odd = "一\u2028二\u2029三\x85四\r五\n六\x0b七\x1c八"
    docs = [[{"key": "b:1", "aid": "b", "city": "2", "hash": "1", "content": odd},
             {"key": "b:2", "aid": "b", "city": "2", "hash": "2", "content": ""}],
            [], [{"key": "a:1", "aid": "a", "city": "1", "hash": "3", "content": odd * 2}]]
    s = DocStream.write(tmp_path / "d.jsonl", docs)
    assert list(s) == [*docs[0], *docs[2]]
    assert list(s.ordered()) == [*docs[2], *docs[0]] and len(s) == 3


def test_two_items_with_one_key_stop_the_stream(tmp_path, monkeypatch):
    import hyoka.documents as D

    real = D.document_items
    monkeypatch.setattr(D, "document_items", lambda *a, **k: (lambda items: [*items, items[0]])(real(*a, **k)))
    with pytest.raises(ValueError, match="duplicate index key"):
        stream_documents(shared_corpus(), shared_registry(), [], tmp_path / "d.jsonl")


def test_the_index_records_one_digest_per_source_document_and_an_edit_rewrites_only_its_item(stream, tmp_path):
    import json

    from hyoka.documents import doc_hash

    docs = shared_docs()
    ix = tmp_path / "ix"
    apply_plan(plan_update(ix, stream))
    side = json.loads((ix / I.HASHES_FILE).read_text(encoding="utf-8"))
    aids = {d["aid"] for d in docs}
    assert side["documents"].keys() == aids and len(aids) < len(docs) / 20  # one entry per assessment or record
    # one item's text changes: the plan reads the stored hashes of that assessment only and writes that item
    target = next(d for d in docs if d["kind"] == "risk_item")
    edited = [dict(d) for d in docs]
    for d in edited:
        if d["key"] == target["key"]:
            d["content"] += "（変更）"
            d["hash"] = doc_hash(d)
    plan = plan_update(ix, edited)
    assert [d["key"] for d in plan.add] == [target["key"]] == plan.replace and plan.remove == []
    assert plan.unchanged == len(docs) - 1 and not plan.sidecar_stale
    stats = apply_plan(plan)
    assert stats.added == 1 and stats.deleted == 1
    assert plan_update(ix, edited).empty
    # a source document that is gone takes every item of it out, and only those
    gone = target["aid"]
    rest = [d for d in edited if d["aid"] != gone]
    plan = plan_update(ix, rest)
    assert plan.add == [] and sorted(plan.remove) == sorted(d["key"] for d in docs if d["aid"] == gone)
    # a sidecar of an older format (or another generation) is not believed: the digests come from the stored
    # fields, nothing is written again but the sidecar
    (ix / I.HASHES_FILE).write_text(json.dumps({**side, "documents": None, "hashes": {}}), encoding="utf-8")
    plan = plan_update(ix, edited)
    assert plan.add == [] and plan.remove == [] and plan.sidecar_stale and not plan.empty
    apply_plan(plan)
    assert not plan_update(ix, edited).sidecar_stale
