"""site_config/ is input (issue 17): a hostile `slug` in municipalities.yaml, against a real `mkdocs build`,
stops the build with the message and writes nothing anywhere — not outside the site, not the site either.
And the one helper every output path goes through (hyoka.safepath) refuses what could leave the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hyoka.safepath import UnsafePath, inside, name_ok, safe_relpath

REPO = Path(__file__).resolve().parents[1]
MUNICIPALITIES = (
    '"112224": {name: 越谷市, prefecture: 埼玉県, slug: koshigaya}\n'
    '"141003": {name: 横浜市, prefecture: 神奈川県, slug: %s}\n'
)
HOSTILE_SLUGS = {
    "dotdot": ("../../../../../x/evil", "「../../../../../x/evil」は URL とフォルダ名に使えません"),
    "empty": ("''", "「」は URL とフォルダ名に使えません"),
    "absolute": ("/abs", "「/abs」は URL とフォルダ名に使えません"),
    "attribute": ("'x\" onmouseover=\"alert(1)\" a=\"'", "「x\" onmouseover=\"alert(1)\" a=\"」は URL とフォルダ名に使えません"),
    "javascript": ("'javascript:alert(1),/x'", "「javascript:alert(1),/x」は URL とフォルダ名に使えません"),
    "duplicate": ("koshigaya", "slug「koshigaya」は 112224 でも使われています"),
    # a site folder: the city's page would be the city picker's (or the open data's) path
    "picker": ("municipalities", "「municipalities」はサイトのページのフォルダ名（assets、compare、data、findings、glossary、municipalities、search、search-index）と同じなので使えません"),
    "data": ("data", "「data」はサイトのページのフォルダ名"),
}


def _snapshot(top: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for n in dirnames + filenames:
            p = Path(dirpath) / n
            st = p.lstat()
            out[str(p.relative_to(top))] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture()
def deep_project(tmp_path) -> Path:
    """A project five folders below tmp_path, so that `../../../../../x` from its site still lands in tmp_path
    (where the test can see it) rather than somewhere on the machine."""
    root = tmp_path / "a" / "b" / "c" / "d" / "e" / "project"
    root.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "site_config"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    (root / "content" / "yokohama").mkdir(parents=True)
    text = (REPO / "tests" / "fixtures" / "loader" / "minimal.yaml").read_text(encoding="utf-8")
    (root / "content" / "yokohama" / "minimal.yaml").write_text(text.replace('municipality: "112224"', 'municipality: "141003"'),
                                                                 encoding="utf-8")
    return root


@pytest.mark.parametrize("case", sorted(HOSTILE_SLUGS))
def test_hostile_slug_stops_a_real_build_and_writes_nothing(deep_project, tmp_path, case):
    slug, message = HOSTILE_SLUGS[case]
    (deep_project / "site_config" / "municipalities.yaml").write_text(MUNICIPALITIES % slug, encoding="utf-8")
    before = _snapshot(tmp_path)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=deep_project, capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "site_config/municipalities.yaml:2:" in r.stderr and message in r.stderr, r.stderr
    after = _snapshot(tmp_path)
    new = sorted(set(after) - set(before))
    # The content file was valid: its parsed model is kept in the project's disk cache (hyoka.cache), which
    # publishes nothing; nothing else but the publication's lock and its (empty) store: no page, no site,
    # nothing outside the project.
    cache = [p for p in new if p.startswith("a/b/c/d/e/project/.hyoka-cache")]
    assert [p for p in cache if p.endswith(".json")] and all("/load/" in p for p in cache if p.endswith(".json")), cache
    new = [p for p in new if p not in cache]
    assert new == ["a/b/c/d/e/project/.publish", "a/b/c/d/e/project/.publish/lock"], new
    assert not (tmp_path / "a" / "x").exists() and not Path("/index.html").exists() and not Path("/abs").exists()
    assert not (deep_project / "site").exists()


def test_a_valid_slug_builds(deep_project):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=deep_project, capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (deep_project / "site" / "yokohama" / "minimal" / "index.html").exists()


def test_every_content_id_and_slug_follows_the_one_rule():
    from hyoka.loader import load_corpus

    corpus = load_corpus(REPO / "content", REPO / "site_config", root=REPO)
    assert not corpus.problems
    names = [m.slug for m in corpus.municipalities.values()] + [d.id for d in [*corpus.assessments, *corpus.council_records]]
    assert names and all(name_ok(n) for n in names)


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/./b", "C:/x", "a\\b", "a\x00b",
                                 "a/ b", 'a"/b', "a/<b>", "javascript:x"])
def test_output_paths_that_could_leave_the_site_are_refused(tmp_path, bad):
    with pytest.raises(UnsafePath):
        safe_relpath(bad)
    with pytest.raises(UnsafePath):
        inside(tmp_path, bad)


def test_output_path_through_a_symlink_out_of_the_site_is_refused(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (site / "evil").symlink_to(tmp_path / "outside")
    assert inside(site, "data/x.json") == (site / "data" / "x.json").resolve()
    with pytest.raises(UnsafePath, match="サイトのフォルダの外"):
        inside(site, "evil/x.json")


def test_generated_output_paths_are_checked(monkeypatch):
    """A generator that tried to write outside the site (e.g. from a slug that escaped validation) fails the
    build in hyoka.site before anything is handed to MkDocs."""
    import types

    from hyoka.loader import load_corpus
    from hyoka.site import Asset
    from hyoka.views import build_outputs

    def evil(corpus, ctx):
        yield Asset("../../evil.txt", b"x")

    corpus = load_corpus(REPO / "tests" / "fixtures" / "loader", REPO / "site_config", root=REPO)
    with pytest.raises(UnsafePath):
        build_outputs(corpus, extra=[types.SimpleNamespace(NAME="evil", generate=evil)])


def test_a_slug_that_escaped_validation_could_not_become_markup_or_a_script_link():
    """Validation refuses these slugs; should one get past it, the links made from it are still escaped
    attribute values and never a `javascript:` URL (checked on the rendered home and municipality pages)."""
    import dataclasses

    from htmlquery import attributes
    from hyoka.loader import load_corpus
    from hyoka.site import SiteContext
    from hyoka.views.home import home_page
    from hyoka.views.municipality import municipality_page
    from hyoka.views.parts import Links

    corpus = load_corpus(REPO / "tests" / "fixtures" / "loader", REPO / "site_config", root=REPO)
    code = corpus.assessments[0].municipality
    for slug in ('x" onmouseover="alert(1)" a="', "javascript:alert(1),/x", "x' onclick='alert(1)"):
        corpus.municipalities = {**corpus.municipalities, code: dataclasses.replace(corpus.municipalities[code], slug=slug)}
        ctx = SiteContext()
        html_pages = [home_page(corpus, ctx).markdown,
                      municipality_page(corpus.municipalities[code], corpus, Links(corpus)).markdown]
        for i, html_text in enumerate(html_pages):
            attrs = attributes(html_text)
            names = {n for n, _ in attrs}
            assert not {n for n in names if n.startswith("on")}, names
            hrefs = [v or "" for n, v in attrs if n == "href"]
            assert hrefs and not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
            if i == 0:
                assert any(slug in h for h in hrefs)  # the home page links to it: as an attribute value, inert
