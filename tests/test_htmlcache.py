"""The `html` disk cache (plugins/plugin.py, kind `html` of hyoka.cache): a rebuild hands MkDocs the HTML of every
generated page whose Markdown, URL, config and nav are unchanged instead of rendering it again; the site must be
byte for byte the site of a build without a cache, a change of mkdocs.yml or of the nav must render every page
again, and MkDocs' checks of links to anchors must warn on a rebuild as on the first build."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from hyoka import cache as C
from hyoka import loader
from hyoka.views import pagecache

REPO = Path(__file__).resolve().parents[1]
CHANGED = "kazo/kazo-yobosesshu-juten.yaml"  # an assessment no council record links to
DOC = "kazo/kazo-yobosesshu-juten"
TITLE = "  title: 予防接種に関する事務　重点項目評価書\n"
OPTS = "      progress_every: 200\n"


def _project(root: Path, *, cache_dir: str | None = None, extra_page: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "site_config", "content"):
        shutil.copytree(REPO / name, root / name)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert OPTS in text
    if cache_dir is not None:
        text = text.replace(OPTS, OPTS + f"      cache_dir: '{cache_dir}'\n")
    (root / "mkdocs.yml").write_text(text + "validation:\n  anchors: warn\n", encoding="utf-8")
    if extra_page is not None:
        (root / "docs" / "links.md").write_text(extra_page, encoding="utf-8")
    return root


def _build(root: Path):
    """A new `mkdocs build` process: no in-memory cache of parsed documents or pages, the disk cache as it is."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    loader._DOC_CACHE.clear()
    pagecache._PAGE_CACHE.clear()
    cfg = load_config(str(root / "mkdocs.yml"))
    build(cfg)
    plugin = cfg.plugins["hyoka"]
    return plugin, len(plugin._generated), plugin.cache.hits("html"), plugin.cache.misses("html")


def _files(site: Path) -> dict[str, bytes]:
    site = site.resolve()
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert TITLE in text
    path.write_text(text.replace(TITLE, TITLE.rstrip("\n") + "（改訂）\n"), encoding="utf-8")


def _same_site(a: Path, b: Path) -> None:
    x, y = _files(a), _files(b)
    assert x.keys() == y.keys()
    differ = [p for p in x if x[p] != y[p]]  # (MkDocs' sitemap carries only the date: equal within one day)
    assert differ == [], differ[:20]


def test_a_rebuild_reuses_the_html_of_unchanged_pages_and_equals_a_build_without_cache(tmp_path):
    cached = _project(tmp_path / "cached")
    _, pages, hits, misses = _build(cached)
    assert pages >= 20 and (hits, misses) == (0, pages)  # cold: every generated page rendered
    _, pages2, hits, misses = _build(cached)  # nothing changed: every page from the cache
    assert (pages2, hits, misses) == (pages, pages, 0)

    _edit(cached / "content" / CHANGED)
    plugin, pages3, hits, misses = _build(cached)
    # the edited assessment's page and the pages that show its title (its city, the overviews) are rendered again
    assert pages3 == pages and hits + misses == pages and 1 <= misses <= 12 and hits >= pages - 12, (hits, misses)
    assert plugin.held_pages == pages  # (a cached page's HTML waits on disk like a rendered one)
    page = (cached / "site" / DOC / "index.html").read_text(encoding="utf-8")
    assert "予防接種に関する事務　重点項目評価書（改訂）" in page and "hyoka:held-content" not in page

    clean = _project(tmp_path / "clean", cache_dir="")
    _edit(clean / "content" / CHANGED)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(clean / "mkdocs.yml")))
    assert not (clean / ".hyoka-cache").exists()
    _same_site(cached / "site", clean / "site")


def test_a_change_of_the_config_or_of_the_nav_renders_every_page_again(tmp_path):
    root = _project(tmp_path / "p")
    _, pages, _, _ = _build(root)
    yml = root / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    steps = [
        ("theme palette", text.replace("  font: false", "  palette:\n    primary: indigo\n  font: false", 1)),
        ("site_name", text.replace("site_name: 評価書ポータル", "site_name: 評価書ポータル（試験）", 1)),
        ("nav", text.replace("  - 用語集: glossary/index.md", "  - 用語の説明: glossary/index.md", 1)),
    ]
    for what, changed in steps:
        assert changed != text, what
        yml.write_text(changed, encoding="utf-8")
        _, n, hits, misses = _build(root)
        assert (n, hits, misses) == (pages, 0, pages), what
    yml.write_text(steps[-1][1], encoding="utf-8")
    _, n, hits, misses = _build(root)  # the same config again: the same key
    assert (n, hits, misses) == (pages, pages, 0)


def _anchor_warnings(caplog) -> list[str]:
    return sorted(r.getMessage() for r in caplog.records if "anchor" in r.getMessage())


def test_links_to_anchors_of_cached_pages_warn_on_the_rebuild_as_on_the_first_build(tmp_path, caplog):
    page = f"[ある]({DOC}.md#summary) [ない]({DOC}.md#no-such-anchor-here)\n"
    root = _project(tmp_path / "p", extra_page=page)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        _, pages, hits, misses = _build(root)
    first = _anchor_warnings(caplog)
    assert any("no-such-anchor-here" in m for m in first) and not any("#summary" in m for m in first), first
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        _, _, hits, misses = _build(root)
    assert (hits, misses) == (pages, 0)  # the linked page's HTML (and its anchor ids) came from the cache
    assert _anchor_warnings(caplog) == first


def test_an_entry_whose_linked_files_changed_is_rendered_again(tmp_path):
    """An entry records the files its page's Markdown links resolved to; when one is no longer what it was, the
    page is rendered again (here: entries forged to say a target had another URL)."""
    root = _project(tmp_path / "p")
    plugin, pages, _, _ = _build(root)
    cache = C.DocCache.for_project(root)
    forged = 0
    for entry in sorted((cache.folder / "html").rglob("*.json")):
        key = entry.stem
        facts, html = cache.get_html(key)
        if facts["lookups"]:
            facts["lookups"][0][1] = ["elsewhere/", "INCLUDED"]
            cache.put_html(key, facts, html.decode("utf-8"))
            forged += 1
    assert forged >= 1  # (the data page links to its CSV and JSON files)
    site_before = _files(root / "site")
    _, n, hits, misses = _build(root)
    assert (n, hits, misses) == (pages, pages - forged, forged)
    assert _files(root / "site") == site_before


def test_a_cached_document_page_keeps_its_twin_as_the_text_written_before(tmp_path):
    """The `page` entry holds the twin's JSON text: a page from the cache hands build_outputs that text (EncodedTwin),
    which it writes as it is — the same bytes as the twin encoded from the page's values, and no encoding again."""
    import datetime as dt

    from hyoka.findings import run_rules
    from hyoka.loader import load_corpus
    from hyoka.site import Page, SiteContext
    from hyoka.views import build_outputs

    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, tmp_path / name)

    def build(cache):
        loader._DOC_CACHE.clear()
        pagecache._PAGE_CACHE.clear()
        corpus = load_corpus(tmp_path / "content", tmp_path / "site_config", cache=cache)
        ctx = SiteContext(site_config_dir=str(tmp_path / "site_config"),
                          findings=run_rules(corpus.assessments, today=dt.date(2026, 12, 1), cache=cache))
        return corpus, {o.path: o for o in build_outputs(corpus, ctx)}

    corpus, plain = build(None)  # no disk cache: the twins' plain values
    cold_cache = C.DocCache(tmp_path / "cache")
    _, cold = build(cold_cache)
    warm_cache = C.DocCache(tmp_path / "cache")
    _, warm = build(warm_cache)
    n = len(corpus.assessments) + len(corpus.council_records)
    assert (cold_cache.misses("page"), warm_cache.hits("page"), warm_cache.misses("page")) == (n, n, 0)
    docs = [p for p, o in warm.items() if isinstance(o, Page) and isinstance(o.data, pagecache.EncodedTwin)]
    assert len(docs) == n  # every document page, and only those
    assert not [p for p, o in plain.items() if isinstance(o, Page) and isinstance(o.data, pagecache.EncodedTwin)]
    assert plain.keys() == cold.keys() == warm.keys()
    for path, item in plain.items():  # the same pages and the same twins' bytes, with or without the cache
        if isinstance(item, Page):
            assert item.markdown == cold[path].markdown == warm[path].markdown, path
        else:
            assert item.content == cold[path].content == warm[path].content, path
