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

REPO = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
HYOKA = [sys.executable, "-m", "hyoka.cli"]


@pytest.fixture()
def project(tmp_path) -> Path:
    """A project with two small assessments (the loader fixture, twice)."""
    for name in ("mkdocs.yml", "docs", "site_config"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    text = (REPO / "tests" / "fixtures" / "loader" / "minimal.yaml").read_text(encoding="utf-8")
    for doc_id in ("minimal", "second"):
        d = tmp_path / "content" / "koshigaya"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{doc_id}.yaml").write_text(text.replace("id: minimal", f"id: {doc_id}"), encoding="utf-8")
    return tmp_path


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
