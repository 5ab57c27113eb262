"""Atomic publishing end to end: a real `mkdocs build` killed with SIGKILL, a failing build and two builds at
once leave a whole, searchable site and index."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitebuild import two_document_project

REPO = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
HYOKA = [sys.executable, "-m", "hyoka_search.cli"]  # the `hyoka` console script


@pytest.fixture()
def project(tmp_path) -> Path:
    """A project with two small assessments (the loader fixture, twice)."""
    return two_document_project(tmp_path)


def build(root: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([*MKDOCS, "build", "--strict"], cwd=root, capture_output=True, text=True, env=env, **kw)


def search(root: Path, q: str) -> str:
    r = subprocess.run([*HYOKA, "search", q, "--no-update", "--format", "json"], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_build_publishes_site_and_index_behind_links(project):
    r = build(project)
    assert r.returncode == 0, r.stderr
    assert (project / "site").is_symlink() and (project / ".hyoka-index").is_symlink()
    assert (project / "site" / "koshigaya" / "minimal" / "index.html").exists()
    assert "株式会社アイネス" in search(project, "アイネス")


def test_invalid_content_leaves_previous_site(project):
    assert build(project).returncode == 0
    before = (project / "site").resolve()
    bad = project / "content" / "koshigaya" / "second.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("period: 20年以上", "period: 30年"), encoding="utf-8")
    r = build(project)
    assert r.returncode != 0 and "「30年」は選択肢にありません" in r.stderr
    assert (project / "site").resolve() == before
    assert (project / "site" / "koshigaya" / "second" / "index.html").exists()
    assert not list((project / ".publish").glob("*.building"))


def test_killed_build_leaves_previous_site_and_index_searchable(project):
    assert build(project).returncode == 0
    before = (project / "site").resolve()
    # a third document makes the next build different; kill it while it writes its new folders
    text = (project / "content" / "koshigaya" / "minimal.yaml").read_text(encoding="utf-8")
    (project / "content" / "koshigaya" / "third.yaml").write_text(text.replace("id: minimal", "id: third"), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([*MKDOCS, "build", "--strict"], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list((project / ".publish").glob("*.building")):
        time.sleep(0.02)
    assert list((project / ".publish").glob("*.building")), "the build never started writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (project / "site").resolve() == before
    assert (project / "site" / "koshigaya" / "minimal" / "index.html").exists()
    assert not (project / "site" / "koshigaya" / "third").exists()
    assert "株式会社アイネス" in search(project, "アイネス")  # the index is the previous, whole one
    r = build(project)  # the next build cleans up and publishes
    assert r.returncode == 0, r.stderr
    assert (project / "site" / "koshigaya" / "third" / "index.html").exists()
    assert not list((project / ".publish").glob("*.building"))


def test_two_builds_at_once_do_not_corrupt_each_other(project):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs = [subprocess.Popen([*MKDOCS, "build", "--strict"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    site = project / "site"
    assert (site / "koshigaya" / "minimal" / "index.html").exists() and (site / "koshigaya" / "second" / "index.html").exists()
    assert "株式会社アイネス" in search(project, "アイネス")


def _index_in_second_process(root: Path) -> None:
    """Have the plugin write the index in a second process for any update (normally from 2,000 documents)."""
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "  - hyoka:\n" in text
    cfg.write_text(text.replace("  - hyoka:\n", "  - hyoka:\n      index_background_min_docs: 0\n", 1), encoding="utf-8")


def _compare_pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted((site / "compare").rglob("*")) if p.is_file()}


def test_index_written_by_a_second_process_gives_the_same_site(project):
    r = build(project)
    assert r.returncode == 0, r.stderr
    assert "別のプロセス" not in r.stderr  # two assessments: written in the build's own process
    inline = _compare_pages(project / "site")
    _index_in_second_process(project)
    shutil.rmtree((project / ".hyoka-index").resolve())  # a fresh index, all of it written by the second process
    r = build(project)
    assert r.returncode == 0, r.stderr
    assert "索引を別のプロセスで作成しています" in r.stderr and "索引 作り直し" in r.stderr
    assert _compare_pages(project / "site") == inline  # the comparison pages read the finished index
    assert "株式会社アイネス" in search(project, "アイネス")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_killed_index_process_fails_the_build_and_keeps_the_live_site(project):
    assert build(project).returncode == 0
    before = (project / "site").resolve()
    shutil.copytree(REPO / "content", project / "content", dirs_exist_ok=True)  # ~1,600 index documents to write
    _index_in_second_process(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([*MKDOCS, "build", "--strict"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.time() + 120
    while killed is None and time.time() < deadline and proc.poll() is None:
        for child in _children(proc.pid):  # an index process
            cmd = Path(f"/proc/{child}/cmdline").read_bytes() if Path(f"/proc/{child}/cmdline").exists() else b""
            if b"hyoka_search.build" in cmd:
                os.kill(child, signal.SIGKILL)  # as the kernel's OOM killer would
                killed = child
        time.sleep(0.01)
    _, err = proc.communicate(timeout=300)
    assert killed, "the index process was never seen"
    assert proc.returncode != 0
    assert "索引を作るプロセスが異常終了しました" in err
    assert (project / "site").resolve() == before  # nothing published
    assert not list((project / ".publish").glob("*.building"))
    assert "株式会社アイネス" in search(project, "アイネス")  # the previous index, whole


def test_a_build_script_without_a_main_guard_builds(project):
    """The index processes never import the caller's script again (multiprocessing's spawn did: the
    script's build ran a second time in each index process and waited for the first build's lock)."""
    _index_in_second_process(project)
    script = project / "build_site.py"
    script.write_text("from mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
                      "build(load_config('mkdocs.yml'))\nprint('built')\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([sys.executable, str(script)], cwd=project, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0 and "built" in r.stdout, r.stderr
    assert len(list((project / ".hyoka-index").resolve().glob("*.seg"))) == 2  # written by the two index processes
    assert "株式会社アイネス" in search(project, "アイネス")


# ---- one switch for site and index; hyoka index publishes; no temporary file left (issue 17) -----------


def _site_docs(root: Path) -> set[str]:
    return {p.parent.name for p in (root / "site" / "koshigaya").glob("*/index.html")}


def _index_docs(root: Path) -> set[str]:
    r = subprocess.run([*HYOKA, "search", "アイネス", "--no-update", "--format", "json", "--limit", "1000"], cwd=root,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    import json

    return {h["permalink"].split("/")[1] for h in json.loads(r.stdout)["hits"] if h["permalink"].startswith("koshigaya/")}


def _agree(root: Path) -> set[str]:
    """Site and index are one build's: the same version folder, the same documents."""
    assert (root / "site").resolve().parent == (root / ".hyoka-index").resolve().parent == (root / ".publish" / "current").resolve()
    docs = _site_docs(root)
    assert docs and _index_docs(root) == docs
    return docs


def test_killed_around_the_publish_step_site_and_index_always_agree(project):
    """SIGKILL at eight moments from the middle of a build to past its end (most of them around the
    publish step, found by timing one build); every build adds or removes a document, so a site from one
    build with the index of another would show."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    t0 = time.monotonic()
    assert build(project).returncode == 0
    took = time.monotonic() - t0
    text = (project / "content" / "koshigaya" / "minimal.yaml").read_text(encoding="utf-8")
    third = project / "content" / "koshigaya" / "third.yaml"
    outcomes = []
    for frac in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1):
        if third.exists():
            third.unlink()
        else:
            third.write_text(text.replace("id: minimal", "id: third"), encoding="utf-8")
        proc = subprocess.Popen([*MKDOCS, "build", "--strict"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(took * frac)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        docs = _agree(project)
        outcomes.append("third" in docs)
    r = build(project)
    assert r.returncode == 0, r.stderr
    assert _agree(project) == ({"minimal", "second", "third"} if third.exists() else {"minimal", "second"})
    assert not [p for p in (project / ".publish").iterdir() if p.name.endswith((".building", ".tmp"))]


def test_hyoka_index_publishes_a_new_version_beside_the_same_site(project, tmp_path_factory):
    assert build(project).returncode == 0
    page = project / "site" / "koshigaya" / "minimal" / "index.html"
    inode = page.stat().st_ino
    version = (project / ".publish" / "current").resolve()
    text = (project / "content" / "koshigaya" / "minimal.yaml").read_text(encoding="utf-8")
    (project / "content" / "koshigaya" / "third.yaml").write_text(text.replace("id: minimal", "id: third"), encoding="utf-8")
    private_tmp = tmp_path_factory.mktemp("systemtmp")
    r = subprocess.run([*HYOKA, "index"], cwd=project, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(private_tmp)})
    assert r.returncode == 0, r.stderr
    assert (project / ".publish" / "current").resolve() != version  # a new version …
    assert version.exists()  # … and the one before is kept for readers that still have it open
    assert page.stat().st_ino == inode  # the site is the same files (hard links), not a copy
    assert (project / "site").resolve().parent == (project / ".hyoka-index").resolve().parent
    assert "third" in _index_docs(project) and "third" not in _site_docs(project)  # the index is new, the site as it was
    assert not list((project / ".hyoka-index").glob("*.tmp")) and not list(private_tmp.iterdir())


def test_killed_hyoka_index_leaves_the_live_index_whole(project):
    assert build(project).returncode == 0
    shutil.copytree(REPO / "content", project / "content", dirs_exist_ok=True)  # a longer index update
    before = (project / ".publish" / "current").resolve()
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen([*HYOKA, "index"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if (project / ".publish" / "current").resolve() == before:  # killed before its switch: nothing changed
            assert _index_docs(project) == _site_docs(project) == {"minimal", "second"}
        assert not list((project / ".hyoka-index").glob("*.tmp")) and not list((project / ".hyoka-index").glob("*.pst"))
    r = subprocess.run([*HYOKA, "index"], cwd=project, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not [p for p in (project / ".publish").iterdir() if p.name.endswith((".building", ".tmp"))]


def test_index_processes_keep_their_task_files_in_the_build_folder(project, tmp_path_factory):
    """The index workers' task files go into the build's own folder under .publish/, not the system's
    temporary folder: a build killed while they run leaves nothing there, and the next build removes it."""
    _index_in_second_process(project)
    private_tmp = tmp_path_factory.mktemp("systemtmp")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(private_tmp)}
    proc = subprocess.Popen([*MKDOCS, "build", "--strict"], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = []
    deadline = time.time() + 120
    while not seen and time.time() < deadline and proc.poll() is None:
        seen = list((project / ".publish").glob("*.building/tmp/hyoka-index-task-*"))
        time.sleep(0.005)
    assert seen, "no index task file was seen in the build folder"
    children = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for c in children:  # the index processes end on their own (their task folder may vanish)
        for _ in range(600):
            if not Path(f"/proc/{c}").exists() or "Z" in Path(f"/proc/{c}/stat").read_text().split(")")[1][:3]:
                break
            time.sleep(0.05)
    assert not list(private_tmp.iterdir())
    r = subprocess.run([*MKDOCS, "build", "--strict"], cwd=project, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert not list((project / ".publish").rglob("hyoka-index-*")) and not list(private_tmp.iterdir())  # task and document files
