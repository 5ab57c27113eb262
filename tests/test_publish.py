"""Atomic publishing (core): the live site switches whole, or not at all."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

from hyoka.publish import Publication


def _publish(root: Path, text: str) -> None:
    pub = Publication([root / "site", root / ".idx"], seed_from_live=(root / ".idx",))
    dirs = pub.start()
    (dirs[root / "site"] / "index.html").write_text(text)
    (dirs[root / ".idx"] / "n").write_text(text)
    pub.commit()


def test_commit_switches_site_and_index_together(tmp_path):
    _publish(tmp_path, "v1")
    assert (tmp_path / "site").is_symlink()
    assert (tmp_path / "site" / "index.html").read_text() == "v1"
    _publish(tmp_path, "v2")
    assert (tmp_path / "site" / "index.html").read_text() == "v2"
    assert (tmp_path / ".idx" / "n").read_text() == "v2"


def test_index_starts_as_copy_of_live_for_incremental_updates(tmp_path):
    _publish(tmp_path, "v1")
    pub = Publication([tmp_path / "site", tmp_path / ".idx"], seed_from_live=(tmp_path / ".idx",))
    dirs = pub.start()
    assert (dirs[tmp_path / ".idx"] / "n").read_text() == "v1"
    assert not (dirs[tmp_path / "site"] / "index.html").exists()
    pub.abort()


def test_failed_build_leaves_previous_site(tmp_path):
    _publish(tmp_path, "good")
    pub = Publication([tmp_path / "site"])
    dirs = pub.start()
    (dirs[tmp_path / "site"] / "index.html").write_text("half")
    pub.abort()
    assert (tmp_path / "site" / "index.html").read_text() == "good"
    assert not list((tmp_path / ".publish").glob("*.building"))


def test_plain_folder_is_taken_over_on_first_publication(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old plain")
    _publish(tmp_path, "new")
    assert (tmp_path / "site").is_symlink() and (tmp_path / "site" / "index.html").read_text() == "new"


def _slow_build(root: str) -> None:
    pub = Publication([Path(root) / "site"])
    dirs = pub.start()
    (dirs[Path(root) / "site"] / "index.html").write_text("half-built")
    time.sleep(60)  # killed before commit
    pub.commit()


def test_killed_build_leaves_previous_site_and_next_build_cleans_up(tmp_path):
    _publish(tmp_path, "good")
    proc = multiprocessing.get_context("fork").Process(target=_slow_build, args=(str(tmp_path),))
    proc.start()
    deadline = time.time() + 10
    while not list((tmp_path / ".publish").glob("*.building")) and time.time() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    assert (tmp_path / "site" / "index.html").read_text() == "good"
    _publish(tmp_path, "next")  # the lock died with the process; leftovers are removed
    assert (tmp_path / "site" / "index.html").read_text() == "next"
    assert not list((tmp_path / ".publish").glob("*.building"))


def test_two_builds_at_once_are_serialised(tmp_path):
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_publish, args=(tmp_path, f"v{i}")) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    text = (tmp_path / "site" / "index.html").read_text()
    assert text in {f"v{i}" for i in range(4)}
    assert (tmp_path / ".idx" / "n").read_text() == text  # site and index from the same build
