"""The search index (hyoka_search): documents, Japanese analysis, queries, incremental reindex, CLI.

Runs over the real content/ (the part that validates now) plus tests/fixtures/search/content.
Expected hit sets are computed from the documents themselves: a plain substring scan of each
document's text after the same normalisation (NFKC, lower case, no white space).
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from fixtures.search.support import FIXTURES, ROOT, shared_corpus, shared_docs, shared_index_dir, shared_project, shared_registry
from hyoka import anchors as A
from hyoka_search.cli import main as hyoka_main
from hyoka.loader import load_corpus
from hyoka_search.analysis import SEGMENT_SEP, normalize, normalize_query_term
from hyoka_search.index import open_index, update_index
from hyoka_search.query import QueryError, parse_query, search


@pytest.fixture(scope="module")
def ix():
    index = open_index(shared_index_dir())
    yield index
    index.close()


def scan(term: str, docs=None) -> set[str]:
    t = normalize_query_term(term)
    return {d["key"] for d in (docs or shared_docs()) if t in normalize(d["content"])}


_KEYS: dict[int, dict[int, str]] = {}


def hit_keys(ix, text: str, **filters) -> set[str]:
    """Keys of all hits (docnums mapped to keys once: reading every stored document is slow)."""
    if id(ix) not in _KEYS:
        with ix.reader() as r:
            _KEYS[id(ix)] = {n: f["key"] for n, f in r.iter_docs()}
    res = search(ix, text, filters or None, limit=0, facets=())
    with ix.searcher() as s:
        from hyoka_search.query import filter_query
        from whoosh import query as Q

        parsed = parse_query(text)
        q = parsed.query or Q.Every()
        fq = filter_query(filters)
        if fq is not None:
            q = Q.And([q, fq])
        docnums = list(s.search(q, limit=None).docs())
    assert res.total == len(docnums)
    return {_KEYS[id(ix)][n] for n in docnums}


# ---- documents ------------------------------------------------------------------------------------


def test_one_document_per_item_entrustment_file_change():
    corpus, docs = shared_corpus(), shared_docs()
    keys = {d["key"] for d in docs}
    by_kind: dict[str, int] = {}
    for d in docs:
        by_kind[d["kind"]] = by_kind.get(d["kind"], 0) + 1
    n_files = sum(len(a.files) for a in corpus.assessments)
    n_entrust = sum(len(f.entrustment.items) for a in corpus.assessments for f in a.files if f.entrustment)
    n_changes = sum(len(a.changes) for a in corpus.assessments)
    n_risk_items = sum(len(r.items) for a in corpus.assessments for fr in a.risks for s in fr.sections for r in s.risks) + sum(
        len(s.items) for a in corpus.assessments for fr in a.risks for s in fr.sections)
    n_other = sum(len(s.items) for a in corpus.assessments for s in a.other_measures)
    n_disc = sum(len(s.items) for a in corpus.assessments for s in a.disclosure)
    assert by_kind.get("file", 0) == n_files
    assert by_kind.get("entrust", 0) == n_entrust
    assert by_kind.get("change", 0) == n_changes
    assert by_kind.get("risk_item", 0) == n_risk_items
    assert by_kind.get("other", 0) == n_other
    assert by_kind.get("disclosure", 0) == n_disc
    assert by_kind.get("council", 0) == len(corpus.council_records)
    assert len(keys) == len(docs)  # unique keys
    for d in docs:
        for field in ("city", "city_name", "aid", "url", "kind", "section"):
            assert d[field] != "", (field, d["key"])
        assert d["url"] == A.permalink(d["slug"], d["aid"], d["anchor"] or None)


def test_permalinks_use_the_anchor_scheme():
    corpus = shared_corpus()
    docs = {d["key"]: d for d in shared_docs()}
    for a in corpus.assessments:
        slug = corpus.municipalities[a.municipality].slug
        for fi, f in enumerate(a.files, start=1):
            assert docs[f"{a.id}:files[{fi - 1}]"]["url"] == A.permalink(slug, a.id, A.file(fi))
            for i, e in enumerate(f.entrustment.items if f.entrustment else []):
                d = docs[f"{a.id}:files[{fi - 1}].entrustment.items[{i}]"]
                assert d["anchor"] == A.entrustment(fi, e.no)
        for fi, fr in enumerate(a.risks, start=1):
            for si, s in enumerate(fr.sections):
                for k, r in enumerate(s.risks, start=1):
                    for q, _ in enumerate(r.items, start=1):
                        d = docs[f"{a.id}:risks[{fi - 1}].sections[{si}].risks[{k - 1}].items[{q - 1}]"]
                        assert d["anchor"] == A.risk_item(fi, s.no, k, q)
        for n, _ in enumerate(a.changes, start=1):
            assert docs[f"{a.id}:changes[{n - 1}]"]["anchor"] == A.change(n)


# ---- Japanese matching -----------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["個人番号カード", "情報提供ネットワークシステム", "再委託", "委託先", "委託", "個人番号", "保管期間", "特定個人情報ファイル"])
def test_compound_terms_return_exactly_the_items_containing_them(ix, term):
    expected = scan(term)
    assert hit_keys(ix, term) == expected
    assert expected, f"{term} should occur in the fixtures at least"


def test_no_false_positive_for_split_words(ix):
    # fixture-koshigaya-zei has 「委託の先」: it contains 委託 but not 委託先
    key = "fixture-koshigaya-zei:files[0].entrustment.items[0]"
    assert key in hit_keys(ix, "委託")
    assert key not in hit_keys(ix, "委託先")
    # 「個人番号 カード」 (a PDF line break / space) still matches 個人番号カード: spaces are ignored
    assert "fixture-kanazawa-kenshin:risks[0].sections[0].risks[1].items[0]" in hit_keys(ix, "個人番号カード")


@pytest.mark.parametrize("char", ["税", "紙", "印", "委", "㈱"])
def test_one_character_queries(ix, char):
    assert hit_keys(ix, char) == scan(char)


def test_one_character_queries_from_the_real_text(ix):
    docs = shared_docs()
    chars = {c for d in docs[:: max(1, len(docs) // 40)] for c in normalize(d["content"])[:3] if c != SEGMENT_SEP}
    for c in sorted(chars - {'"'})[:10]:
        assert hit_keys(ix, f'"{c}"') == scan(c), c  # quoted: 「(」 alone would be a group


def test_full_width_and_compatibility_forms_match(ix):
    assert hit_keys(ix, "ＮＩＳＣ") == scan("nisc")
    assert hit_keys(ix, '"(株)アイネス"') == scan("㈱アイネス")  # NFKC: ㈱ == (株); quoted: not a group


def test_boolean_operators(ix):
    a, b = scan("再委託"), scan("委託先")
    assert hit_keys(ix, "再委託 委託先") == a & b
    assert hit_keys(ix, "再委託 AND 委託先") == a & b
    assert hit_keys(ix, "再委託 OR 委託先") == a | b
    assert hit_keys(ix, "委託 NOT 再委託") == scan("委託") - a
    assert hit_keys(ix, "委託 -再委託") == scan("委託") - a
    assert hit_keys(ix, '(再委託 OR 委託先) 印刷') == (a | b) & scan("印刷")
    assert hit_keys(ix, '"株式会社 日立製作所"') == scan("株式会社日立製作所")


def test_snippet_highlights_the_match(ix):
    res = search(ix, "個人番号カード", limit=5)
    assert res.hits and all("【" in h["snippet"] for h in res.hits)
    assert all(normalize(h["snippet"]).count("【") >= 1 for h in res.hits)


# ---- filters and facets ------------------------------------------------------------------------------


def test_filters_and_facet_counts(ix):
    res = search(ix, "委託", limit=None)
    city_counts = dict(res.facets["city"])
    assert sum(city_counts.values()) == res.total
    for code, n in city_counts.items():
        assert hit_keys(ix, "委託", city=code) == {h["key"] for h in res.hits if h["city"] == code}
        assert len(hit_keys(ix, "委託", city=code)) == n
    form_counts = dict(res.facets["form"])
    for form, n in form_counts.items():
        assert len(hit_keys(ix, "委託", form=form)) == n


def test_company_filter_joins_spellings(ix):
    reg = shared_registry()
    gid = reg.resolve("株式会社アイネス").group_id
    keys = hit_keys(ix, "", company=gid, kind="entrust")
    expected = {d["key"] for d in shared_docs() if d["kind"] == "entrust" and gid in d["company"].split(",")}
    assert keys == expected
    auditees = {k.split(":")[0] for k in keys}
    assert {"fixture-kazo-yobo", "fixture-koshigaya-zei", "fixture-kanazawa-kenshin"} <= auditees


# ---- malformed queries ----------------------------------------------------------------------------


BAD_QUERIES = ['"個人番号', "AND", "OR", "NOT", "委託 AND", "OR 委託", "委託 AND OR 再委託", "委託 NOT", "(委託", "委託)", "()",
               "委" * 10_000]


@pytest.mark.parametrize("q", BAD_QUERIES, ids=lambda q: q[:12])
def test_malformed_queries_raise_a_clear_error(q):
    with pytest.raises(QueryError) as exc:
        parse_query(q)
    msg = str(exc.value)
    assert msg and any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in msg)


@pytest.mark.parametrize("q", BAD_QUERIES, ids=lambda q: q[:12])
def test_cli_malformed_query_exits_2_without_traceback(q, capsys):
    root = shared_project()
    rc = hyoka_main(["search", q, "--content", str(root / "content"), "--site-config", str(root / "site_config"),
                     "--index-dir", str(shared_index_dir()), "--no-update"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "検索語" in err and "Traceback" not in err


# ---- command line ---------------------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    root = shared_project()
    return [*args, "--content", str(root / "content"), "--site-config", str(root / "site_config"),
            "--index-dir", str(shared_index_dir())]


def test_cli_json_with_filters(capsys, ix):
    rc = hyoka_main(["search", *_cli("再委託", "--city", "越谷市", "--format", "json", "--limit", "100")])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["total"] == len(hit_keys(ix, "再委託", city="112224"))
    assert all(h["municipality_code"] == "112224" for h in out["hits"])
    assert all(h["permalink"].startswith("koshigaya/") for h in out["hits"])
    assert {f["value"] for f in out["facets"]["city"]} == {"112224"}


def test_cli_csv_has_bom_and_rows(capfdbinary):
    rc = hyoka_main(["search", *_cli("個人番号カード", "--format", "csv", "--limit", "5")])
    raw = capfdbinary.readouterr().out
    assert rc == 0
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert 1 <= len(rows) <= 5
    assert all(r["permalink"] and r["municipality"] for r in rows)


def test_cli_table_shows_hits_snippets_and_facets(capsys):
    rc = hyoka_main(["search", *_cli("保守", "--company", "㈱アイネス", "--form", "様式４")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "【保守】" in out
    assert "絞り込みの候補" in out and "市区町村:" in out  # the registry's label (hyoka.fields), as on the site
    assert "#file-1-entrust-" in out


def test_cli_finds_the_iv_section_titles_of_the_kiso_form(capsys):
    """Issue 15: 様式2 prints the risk sections as Ⅳ 1…9; their titles are searchable like 様式3/4's Ⅲ titles."""
    rc = hyoka_main(["search", *_cli("情報提供ネットワークシステムとの接続", "--form", "様式2", "--format", "json", "--limit", "100")])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    links = {h["permalink"] for h in out["hits"]}
    assert "takatsuki/takatsuki-juki-kiso/#other_measures-6" in links
    hit = next(h for h in out["hits"] if h["permalink"].endswith("#other_measures-6"))
    assert hit["part"] == "Ⅳ-6"  # ASCII digits, though the form prints ６
    # the same title in 様式4 is Ⅲ 6
    rc = hyoka_main(["search", *_cli("情報提供ネットワークシステムとの接続", "--form", "様式4", "--format", "json", "--limit", "200")])
    assert any("#risk-1-6" == h["permalink"][-len("#risk-1-6"):] for h in json.loads(capsys.readouterr().out)["hits"])


def test_cli_risk_filter_lines_up_entrustment_across_forms(capsys):
    rc = hyoka_main(["search", *_cli("", "--risk", "III-4/r1-5", "--format", "json", "--limit", "500")])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    aids = {h["permalink"].split("/")[1] for h in out["hits"]}
    assert {"takatsuki-juki-kiso", "kazo-yobosesshu-juten", "yokohama-yobosesshu-zenkomoku",
            "koshigaya-shingata-influenza-yobosesshu-zenkomoku"} <= aids
    assert [f["label"] for f in out["facets"]["risk_key"]] == ["Ⅲ-4/R1-5 リスク1〜5（委託先による特定個人情報の不正入手・不正な使用に関するリスク 〜 再委託に関するリスク）"]
    assert hyoka_main(["search", *_cli("", "--risk", "入手")]) == 2
    assert "リスク" in capsys.readouterr().err


def test_cli_bad_filter_exits_2(capsys):
    assert hyoka_main(["search", *_cli("委託", "--city", "存在しない市")]) == 2
    assert "市区町村「存在しない市」が見つかりません" in capsys.readouterr().err
    assert hyoka_main(["search", *_cli("委託", "--retention", "7年")]) == 2
    assert "保管期間" in capsys.readouterr().err


# ---- incremental reindex --------------------------------------------------------------------------


def test_incremental_reindex_touches_only_the_changed_document(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    site_config = ROOT / "site_config"
    index_dir = tmp_path / "ix"
    reg = shared_registry()

    corpus = load_corpus(content, site_config, root=tmp_path)
    first = update_index(corpus, reg, index_dir)
    assert first.rebuilt and first.added > 50

    again = update_index(corpus, reg, index_dir)
    assert (again.added, again.deleted, again.rebuilt) == (0, 0, False)

    path = content / "fixture-kazo-yobo.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("年1回、担当課で自己点検を行う。", "年2回、監査法人が点検を行う。"), encoding="utf-8")
    corpus = load_corpus(content, site_config, root=tmp_path)
    stats = update_index(corpus, reg, index_dir)
    assert stats.changed_keys == ["fixture-kazo-yobo:other_measures[0].items[0]"]
    assert (stats.added, stats.deleted, stats.unchanged) == (1, 1, first.added - 1)
    ix = open_index(index_dir)
    try:
        assert hit_keys(ix, "監査法人") == {"fixture-kazo-yobo:other_measures[0].items[0]"}
        assert hit_keys(ix, "担当課で自己点検") == set()
        assert ix.doc_count() == first.added
    finally:
        ix.close()

    (content / "fixture-kanazawa-kenshin.yaml").unlink()
    corpus = load_corpus(content, site_config, root=tmp_path)
    stats = update_index(corpus, reg, index_dir)
    assert stats.added == 0 and stats.removed_keys and all(k.startswith("fixture-kanazawa-kenshin:") for k in stats.removed_keys)


def test_cli_index_command(tmp_path, capsys):
    root = shared_project()
    rc = hyoka_main(["index", "--content", str(FIXTURES / "content"), "--site-config", str(root / "site_config"),
                     "--index-dir", str(tmp_path / "ix")])
    captured = capsys.readouterr()
    assert rc == 0
    assert "索引" in captured.out
    assert "株式会社フィクスチャ未登録" in captured.err  # unknown spellings are reported
