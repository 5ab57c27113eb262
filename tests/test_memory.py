"""A build that does not hold every document's derived forms at once (issue 18): pages and open-data rows
are read back from the disk cache instead of kept in memory, the large data files are joined on disk — and
the site stays byte for byte that of a build without any of it."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_cache import _build, _edit, _files, _project, CHANGED

from hyoka import export
from hyoka.cache import DocCache
from hyoka.export import TABLES, Rows, to_csv, to_json
from hyoka.loader import load_corpus
from hyoka.site import Asset, SiteContext
from hyoka.views import data, pagecache

REPO = Path(__file__).resolve().parents[1]


def test_bounded_rows_and_pages_give_the_same_site_and_read_the_cache_again(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "MEMORY_DOCUMENTS", 1)  # every pass but the first reads the rows again
    cached = _project(tmp_path / "cached")
    first = _build(cached)
    n = len(first.cache.digests) - sum(1 for p in (cached / "content").rglob("*.yaml") if "type: council_record" in p.read_text(encoding="utf-8"))
    st = first.cache.stats
    assert st[("rows", "miss")] == n  # each assessment's rows computed once …
    assert st[("rows", "hit")] > 2 * n  # … and read back for the later passes (municipality, compare, data)
    assert len(pagecache._PAGE_CACHE) == 0  # with a disk cache, no page is kept in memory

    _edit(cached / "content" / CHANGED)
    again = _build(cached)
    assert again.cache.misses("rows") == 1 and again.cache.misses("page") == 1

    monkeypatch.setattr(pagecache, "MEMORY_PAGES", 2)
    clean = _project(tmp_path / "clean", cache_dir="")
    _edit(clean / "content" / CHANGED)
    nothing = _build(clean)
    assert nothing.cache is None
    assert len(pagecache._PAGE_CACHE) == 2  # without one, the most recent pages only
    a, b = _files(cached / "site"), _files(clean / "site")
    assert a.keys() == b.keys()
    assert [p for p in a if a[p] != b[p]] == []


def test_data_files_joined_on_disk_equal_the_tables_encoded_whole(tmp_path):
    root = tmp_path / "p"
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, root / name)
    cache = DocCache.for_project(root)
    corpus = load_corpus(root / "content", root / "site_config", root=root, cache=cache)
    assert corpus.problems == []
    ctx = SiteContext(site_config_dir=str(root / "site_config"), findings=[])
    in_memory = {o.path: o.bytes() for o in data.generate(corpus, ctx) if isinstance(o, Asset)}
    work = tmp_path / "work"
    on_disk = {}
    for o in data.generate(corpus, SiteContext(site_config_dir=str(root / "site_config"), findings=[], work_dir=str(work))):
        if not isinstance(o, Asset):
            continue
        on_disk[o.path] = o.bytes()
        if o.path in ("data/assessments.json", "data/answers.csv"):
            assert o.content is None and o.source.is_relative_to(work)  # handed over as a file
    assert on_disk == in_memory
    rows = Rows(corpus, ctx, findings=[])
    for name in Rows.PER_DOCUMENT:
        table = rows.table(name)
        assert table, name
        assert on_disk[f"data/{name}.json"] == to_json(table)
        assert on_disk[f"data/{name}.csv"] == to_csv(table, [c for c, _ in TABLES[name][1]])
    assert on_disk["data/assessments.json"] == to_json([{"type": "assessment", **data.to_data(d)} for d in corpus.assessments])


def test_data_files_of_an_empty_corpus(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(REPO / "site_config", root / "site_config")
    (root / "content").mkdir()
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    ctx = SiteContext(site_config_dir=str(root / "site_config"), work_dir=str(tmp_path / "w"))
    out = {o.path: o.bytes() for o in data.generate(corpus, ctx) if isinstance(o, Asset)}
    assert out["data/assessments.json"] == b"[]\n" == out["data/answers.json"]
    assert out["data/answers.csv"] == to_csv([], [c for c, _ in TABLES["answers"][1]])


def test_the_index_check_reads_no_segment_yet_finds_every_difference(tmp_path):
    import json

    import pytest

    from hyoka.companies import load_companies
    from hyoka.documents import corpus_documents
    from hyoka_search.index import HASHES_FILE, update_index
    from hyoka_search.sitecheck import check_against_index

    fixtures = Path(__file__).resolve().parent / "fixtures" / "pages"
    corpus = load_corpus(fixtures, REPO / "site_config", root=fixtures.parent)
    registry = load_companies(REPO / "site_config")
    docs = corpus_documents(corpus, registry)
    ix = tmp_path / "ix"
    update_index(corpus, registry, ix, docs=docs)
    check_against_index(iter(docs), ix)  # any iterable of the documents: fine
    for changed in (docs[1:], [*docs, {**docs[0], "key": docs[0]["key"] + "x"}],
                    [{**docs[0], "hash": "0" * 32}, *docs[1:]], [{**docs[0], "key": docs[1]["key"]}, *docs[1:]]):
        with pytest.raises(ValueError, match="一致しません"):
            check_against_index(changed, ix)
    side = json.loads((ix / HASHES_FILE).read_text(encoding="utf-8"))
    side["generation"] += 1  # a sidecar of another generation is not believed: the stored fields are read
    side["documents"][docs[0]["aid"]] = "0:" + "0" * 32
    (ix / HASHES_FILE).write_text(json.dumps(side), encoding="utf-8")
    check_against_index(docs, ix)
    (ix / HASHES_FILE).unlink()
    check_against_index(docs, ix)
    with pytest.raises(ValueError, match="一致しません"):
        check_against_index([{**docs[0], "hash": "0" * 32}, *docs[1:]], ix)


def test_lazy_corpus_equals_the_parsed_one_and_holds_few_models(tmp_path, monkeypatch):
    from hyoka import loader

    monkeypatch.setattr(loader, "MEMORY_MODELS", 2)
    root = tmp_path / "p"
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, root / name)
    plain = load_corpus(root / "content", root / "site_config", root=root)
    for _ in range(2):  # cold (entries written), then warm (entries read)
        lazy = load_corpus(root / "content", root / "site_config", root=root, cache=DocCache.for_project(root))
        assert lazy.problems == plain.problems == []
        assert isinstance(lazy.assessments, loader.LazyAssessments) and not isinstance(plain.assessments, loader.LazyAssessments)
        assert len(lazy.assessments) == len(plain.assessments) > 2
        for a, b in zip(lazy.assessments, plain.assessments, strict=True):
            assert a.model_dump_json() == b.model_dump_json() and a.model_fields_set == b.model_fields_set
        assert len(lazy.assessments._models) == 2  # the last ones only
        last = plain.assessments[-1]
        assert lazy.assessments[-1].id == lazy.by_id(last.id).id == lazy.doc_map()[last.id].id == last.id
        assert [d.id for d in lazy.assessments[1:3]] == [d.id for d in plain.assessments[1:3]]
        assert set(lazy.doc_map()) == set(plain.doc_map()) and len(lazy.doc_map()) == len(plain.doc_map())
        code = last.municipality
        assert [d.id for d in lazy.assessments_of(code)] == [d.id for d in plain.assessments_of(code)]
        assert lazy.by_id("no-such-document") is None and "no-such-document" not in lazy.doc_map()
        # the facts of the cross-city passes, without reading a model: as the models have them
        lazy.assessments._models.clear()
        facts = [(s.id, s.municipality, s.form, s.published, s.council_records) for s in lazy.summaries()]
        assert len(lazy.assessments._models) == 0
        assert facts == [(s.id, s.municipality, s.form, s.published, s.council_records) for s in plain.summaries()]
        assert facts == [(d.id, d.municipality, d.form, d.cover.published,
                          tuple(d.procedures.third_party_review.council_records) if d.procedures and d.procedures.third_party_review else ())
                         for d in plain.assessments]
        assert any(f[4] for f in facts) and any(f[3] for f in facts)  # (the real content links council records, has dates)
        for d in [*plain.assessments, *plain.council_records]:
            assert lazy.municipality_of(d.id) == d.municipality
        assert lazy.municipality_of("no-such-document") is None and len(lazy.assessments._models) == 0


def test_lazy_corpus_reports_the_same_link_problems(tmp_path):
    cases = Path(__file__).resolve().parent / "bad_inputs"
    for case in ("assessment-link-missing-record", "council-link-missing-assessment"):
        root = tmp_path / case
        shutil.copytree(cases / case / "content", root / "content")
        shutil.copytree(REPO / "site_config", root / "site_config")
        plain = load_corpus(root / "content", root / "site_config", root=root)
        lazy = load_corpus(root / "content", root / "site_config", root=root, cache=DocCache.for_project(root))
        assert plain.problems and [str(p) for p in lazy.problems] == [str(p) for p in plain.problems], case
