"""The per-document disk cache (hyoka.cache): a rebuild recomputes only what changed, and a cached build
is byte for byte the build without a cache; a corrupt, foreign or other-version entry is never used."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from hyoka import cache as C
from hyoka import loader
from hyoka.views import pagecache
from hyoka.documents import corpus_documents
from hyoka.export import Rows
from hyoka.findings import run_rules
from hyoka.loader import load_corpus
from hyoka.site import SiteContext

REPO = Path(__file__).resolve().parents[1]
CHANGED = "kazo/kazo-yobosesshu-juten.yaml"  # an assessment no council record links to
TITLE = "  title: 予防接種に関する事務　重点項目評価書\n"
STEPS = ("load", "findings", "docs", "rows", "page")


def _project(root: Path, cache_dir: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "site_config", "content"):
        shutil.copytree(REPO / name, root / name)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if cache_dir is not None:
        assert "      progress_every: 200\n" in text
        text = text.replace("      progress_every: 200\n", f"      progress_every: 200\n      cache_dir: '{cache_dir}'\n")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def _fresh_process() -> None:
    """What a new `mkdocs build` process starts with: no in-memory cache of parsed documents or pages."""
    loader._DOC_CACHE.clear()
    pagecache._PAGE_CACHE.clear()


def _build(root: Path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _fresh_process()
    cfg = load_config(str(root / "mkdocs.yml"), strict=True)
    build(cfg)
    return cfg.plugins["hyoka"]


def _files(site: Path) -> dict[str, bytes]:
    site = site.resolve()
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert TITLE in text
    path.write_text(text.replace(TITLE, TITLE.rstrip("\n") + "（改訂）\n"), encoding="utf-8")


def test_rebuild_recomputes_only_the_changed_document_and_equals_a_build_without_cache(tmp_path):
    cached = _project(tmp_path / "cached")
    first = _build(cached)
    n_docs = len(list((cached / "content").rglob("*.yaml")))
    assert first.cache.misses("load") == n_docs and first.cache.hits("load") == 0  # cold: everything computed
    assert (cached / ".hyoka-cache").is_dir()
    cold_blocks = first.cache.misses("siteblock")  # (the next build replaces first.cache: one plugin object)

    _edit(cached / "content" / CHANGED)
    again = _build(cached)  # a new process (in-memory caches cleared), the disk cache warm
    st = again.cache
    assert {k: st.misses(k) for k in STEPS} == {k: 1 for k in STEPS}, st.summary()  # the edited document only
    assert st.hits("load") == n_docs - 1 and st.hits("page") == n_docs - 1
    # the assessments (findings and rows are per assessment); rows are read by one Rows per build
    # (hyoka.export.Rows.of), which the municipality, compare and data views share
    assert st.hits("findings") == 7 - 1 and st.hits("rows") == 7 - 1
    # the in-browser search index: only the block(s) of the edited assessment's documents are encoded again
    blocks = json.loads((cached / "site" / "search-index" / "manifest.json").read_bytes())["blocks"]
    assert cold_blocks == blocks >= 2
    assert st.misses("siteblock") == 1 and st.hits("siteblock") == blocks - 1, st.summary()
    page = (cached / "site" / "kazo" / "kazo-yobosesshu-juten" / "index.html").read_text(encoding="utf-8")
    assert "予防接種に関する事務　重点項目評価書（改訂）" in page

    clean = _project(tmp_path / "clean", cache_dir="")
    _edit(clean / "content" / CHANGED)
    nothing = _build(clean)
    assert nothing.cache is None and not (clean / ".hyoka-cache").exists()
    a, b = _files(cached / "site"), _files(clean / "site")
    assert a.keys() == b.keys()
    # Nothing is excluded: MkDocs' sitemap.xml(.gz) carries the build's date, equal within one day.
    differ = [p for p in a if a[p] != b[p]]
    assert differ == [], differ[:20]


def _steps(content: Path, site_config: Path, cache: C.DocCache | None):
    """The per-document steps of a build, as the plugin runs them: load, findings, index documents, rows."""
    corpus = load_corpus(content, site_config, cache=cache)
    assert corpus.problems == []
    found = run_rules(corpus.assessments, today=dt.date(2026, 12, 1), cache=corpus.cache)
    docs = corpus_documents(corpus, corpus.site_config.companies, found)
    rows = Rows(corpus, SiteContext(site_config_dir=str(site_config)), findings=found)
    tables = {t: rows.table(t) for t in ("entrustments", "retention", "answers", "changes", "findings")}
    return [d.model_dump_json() for d in [*corpus.assessments, *corpus.council_records]], found, docs, tables


@pytest.fixture()
def copy(tmp_path):
    root = tmp_path / "p"
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, root / name)
    return root


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / kind).rglob("*.json"))


def test_corrupt_and_foreign_entries_are_ignored_and_rewritten(copy):
    _fresh_process()
    plain = _steps(copy / "content", copy / "site_config", None)
    _fresh_process()
    cache = C.DocCache(copy / ".hyoka-cache")
    assert _steps(copy / "content", copy / "site_config", cache) == plain
    folder = cache.folder
    damaged = 0
    for kind in ("load", "findings", "docs", "rows"):
        files = _entries(folder, kind)
        assert len(files) >= 7, kind
        files[0].write_bytes(files[0].read_bytes()[:-40])  # truncated
        files[1].write_bytes(b"\x00\xffnot json at all")  # garbage
        files[2].write_bytes(files[3].read_bytes())  # another document's entry under this key: foreign
        head, _, payload = files[4].read_bytes().partition(b"\n")
        files[4].write_bytes(head + b"\n" + payload + b" ")  # edited payload: its check fails
        damaged += 4
    _fresh_process()
    again = C.DocCache(copy / ".hyoka-cache")
    assert _steps(copy / "content", copy / "site_config", again) == plain  # the damaged entries were not used
    assert sum(again.misses(k) for k in STEPS) == damaged
    _fresh_process()
    third = C.DocCache(copy / ".hyoka-cache")
    assert _steps(copy / "content", copy / "site_config", third) == plain
    assert sum(third.misses(k) for k in STEPS) == 0  # rewritten whole


def test_a_cached_model_is_validated_again(copy):
    """An entry with a correct header and check but a document the model refuses is not used."""
    _fresh_process()
    plain = _steps(copy / "content", copy / "site_config", None)
    _fresh_process()
    cache = C.DocCache(copy / ".hyoka-cache")
    _steps(copy / "content", copy / "site_config", cache)
    forged = 0
    for f in _entries(cache.folder, "load"):
        head, _, payload = f.read_bytes().partition(b"\n")
        meta_line, _, model = payload.partition(b"\n")
        if b'"status":"' not in model:
            continue
        data = json.loads(model)
        data["status"] = "<script>alert(1)</script>"  # not one of the form's choices
        bad = meta_line + b"\n" + json.dumps(data, ensure_ascii=False).encode("utf-8")
        h = json.loads(head)
        h["check"] = C._check(bad)
        f.write_bytes(json.dumps(h).encode("ascii") + b"\n" + bad)
        forged += 1
    assert forged >= 5
    _fresh_process()
    again = C.DocCache(copy / ".hyoka-cache")
    assert _steps(copy / "content", copy / "site_config", again) == plain
    assert again.misses("load") == forged


def test_a_code_version_bump_invalidates(copy, tmp_path):
    _fresh_process()
    a = C.DocCache(copy / ".hyoka-cache", version="aaaaaaaaaaaaaaaaaaaa")
    _steps(copy / "content", copy / "site_config", a)
    _fresh_process()
    b = C.DocCache(copy / ".hyoka-cache", version="bbbbbbbbbbbbbbbbbbbb")
    _steps(copy / "content", copy / "site_config", b)
    assert all(b.hits(k) == 0 for k in STEPS) and b.misses("load") == 10
    # The version is a digest of the package: editing any of its files (code or template) changes it.
    pkg = tmp_path / "pkg"
    shutil.copytree(REPO / "hyoka", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    v1 = C.code_version(pkg)
    assert C.code_version(pkg) == v1
    tpl = next(pkg.glob("templates/*"))
    tpl.write_bytes(tpl.read_bytes() + b"\n")
    assert C.code_version(pkg) != v1
    assert C.current_version() == C.code_version(REPO / "hyoka")
    # After a build, sweep drops the other versions and whatever this build did not use.
    (b.folder / "page" / "00").mkdir(parents=True)
    (b.folder / "page" / "00" / ("0" * 40 + ".json")).write_bytes(b"old")
    b.sweep(kinds=[*STEPS])
    assert not a.folder.exists() and b.folder.exists()
    assert not (b.folder / "page" / "00" / ("0" * 40 + ".json")).exists()
    _fresh_process()
    c = C.DocCache(copy / ".hyoka-cache", version="bbbbbbbbbbbbbbbbbbbb")
    _steps(copy / "content", copy / "site_config", c)
    assert sum(c.misses(k) for k in STEPS) == 0  # what the build used is kept


def test_problems_are_cached_with_their_messages(copy):
    bad = copy / "content" / "kazo" / "kazo-yobosesshu-juten.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("form: 様式3", "form: 様式9", 1), encoding="utf-8")
    _fresh_process()
    first = [str(p) for p in load_corpus(copy / "content", copy / "site_config", cache=C.DocCache(copy / ".hyoka-cache")).problems]
    assert first and all(p.startswith("content/kazo/kazo-yobosesshu-juten.yaml:") for p in first), first
    _fresh_process()
    cache = C.DocCache(copy / ".hyoka-cache")
    assert [str(p) for p in load_corpus(copy / "content", copy / "site_config", cache=cache).problems] == first
    assert cache.misses("load") == 0


def test_the_cache_never_writes_outside_the_project(tmp_path):
    project = tmp_path / "project"
    outside = tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (project / ".hyoka-cache").symlink_to(outside)
    assert C.DocCache.for_project(project) is None  # a link out of the project: no cache
    (project / ".hyoka-cache").unlink()
    cache = C.DocCache.for_project(project)
    (project / ".hyoka-cache").mkdir()
    cache.folder.symlink_to(outside)  # a version folder that leads out
    cache.put("findings", cache.key("findings", "x"), [])
    assert cache.write_error and list(outside.iterdir()) == []
    with pytest.raises(ValueError):
        cache.put("findings", "../../../x", [])
    with pytest.raises(ValueError):
        cache.put("../x", "0" * 40, [])


def _shape(m, path: str = "") -> list:
    """Every sub-model with the fields it was given (model_fields_set: hyoka.formkeys tells a blank answer by it)."""
    from pydantic import BaseModel

    out = []
    if isinstance(m, BaseModel):
        out.append((path, type(m).__name__, sorted(m.model_fields_set)))
        for k in type(m).model_fields:
            out += _shape(getattr(m, k), f"{path}.{k}")
    elif isinstance(m, list):
        for i, v in enumerate(m):
            out += _shape(v, f"{path}[{i}]")
    return out


def test_a_model_from_the_cache_is_the_parsed_model(copy):
    """Equal values, equal JSON and the same fields given at every level, for every real document."""
    _fresh_process()
    parsed = load_corpus(copy / "content", copy / "site_config", cache=C.DocCache(copy / ".hyoka-cache"))
    _fresh_process()
    cache = C.DocCache(copy / ".hyoka-cache")
    cached = load_corpus(copy / "content", copy / "site_config", cache=cache)
    assert cache.hits("load") == 10 and cache.misses("load") == 0
    for a, b in zip([*parsed.assessments, *parsed.council_records], [*cached.assessments, *cached.council_records], strict=True):
        assert a is not b and a == b
        assert a.model_dump_json() == b.model_dump_json()
        assert _shape(a) == _shape(b)
    assert cached.paths == parsed.paths and cache.digests == parsed.cache.digests
