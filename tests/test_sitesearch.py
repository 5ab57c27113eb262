"""The in-browser search index (hyoka.sitesearch) answers exactly like the auditors' Whoosh search.

`Reader` runs the browser's algorithm (hyoka-sitesearch.js) in Python over the exported files; the
browser itself is checked against Whoosh in test_sitesearch_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hyoka import sitesearch as ss
from hyoka.companies import load_companies
from hyoka.loader import load_corpus
from hyoka_search.analysis import SEGMENT_SEP, normalize, normalize_query_term
from hyoka_search.documents import corpus_documents
from hyoka_search.index import ram_index
from hyoka_search.query import search

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"

COMPOUND = ["個人番号カード", "情報提供ネットワークシステム", "再委託", "委託先", "保管期間"]
ONE_CHAR = ["委", "税", "カ", "a", "１", "・"]
SYNTAX = [
    "委託 NOT 再委託", "委託 -再委託", "再委託 OR 委託先", "(再委託 OR 委託先) 保管", '"個人番号 カード"',
    "ｺｺｺ", "ＰＣ", "個人番号　カード", "委託 AND 先", "NOT 委託", "リスク１", "（委託先）",
]


def _corpus(content: Path, site_config: Path):
    corpus = load_corpus(content, site_config, root=content.parent)
    return corpus, load_companies(site_config)


@pytest.fixture(scope="module")
def real():
    """Real content (problems between files tolerated: transcription may be in progress) + page fixtures."""
    corpus, registry = _corpus(REPO / "content", REPO / "site_config")
    fx, _ = _corpus(FIXTURES, REPO / "site_config")
    corpus.assessments += fx.assessments
    corpus.council_records += fx.council_records
    if not corpus.assessments:
        pytest.skip("no content")
    docs = ss.order(corpus_documents(corpus, registry))
    ix = ram_index(corpus, registry, docs)
    files = ss.export(docs)
    return {"docs": docs, "ix": ix, "files": files, "reader": ss.Reader(files)}


def whoosh_keys(ix, q, filters=None):
    return sorted(h["key"] for h in search(ix, q, filters, limit=None).hits)


def whoosh_leafwise(ix, q, filters=None):
    """The auditors' search term by term: every term through Whoosh, combined as sets.

    Whoosh 2.7.4's AndNotMatcher._find_first only looks at the negative matcher when it already
    sits on the first positive document; when it sits on an earlier one, that first document is
    kept although the negative term matches it (e.g. 「委託先 NOT 再委託」 returns one item that
    contains 再委託).  `Q.And([a, Q.Not(b)])` does not have the bug.
    """
    from whoosh import query as Q

    from hyoka_search.query import filter_query, parse_query

    parsed = parse_query(q)
    with ix.searcher() as s:
        def keys(node):
            return {h["key"] for h in s.search(node, limit=None)}

        def ev(node):
            if node is None or isinstance(node, Q.Every):
                return keys(Q.Every())
            if isinstance(node, Q.And):
                return set.intersection(*(ev(x) for x in node.subqueries))
            if isinstance(node, Q.Or):
                return set().union(*(ev(x) for x in node.subqueries))
            if isinstance(node, Q.AndNot):
                return ev(node.a) - ev(node.b)
            if isinstance(node, Q.Not):
                return keys(Q.Every()) - ev(node.query)
            return keys(node)

        if parsed.query is None and not filters:
            return []
        hits = ev(parsed.query)
        fq = filter_query(filters)
        if fq is not None:
            hits &= keys(fq)
    return sorted(hits)


def assert_same_as_whoosh(ix, q, got, filters=None):
    """`got` (sorted keys) is exactly what the auditors' search returns, and what it returns term by term."""
    expected = whoosh_keys(ix, q, filters)
    assert got == expected
    assert expected == whoosh_leafwise(ix, q, filters)


def truth(docs, term):
    """The contract itself: the normalised item text contains the normalised term."""
    t = normalize_query_term(term)
    return sorted(d["key"] for d in docs if t in normalize(d["content"]))


@pytest.mark.parametrize("q", COMPOUND + ONE_CHAR + SYNTAX)
def test_same_hits_as_whoosh(real, q):
    got = real["reader"].search(q)
    assert got.ids == sorted(got.ids)  # index order
    assert sorted(got.keys) == whoosh_leafwise(real["ix"], q)
    assert_same_as_whoosh(real["ix"], q, sorted(got.keys))


@pytest.mark.parametrize("q", COMPOUND + ONE_CHAR)
def test_hits_are_the_substring_contract(real, q):
    assert sorted(real["reader"].search(q).keys) == truth(real["docs"], q)


def test_compound_words_need_contiguity(real):
    """委託先 never matches an item with 委託 and 先 apart; every compound has hits in the real text."""
    docs = real["docs"]
    apart = [d for d in docs if "委託" in normalize(d["content"]) and "先" in normalize(d["content"])
             and "委託先" not in normalize(d["content"])]
    assert apart, "the corpus should hold items with 委託 and 先 apart"
    hits = set(real["reader"].search("委託先").keys)
    assert not hits & {d["key"] for d in apart}
    for q in COMPOUND:
        assert real["reader"].search(q).keys, q
    # A phrase never spans two segments of one item (SEGMENT_SEP), exactly like the Whoosh gap.
    spans = [d for d in docs if "委託" + SEGMENT_SEP in normalize(d["content"])]
    for d in spans:
        seg_next = normalize(d["content"]).split("委託" + SEGMENT_SEP, 1)[1][:1]
        if seg_next:
            q = "委託" + seg_next
            assert (d["key"] in real["reader"].search(q).keys) == (q in normalize(d["content"]))


@pytest.mark.parametrize("q", ["委託", "委託先", "個人番号カード", "リスク"])
def test_facet_counts_as_whoosh(real, q):
    w = search(real["ix"], q, limit=None)
    got = real["reader"].search(q)
    for f in ss.FACETS:
        assert {k: v for k, v in got.facets[f].items() if k} == dict(w.facets[f]), f


def test_filters_as_whoosh(real):
    ix, reader = real["ix"], real["reader"]
    full = reader.search("委託")
    checked = 0
    for f in ss.FACETS:
        values = sorted(full.facets[f], key=lambda v: -full.facets[f][v])[:2]
        for v in values:
            got = reader.search("委託", {f: v})
            assert sorted(got.keys) == whoosh_keys(ix, "委託", {f: v}), (f, v)
            assert len(got.keys) <= len(full.keys)
            checked += 1
        if len(values) == 2:  # two values of one field: either (OR)
            assert sorted(reader.search("委託", {f: values}).keys) == whoosh_keys(ix, "委託", {f: values})
    assert checked >= 8
    city = max(full.facets["city"], key=full.facets["city"].get)
    form = max(full.facets["form"], key=full.facets["form"].get)
    both = {"city": city, "form": form}  # two fields: both (AND)
    got = reader.search("委託", both)
    assert sorted(got.keys) == whoosh_keys(ix, "委託", both)
    # Counts of a filtered field are over the other filters (so a second value can still be chosen).
    assert got.facets["city"] == reader.search("委託", {"form": form}).facets["city"]
    # Filters alone (no query) list every item of the city, like Whoosh's Every().
    assert sorted(reader.search("", {"city": city}).keys) == whoosh_keys(ix, None, {"city": city})


def test_blocks_agree_with_whoosh(real):
    """With small blocks (many files per term) the answers are the same."""
    files = ss.export(real["docs"], block_docs=256, buckets=32, meta_docs=16)
    reader = ss.Reader(files)
    assert reader.manifest["blocks"] > 3
    for q in COMPOUND + ["委", "委託 NOT 再委託"]:
        assert sorted(reader.search(q).keys) == whoosh_leafwise(real["ix"], q), q
    for q in ["委託", "個人番号カード"]:
        w = search(real["ix"], q, limit=None)
        got = reader.search(q)
        assert {k: v for k, v in got.facets["city"].items() if k} == dict(w.facets["city"])


def test_fetches_only_what_the_query_needs(real):
    reader = ss.Reader(real["files"])
    reader.fetched.clear()
    reader.search("委託先")
    man = reader.manifest
    buckets = {ss.fnv1a(g) & (man["buckets"] - 1) for g in ("委託", "託先")}
    expected = {"f/0.json"} | {f"p/{b}/{h}.bin" for b in range(man["blocks"]) for h in buckets}
    assert set(reader.fetched) == expected
    assert not [p for p in reader.fetched if p.startswith("m/")]  # metadata only for hits shown
    # A long compound reads the bigrams that cover it, not all of them.
    reader.fetched.clear()
    reader.search("情報提供ネットワークシステム")
    assert len({p for p in reader.fetched if p.startswith("p/")}) <= 7 * man["blocks"]
    # A term found nowhere costs no facet file.
    reader.fetched.clear()
    reader.search("存在しない語句ですよ")
    assert not [p for p in reader.fetched if p.startswith("f/")]


def test_cover():
    assert ss.cover("委託先") == [("委託", 0), ("託先", 1)]
    assert ss.cover("個人番号") == [("個人", 0), ("番号", 2)]
    assert ss.cover("個人番号カード") == [("個人", 0), ("番号", 2), ("カー", 4), ("ード", 5)]
    assert ss.cover("委") == [("委", 0)] and ss.cover("委託") == [("委託", 0)] and ss.cover("") == []
    for term in ("情報提供ネットワークシステム", "ab", "abcde", "abcdef"):
        covered = set()
        for g, off in ss.cover(term):
            assert term[off : off + len(g)] == g
            covered |= set(range(off, off + len(g)))
        assert covered == set(range(len(term)))


def test_meta_shows_what_a_hit_needs(real):
    reader = real["reader"]
    hit = reader.search("保管期間").ids[0]
    m = reader.meta(hit)
    doc = next(d for d in real["docs"] if d["key"] == m["key"])
    assert m["url"] == doc["url"] and m["city_name"] == doc["city_name"] and m["label"] == doc["label"]
    assert m["content"] == doc["content"]


def test_export_is_deterministic(real):
    again = ss.export(real["docs"])
    assert again == real["files"]


def test_index_mismatch_is_an_error(real, tmp_path):
    from hyoka_search.index import update_index

    corpus, registry = _corpus(FIXTURES, REPO / "site_config")
    docs = corpus_documents(corpus, registry)
    update_index(corpus, registry, tmp_path / "ix", docs=docs)
    ss.check_against_index(docs, tmp_path / "ix")  # same documents: fine
    changed = [dict(d) for d in docs]
    changed[0]["hash"] = "0" * 32
    with pytest.raises(ValueError, match="一致しません"):
        ss.check_against_index(changed, tmp_path / "ix")


def test_whoosh_andnot_bug_is_understood(real):
    """Documents the Whoosh bug the leafwise reference works around (see `whoosh_leafwise`)."""
    from whoosh import query as Q

    from hyoka_search.query import term_query

    with real["ix"].searcher() as s:
        def keys(node):
            return {h["key"] for h in s.search(node, limit=None)}

        for a_term, b_term in (("委託先", "再委託"), ("委託", "再委託"), ("保管", "期間")):
            a, b = term_query(a_term), term_query(b_term)
            assert keys(Q.And([a, Q.Not(b)])) == keys(a) - keys(b)  # the correct formulation
            extra = keys(Q.AndNot(a, b)) - (keys(a) - keys(b))
            assert len(extra) <= 1  # only ever the first document of `a`


@pytest.mark.parametrize("q, excluded", [("(委託先 OR 保管) -再委託", "再委託"), ("委託先 NOT 再委託", "再委託"), ("保管 -期間", "期間")])
def test_not_queries_never_return_the_excluded_term(real, q, excluded):
    """The auditors' search avoids that bug: no hit of a NOT query contains the excluded term."""
    from hyoka_search.query import parse_query

    with real["ix"].searcher() as s:
        hits = s.search(parse_query(q).query, limit=None)
        texts = {h["key"] for h in hits}
    assert texts
    assert not set(truth(real["docs"], excluded)) & texts


def test_fnv1a_known_values():
    assert ss.fnv1a("") == 0x811C9DC5
    assert ss.fnv1a("a") == 0xE40C292C
    assert ss.fnv1a("委託") == ss.fnv1a("委託")


# ---- bounded shards -------------------------------------------------------------------------------


def duplicate_content(src: Path, dest: Path, times: int) -> None:
    """content/ × `times`, each copy with new ids (links between copies rewritten consistently)."""
    files = sorted(src.rglob("*.yaml"))
    ids = sorted({p.stem for p in files}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    for k in range(times):
        for p in files:
            text = p.read_text(encoding="utf-8")
            out = dest / p.parent.relative_to(src) / f"{p.stem}-x{k:02d}.yaml"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(pattern.sub(lambda m: f"{m.group(1)}-x{k:02d}", text), encoding="utf-8")


def _largest(files: dict[str, bytes]) -> dict[str, int]:
    out: dict[str, int] = {}
    for path, b in files.items():
        kind = path.split("/", 1)[0] if "/" in path else path
        out[kind] = max(out.get(kind, 0), len(b))
    return out


@pytest.fixture(scope="module")
def times20(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("x20")
    duplicate_content(REPO / "content", tmp / "content", 20)
    corpus, registry = _corpus(tmp / "content", REPO / "site_config")
    docs = ss.order(corpus_documents(corpus, registry))
    return docs


SMALL = {"block_docs": 512, "block_chars": 64_000, "buckets": 64}  # small blocks: ×1 already fills several


@pytest.fixture(scope="module")
def times20_small(times20):
    return ss.export(times20, **SMALL)


def test_no_file_grows_with_the_corpus(real, times20, times20_small):
    docs1, docs20 = real["docs"], times20
    assert len(docs20) >= 15 * len([d for d in docs1 if not d["aid"].startswith("fixture")])
    one, twenty = ss.export(docs1, **SMALL), times20_small
    l1, l20 = _largest(one), _largest(twenty)
    assert len(twenty) > 10 * len(one) / 2  # the corpus grew: more files …
    for kind in ("p", "f", "m"):  # … and none of them bigger
        assert l20[kind] <= 1.5 * l1[kind] + 2048, (kind, l1[kind], l20[kind])
    assert abs(l20["manifest.json"] - l1["manifest.json"]) < 16  # constant: counts only
    # The default layout on ×20: every file small, posting files far below a block's text.
    default = ss.export(docs20)
    assert max(len(b) for b in default.values()) < 512 * 1024
    text20 = sum(len(normalize(d["content"]).encode()) for d in docs20)
    assert max(len(b) for p, b in default.items() if p.startswith("p/")) < text20 / 20


def test_times20_still_the_substring_contract(times20, times20_small):
    reader = ss.Reader(times20_small)
    assert reader.manifest["blocks"] > 10
    for q in ("委託先", "個人番号カード", "委"):
        assert sorted(reader.search(q).keys) == truth(times20, q)
