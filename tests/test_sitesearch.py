"""The in-browser search index (hyoka.sitesearch) answers exactly like the auditors' Whoosh search.

`Reader` (sitesearch_reader.py, next to this file) runs the browser's algorithm (hyoka-sitesearch.js)
in Python over the exported files; the
browser itself is checked against Whoosh in test_sitesearch_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hyoka import sitesearch as ss
from hyoka.companies import load_companies
from hyoka.documents import corpus_documents
from hyoka.loader import load_corpus
from hyoka_search.analysis import SEGMENT_SEP, normalize, normalize_query_term
from hyoka_search.index import ram_index
from hyoka_search.query import search
from hyoka_search.sitecheck import check_against_index
from sitesearch_reader import Reader, cover

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
    return {"docs": docs, "ix": ix, "files": files, "reader": Reader(files)}


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
    reader = Reader(files)
    assert reader.manifest["blocks"] > 3
    for q in COMPOUND + ["委", "委託 NOT 再委託"]:
        assert sorted(reader.search(q).keys) == whoosh_leafwise(real["ix"], q), q
    for q in ["委託", "個人番号カード"]:
        w = search(real["ix"], q, limit=None)
        got = reader.search(q)
        assert {k: v for k, v in got.facets["city"].items() if k} == dict(w.facets["city"])


def test_fetches_only_what_the_query_needs(real):
    reader = Reader(real["files"])
    reader.fetched.clear()
    got = reader.search("委託先")
    man = reader.manifest
    buckets = {ss.fnv1a(g) & (man["buckets"] - 1) for g in ("委託", "託先")}
    with_hits = {i // man["block"] for i in got.ids}
    expected = {f"f/{b}.json" for b in with_hits} | {f"p/{b}/{h}.bin" for b in range(man["blocks"]) for h in buckets}
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
    assert cover("委託先") == [("委託", 0), ("託先", 1)]
    assert cover("個人番号") == [("個人", 0), ("番号", 2)]
    assert cover("個人番号カード") == [("個人", 0), ("番号", 2), ("カー", 4), ("ード", 5)]
    assert cover("委") == [("委", 0)] and cover("委託") == [("委託", 0)] and cover("") == []
    for term in ("情報提供ネットワークシステム", "ab", "abcde", "abcdef"):
        covered = set()
        for g, off in cover(term):
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
    check_against_index(docs, tmp_path / "ix")  # same documents: fine
    changed = [dict(d) for d in docs]
    changed[0]["hash"] = "0" * 32
    with pytest.raises(ValueError, match="一致しません"):
        check_against_index(changed, tmp_path / "ix")


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
    reader = Reader(times20_small)
    assert reader.manifest["blocks"] > 10
    for q in ("委託先", "個人番号カード", "委"):
        assert sorted(reader.search(q).keys) == truth(times20, q)


# ---- the fast export writes the same bytes as the character-by-character original ------------------
#
# hyoka.sitesearch computes postings with C-level builtins and caches them by content (see the comment
# above `_text_postings`).  The reference below is the export as it was before (commit 0c1e946): its
# posting code kept verbatim, character by character; manifest, facet and metadata files through the
# module's own helpers, which that change did not touch.  The files must be equal byte for byte.


def _reference_block_postings(texts: list[str]) -> tuple[dict[str, list[int]], dict[str, list]]:
    uni: dict[str, list[int]] = {}
    bi: dict[str, list] = {}
    for doc, s in enumerate(texts):
        for c in set(s):
            if c != SEGMENT_SEP:
                uni.setdefault(c, []).append(doc)
        local: dict[str, list[int]] = {}
        for i, g in enumerate(map(str.__add__, s, s[1:])):
            lst = local.get(g)
            if lst is None:
                local[g] = [i]
            else:
                lst.append(i)
        for g, pos in local.items():
            if SEGMENT_SEP not in g:
                lst = bi.get(g)
                if lst is None:
                    bi[g] = [doc, pos]
                else:
                    lst.append(doc)
                    lst.append(pos)
    return uni, bi


def _reference_encode_unigram(docs: list[int]) -> bytes:
    out = bytearray()
    ss._varint(out, len(docs))
    prev = 0
    for d in docs:
        ss._varint(out, d - prev)
        prev = d
    return bytes(out)


def _reference_encode_bigram(lst: list) -> bytes:
    out = bytearray()
    ss._varint(out, len(lst) // 2)
    prev = 0
    for k in range(0, len(lst), 2):
        d, pos = lst[k], lst[k + 1]
        ss._varint(out, d - prev)
        prev = d
        ss._varint(out, len(pos))
        p0 = 0
        for p in pos:
            ss._varint(out, p - p0)
            p0 = p
    return bytes(out)


def reference_export(docs, block_docs=ss.BLOCK_DOCS, buckets=ss.BUCKETS, meta_docs=ss.META_DOCS, block_chars=ss.BLOCK_CHARS):
    """ss.export as of commit 0c1e946 (slow: a Python statement per character), with the block bounds of
    ss._blocks (anchored: test_block_bounds_*)."""
    import hashlib

    files: dict[str, bytes] = {}
    company_labels = ss._company_labels(docs)
    texts = [normalize(d["content"]) for d in docs]
    blocks = ss._blocks([(d["key"], len(d["content"])) for d in docs], block_docs, block_chars)
    for b, (start, end) in enumerate(blocks):
        part = docs[start:end]
        uni, bi = _reference_block_postings(texts[start:end])
        per_bucket: list[list[tuple[str, bytes]]] = [[] for _ in range(buckets)]
        for grams, enc in ((uni, _reference_encode_unigram), (bi, _reference_encode_bigram)):
            for g, lst in grams.items():
                per_bucket[ss.fnv1a(g) & (buckets - 1)].append((g, enc(lst)))
        for h, entries in enumerate(per_bucket):
            files[f"p/{b}/{h}.bin"] = ss._shard(entries)
        pages = ss._meta_pages(part, meta_docs)
        for k, first in enumerate(pages):
            files[f"m/{b}/{k}.json"] = ss._meta_file(part[first : pages[k + 1] if k + 1 < len(pages) else len(part)])
        files[f"f/{b}.json"] = ss._facet_file(part, company_labels, pages)
    version = hashlib.sha256("".join(d["hash"] for d in docs).encode() + f"{block_docs}/{block_chars}/{buckets}/{meta_docs}/{ss.META_BYTES}".encode()).hexdigest()[:12]
    files["manifest.json"] = ss._json({
        "format": ss.FORMAT_VERSION, "version": version, "docs": len(docs), "block": block_docs, "buckets": buckets,
        "blocks": len(blocks), "hash": "fnv1a32-utf8",
        "facets": ss.manifest_facets(),
    })
    return files


def _clear_caches():
    ss._BLOCK_CACHE.clear()
    ss._GRAMS.clear()
    ss._HASHES.clear()


def assert_same_files(got: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(expected)
    differ = [p for p in expected if got[p] != expected[p]]
    assert not differ, differ[:10]


@pytest.mark.parametrize("layout", [{}, {"block_docs": 256, "buckets": 32, "meta_docs": 16}, SMALL])
def test_export_bytes_equal_the_reference(real, layout):
    """Real content + page fixtures, in the default layout (one block) and two with many blocks."""
    expected = reference_export(real["docs"], **layout)
    if not layout:
        assert_same_files(real["files"], expected)
    _clear_caches()
    assert_same_files(ss.export(real["docs"], **layout), expected)  # cold …
    assert_same_files(ss.export(real["docs"], **layout), expected)  # … and from the cache


def _hostile_docs() -> list[dict]:
    """Texts the real content has few of: segment separators everywhere, runs of one character
    (overlapping repeats), positions past one and two varint bytes (≥ 128, ≥ 16,384), document gaps
    ≥ 128, the varint table's first size (4,096) crossed, empty and one-character texts, identical
    texts, astral characters."""
    import random

    rnd = random.Random(20251123)
    alphabet = "委託先再保管期間あいうab12" + SEGMENT_SEP + "𠮷"
    texts = ["", "委", SEGMENT_SEP, SEGMENT_SEP * 3, "ああああ", "ab" * 300, "委" + SEGMENT_SEP + "託",
             "委託" * 2500 + SEGMENT_SEP + "委託先" * 6000, "𠮷野家𠮷", "x" * 20000 + "委託"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.choice((2, 5, 40, 300, 5000)))) for _ in range(400)]
    texts += ["委託"] * 300  # a run of identical texts (computed once)
    rnd.shuffle(texts)
    return [{"key": f"k{i}", "hash": f"h{i}", "aid": f"a{i % 7}", "city": f"{i % 3}", "city_name": "市", "title": "t",
             "form": "様式2", "form_version": "", "kind": "basic", "kind_label": "k", "part_title": "", "label": "",
             "answer": "", "url": "", "content": t, "section": "Ⅰ", "retention": "", "company": "", "extra": ""}
            for i, t in enumerate(texts)]


@pytest.mark.parametrize("layout", [{}, {"block_docs": 64, "buckets": 8, "block_chars": 20_000}])
def test_export_bytes_equal_the_reference_on_hostile_texts(layout):
    docs = _hostile_docs()
    expected = reference_export(docs, **layout)
    _clear_caches()
    assert_same_files(ss.export(docs, **layout), expected)
    assert_same_files(ss.export(docs, **layout), expected)


def _edited(docs: list[dict]) -> list[dict]:
    """Changed, removed and added documents."""
    docs = [dict(d) for d in docs]
    docs[3]["content"] += "（追記）委託先"
    docs[3]["hash"] += "-edited"
    docs[100]["content"] = docs[100]["content"].replace("委託", "再委託")
    docs[100]["hash"] += "-edited"
    del docs[50]
    docs.insert(7, {**docs[8], "key": docs[8]["key"] + "-new", "hash": "new",
                    "content": "新しい項目" + SEGMENT_SEP + "委託先"})
    return docs


def test_export_cache_follows_the_corpus(real):
    """A rebuild after edits (changed, removed and added documents) writes what a fresh export
    writes, encoding only the blocks of the edits (in memory, without a disk cache); the collector is back on."""
    import gc

    docs = [dict(d) for d in real["docs"]]
    layout = {"block_docs": 256, "buckets": 32}
    first = ss.export(docs, **layout)
    st = ss.ExportStats()
    again = dict(ss.export_files([dict(d) for d in docs], **layout, stats=st))
    assert st.encoded == 0 and st.blocks > 5  # nothing changed: nothing encoded
    assert all(again[p] is first[p] for p in first if p != "manifest.json")
    docs = _edited(docs)
    st = ss.ExportStats()
    warm = dict(ss.export_files(docs, **layout, stats=st))
    assert 1 <= st.encoded <= 2, st  # the edits are all in the first two blocks
    assert (st.docs, st.files, st.bytes) == (len(docs), len(warm), sum(map(len, warm.values())))
    assert gc.isenabled()
    _clear_caches()
    assert_same_files(warm, ss.export(docs, **layout))
    assert_same_files(warm, reference_export(docs, **layout))


def test_disk_cache_reencodes_only_the_changed_blocks(real, tmp_path):
    """With a disk cache (hyoka.cache, kind siteblock) a new process encodes only the blocks whose
    documents changed and writes the bytes of a clean export; what it did not use is swept."""
    from hyoka.cache import DocCache

    layout = {"block_docs": 256, "buckets": 32, "meta_docs": 16}
    docs = [dict(d) for d in real["docs"]]
    cold = DocCache(tmp_path / "c", version="v1")
    st = ss.ExportStats()
    first = dict(ss.export_files(docs, **layout, cache=cold, stats=st))
    assert st.encoded == st.blocks > 5 and cold.misses("siteblock") == st.blocks and cold.hits("siteblock") == 0
    _clear_caches()  # a new process
    warm = DocCache(tmp_path / "c", version="v1")
    st = ss.ExportStats()
    assert dict(ss.export_files(docs, **layout, cache=warm, stats=st)) == first
    assert st.encoded == 0 and warm.hits("siteblock") == st.blocks
    assert not ss._BLOCK_CACHE  # with a disk cache nothing is held in memory
    edited = _edited(docs)
    warm = DocCache(tmp_path / "c", version="v1")
    st = ss.ExportStats()
    rebuilt = dict(ss.export_files(edited, **layout, cache=warm, stats=st))
    assert 1 <= st.encoded <= 2 and warm.misses("siteblock") == st.encoded and warm.hits("siteblock") == st.blocks - st.encoded
    _clear_caches()
    assert_same_files(rebuilt, ss.export(edited, **layout))
    assert_same_files(rebuilt, reference_export(edited, **layout))
    assert warm.sweep() == st.encoded  # the entries of the blocks before the edit
    # another layout, other company labels: other entries, never the cached ones
    other = DocCache(tmp_path / "c", version="v1")
    assert_same_files(ss.export(edited, **{**layout, "meta_docs": 8}, cache=other), reference_export(edited, **{**layout, "meta_docs": 8}))
    assert other.hits("siteblock") == 0


def test_damaged_block_entries_are_not_used(real, tmp_path):
    """A truncated, edited or forged entry (right check digest, wrong shape) is a miss and written again."""
    from hyoka.cache import FORMAT, DocCache, _check

    layout = {"block_docs": 256, "buckets": 32, "meta_docs": 16}
    docs = real["docs"]
    expected = reference_export(docs, **layout)
    ss.export(docs, **layout, cache=DocCache(tmp_path / "c", version="v1"))
    entries = sorted((tmp_path / "c" / "v-v1" / "siteblock").rglob("*.json"))
    assert len(entries) > 5
    entries[0].write_bytes(entries[0].read_bytes()[:-10])  # truncated
    data = bytearray(entries[1].read_bytes())
    data[-5] ^= 1  # one bit
    entries[1].write_bytes(bytes(data))
    head, _, payload = entries[2].read_bytes().partition(b"\n")
    sizes, _, body = payload.partition(b"\n")
    forged = json.loads(sizes)
    forged["p"] = forged["p"][:-1]  # a bucket short, the check digest recomputed
    forged_payload = json.dumps(forged).encode() + b"\n" + body
    h = json.loads(head)
    assert h["format"] == FORMAT
    h["check"] = _check(forged_payload)
    entries[2].write_bytes(json.dumps(h).encode() + b"\n" + forged_payload)
    _clear_caches()
    again = DocCache(tmp_path / "c", version="v1")
    assert_same_files(ss.export(docs, **layout, cache=again), expected)
    assert again.misses("siteblock") == 3
    third = DocCache(tmp_path / "c", version="v1")
    ss.export(docs, **layout, cache=third)
    assert third.misses("siteblock") == 0  # written again, whole


def _block_keys(keys, lengths, **layout):
    return {(keys[s], keys[e - 1]) for s, e in ss._blocks(zip(keys, lengths), **layout)}


def test_block_bounds_respect_the_limits():
    import random

    rnd = random.Random(7)
    keys = [f"d{i}" for i in range(20_000)]
    lengths = [rnd.choice((0, 3, 40, 300, 2_000, 30_000)) for _ in keys]
    lengths[100] = 500_000  # longer than a block: a block of its own
    for block_docs, block_chars in ((16384, 200_000), (256, 2_000_000), (64, 20_000)):
        blocks = ss._blocks(zip(keys, lengths), block_docs, block_chars)
        assert blocks[0][0] == 0 and blocks[-1][1] == len(keys) and all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
        fills = []
        for s, e in blocks:
            chars = sum(lengths[s:e])
            assert e - s <= block_docs and (chars <= block_chars or e - s == 1)
            fills.append(max(chars / block_chars, (e - s) / block_docs))
        assert sum(fills[:-1]) / (len(fills) - 1) > 0.3  # about 0.45 full on average (ss._blocks)


@pytest.mark.parametrize("layout", [{"block_docs": 16384, "block_chars": 200_000}, {"block_docs": 64, "block_chars": 10**9}])
def test_block_bounds_are_stable_under_one_edit(layout):
    """One document longer, shorter, removed or added changes at most the blocks around it (the greedy
    rule of before moved every later bound); over 200 random edits of about 200 blocks."""
    import random

    rnd = random.Random(11)
    keys = [f"d{i}" for i in range(8_000)]
    lengths = [rnd.choice((3, 40, 300, 2_000, 8_000)) for _ in keys]
    before = _block_keys(keys, lengths, **layout)
    assert len(before) > 150
    changed = []
    for trial in range(200):
        k, ls = list(keys), list(lengths)
        i = rnd.randrange(len(k))
        edit = trial % 4
        if edit == 0:
            ls[i] += rnd.choice((1, 50, 2_000))
        elif edit == 1:
            ls[i] = max(0, ls[i] - rnd.choice((1, 50, 2_000)))
        elif edit == 2:
            del k[i], ls[i]
        else:
            k.insert(i, f"new{trial}")
            ls.insert(i, rnd.choice((3, 300, 2_000)))
        changed.append(len(_block_keys(k, ls, **layout) - before))
    assert max(changed) <= 4 and sum(changed) / len(changed) <= 1, sorted(changed)[-10:]


def _relevance_from_documents(docs, q, hits):
    """The relevance order (README "Searching (in the browser)") computed from the documents themselves,
    not from the index: str.find on the normalised text."""
    from hyoka_search.query import parse_query

    terms = parse_query(q).terms
    keys = set(hits)
    out = []
    for i, d in enumerate(docs):
        if d["key"] not in keys:
            continue
        s = normalize(d["content"])
        h = ss.head_length(d, s)
        head, covered = 2, 0
        for t in terms:
            p = s.find(t)
            if p < 0:
                continue
            covered += len(t)
            if len(t) == 1:
                continue  # no positions for one character
            if p == 0 and len(t) == h:
                head = 0
            elif p < h:
                head = min(head, 1)
        out.append((1 if d["kind"] in ss.LATE_KINDS else 0, head, -(covered / len(s)), i))
    return [d for *_, d in sorted(out)]


def _index_of_id(docs, block_docs=ss.BLOCK_DOCS, block_chars=ss.BLOCK_CHARS, **_) -> dict[int, int]:
    """Document id (block × B + place in the block) → place in `docs`."""
    blocks = ss._blocks([(d["key"], len(d["content"])) for d in docs], block_docs, block_chars)
    return {b * block_docs + i - s: i for b, (s, e) in enumerate(blocks) for i in range(s, e)}


@pytest.mark.parametrize("q", ["5年", "委託先", "再委託 OR 保管期間", "委 -再委託", "個人番号カード", "補足", '"株式会社 ミラボ"'])
@pytest.mark.parametrize("layout", [{}, {"block_docs": 256, "buckets": 32, "meta_docs": 16}])
def test_relevance_order_as_defined(real, q, layout):
    """The reader's relevance order (the browser's, checked in chromium) is the README's definition."""
    hits = whoosh_keys(real["ix"], q)
    reader = real["reader"] if not layout else Reader(ss.export(real["docs"], **layout))
    got = reader.search(q)
    assert sorted(got.ranked) == got.ids and len(got.ids) == len(hits)
    index_of = _index_of_id(real["docs"], **layout)
    ranked = [index_of[i] for i in got.ranked]
    assert ranked == _relevance_from_documents(real["docs"], q, hits)
    if q == "5年":  # the form's answer 「5年」 before dates; 変更箇所 rows and notes last
        first = real["docs"][ranked[0]]
        assert (first["label"], first["answer"]) == ("②保管期間", "5年")
        kinds = [real["docs"][i]["kind"] for i in ranked]
        late = [k in ss.LATE_KINDS for k in kinds]
        assert late == sorted(late) and any(late)


def test_rank_columns(real):
    import json

    fac = json.loads(real["files"]["f/0.json"])
    n = fac["n"]
    from sitesearch_reader import rank_columns

    rk = {**fac["rank"], **rank_columns(fac["rank"])}
    assert len(rk["len"]) == len(rk["head"]) == n
    docs = real["docs"][:n]
    assert rk["len"] == [len(normalize(d["content"])) for d in docs]
    assert all(0 <= h <= m for h, m in zip(rk["head"], rk["len"]))
    assert rk["late"] == [i for i, d in enumerate(docs) if d["kind"] in ("change", "note", "finding")]
    by_key = {d["key"]: h for d, h in zip(docs, rk["head"])}
    ret = next(d for d in docs if d["label"] == "②保管期間" and d["answer"])
    assert by_key[ret["key"]] == len(normalize(ret["answer"]))  # the answer is the heading
    text_only = next(d for d in docs if d["kind"] == "cover" and not d["answer"])
    assert by_key[text_only["key"]] == 0  # a value with no label in its text: no heading
    # numbers too large for one character go to `big`
    long = [dict(docs[0], key="long", content="あ" * 70_000, kind="file", label="", answer=""),
            dict(docs[0], key="short", content="い" * 5, kind="note", label="", answer="")]
    col = json.loads(ss._facet_file(long, {}, [0]))["rank"]
    assert col["big"] == {"len": [[0, 70_000]], "head": [[0, 70_000]]}
    assert rank_columns(col) == {"len": [70_000, 5], "head": [70_000, 0]} and col["late"] == [1]
