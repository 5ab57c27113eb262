"""MkDocs renders every page's Markdown before it writes any page, so it would hold the HTML of the whole site
at once (issue 18).  The plugin parks each generated page's HTML in the build's work folder and puts it back
into the theme's output (plugins/plugin.py `_hold`/`_release`), and packs each written page's anchor ids
(`AnchorIds`).  The site must be exactly what MkDocs makes without either, and MkDocs' check of links to
anchors must still tell a missing anchor from a present one.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from hyoka_mkdocs.plugin import AnchorIds

REPO = Path(__file__).resolve().parents[1]
DOC = "kazo/kazo-yobosesshu-juten"


def _project(root: Path, *, atomic: bool, extra_page: str | None = None) -> Path:
    root.mkdir(parents=True)
    for name in ("docs", "site_config", "content"):
        shutil.copytree(REPO / name, root / name)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      progress_every: 200\n" in text
    opts = "      progress_every: 200\n      cache_dir: ''\n" + ("" if atomic else "      atomic: false\n")
    text = text.replace("      progress_every: 200\n", opts) + "validation:\n  anchors: warn\n"
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    if extra_page is not None:
        (root / "docs" / "links.md").write_text(extra_page, encoding="utf-8")
    return root


def _build(root: Path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    cfg = load_config(str(root / "mkdocs.yml"))
    build(cfg)
    return cfg.plugins["hyoka"], root / "site"  # (the live site: a published build switches it to its new folder)


def _files(site: Path) -> dict[str, bytes]:
    site = site.resolve()
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_parked_pages_make_the_same_site_as_pages_held_in_memory(tmp_path):
    parked, parked_site = _build(_project(tmp_path / "parked", atomic=True))
    n_parked = parked.held_pages  # (read at once: MkDocs may hand the next build the same plugin object)
    held, held_site = _build(_project(tmp_path / "held", atomic=False))
    assert n_parked >= 20 and held.held_pages == 0  # the first parked every generated page, the second none
    a, b = _files(parked_site), _files(held_site)
    assert a.keys() == b.keys()
    differ = [k for k in a if a[k] != b[k]]
    assert differ == [], differ
    page = a[f"{DOC}/index.html"].decode("utf-8")
    assert "hyoka:held-content" not in page and page.count("<h1") == 1  # the theme added no second title
    assert not list((tmp_path / "parked").glob("**/held-html/**/*.html"))  # nothing left parked


def test_generated_files_are_written_by_the_plugin_and_links_to_them_still_work(tmp_path):
    """The JSON twins, per-document files and the browser index (most of a site's files) are not MkDocs files:
    MkDocs would keep a File object of each until the build ends.  The plugin writes them, the same bytes in a
    published build (moved from the work folder) and a non-atomic one (written from memory); the open-data
    tables that pages' Markdown links to stay MkDocs files, so those links are rewritten for the page's URL."""
    import re

    plugin, site = _build(_project(tmp_path / "p", atomic=True))
    written, handed = plugin.written_assets, plugin.mkdocs_files
    other, other_site = _build(_project(tmp_path / "q", atomic=False))
    files = _files(site)
    assert files == _files(other_site)
    assert other.written_assets == written
    generated = [k for k in files if not k.endswith((".html", ".xml", ".xml.gz", ".css", ".js"))]
    assert written >= len(generated) - 20 and written > 500  # (the exceptions: the linked tables, docs/ images …)
    assert handed < len(files) - written
    assert f"{DOC}/index.json" in files and "search-index/manifest.json" in files
    page = files["compare/contractors/index.html"].decode("utf-8")
    hrefs = re.findall(r'href="([^"#]+\.csv)"', page)
    assert hrefs, "the contractors page links its CSV"
    for href in hrefs:  # relative to the page's URL compare/contractors/
        assert (site.resolve() / "compare" / "contractors" / href).resolve().is_file(), href


def test_links_to_anchors_of_written_pages_are_still_checked(tmp_path, caplog):
    page = f"[ある]({DOC}.md#summary) [ない]({DOC}.md#no-such-anchor-here)\n"
    root = _project(tmp_path / "p", atomic=True, extra_page=page)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        plugin, _ = _build(root)
    assert plugin.held_pages >= 20
    warned = [r.getMessage() for r in caplog.records if "anchor" in r.getMessage()]
    assert any("no-such-anchor-here" in m for m in warned), warned
    assert not any("#summary" in m for m in warned), warned


@pytest.mark.parametrize("ids", [set(), {"a"}, {"top", "ii-1-kihon", "files-1-basics-persons", "ファイル"}])
def test_packed_anchor_ids_answer_as_the_set(ids):
    packed = AnchorIds(ids)
    assert len(packed) == len(ids) and set(packed) == ids
    for probe in ids | {"", "b", "to", "op", "top-", "a\0b", "\0"}:
        assert (probe in packed) == (probe in ids), probe
