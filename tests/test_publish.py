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


# ---- one switch for site and index (issue 17) ------------------------------------------------------


def _version_of(root: Path, name: str) -> Path:
    return (root / name).resolve().parent


def test_site_and_index_are_fixed_links_through_one_current_link(tmp_path):
    _publish(tmp_path, "v1")
    assert os.readlink(tmp_path / "site") == ".publish/current/site"
    assert os.readlink(tmp_path / ".idx") == ".publish/current/idx"
    v1 = (tmp_path / ".publish" / "current").resolve()
    _publish(tmp_path, "v2")
    v2 = (tmp_path / ".publish" / "current").resolve()
    assert v1 != v2 and v2.name.startswith("v-")
    assert os.readlink(tmp_path / "site") == ".publish/current/site"  # the live links never change again
    assert _version_of(tmp_path, "site") == _version_of(tmp_path, ".idx") == v2
    _publish(tmp_path, "v3")
    versions = sorted(p.name for p in (tmp_path / ".publish").iterdir() if p.name.startswith("v-"))
    assert len(versions) == 2 and v1.name not in versions  # the live one and the one before


def test_earlier_layout_of_two_links_is_taken_over(tmp_path):
    store = tmp_path / ".publish"
    (store / "site-20260101-000000-1-000000001").mkdir(parents=True)
    (store / "site-20260101-000000-1-000000001" / "index.html").write_text("old")
    (store / "idx-20260101-000000-1-000000001").mkdir()
    (store / "idx-20260101-000000-1-000000001" / "n").write_text("old")
    os.symlink(".publish/site-20260101-000000-1-000000001", tmp_path / "site")
    os.symlink(".publish/idx-20260101-000000-1-000000001", tmp_path / ".idx")
    pub = Publication([tmp_path / "site", tmp_path / ".idx"], seed_from_live=(tmp_path / ".idx",))
    dirs = pub.start()
    assert (dirs[tmp_path / ".idx"] / "n").read_text() == "old"  # the index still starts from the live one
    (dirs[tmp_path / "site"] / "index.html").write_text("new")
    pub.commit()
    assert (tmp_path / "site" / "index.html").read_text() == "new" and (tmp_path / ".idx" / "n").read_text() == "old"
    assert os.readlink(tmp_path / "site") == ".publish/current/site"
    assert not list(store.glob("site-*")) and not list(store.glob("idx-*"))  # the old folders are gone


def test_plain_folders_of_site_and_index_are_taken_over(tmp_path):
    for name, text in (("site", "old site"), (".idx", "old idx")):
        (tmp_path / name).mkdir()
        (tmp_path / name / ("index.html" if name == "site" else "n")).write_text(text)
    _publish(tmp_path, "new")
    assert (tmp_path / "site").is_symlink() and (tmp_path / ".idx").is_symlink()
    assert _version_of(tmp_path, "site") == _version_of(tmp_path, ".idx")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    _publish(tmp_path, "newer")
    assert not list((tmp_path / ".publish").glob("legacy-*"))


def test_index_only_publication_keeps_the_site_as_hard_links(tmp_path):
    """`hyoka index`: a new version with the new index and the live site, without copying the site's bytes."""
    _publish(tmp_path, "v1")
    before = (tmp_path / "site" / "index.html").stat()
    pub = Publication([tmp_path / ".idx"], seed_from_live=(tmp_path / ".idx",), keep_others=True)
    dirs = pub.start()
    (dirs[tmp_path / ".idx"] / "n").write_text("v1 + index update")
    pub.commit()
    assert (tmp_path / ".idx" / "n").read_text() == "v1 + index update"
    after = (tmp_path / "site" / "index.html").stat()
    assert after.st_ino == before.st_ino and after.st_nlink >= 2  # the same file, hard-linked into the new version
    assert _version_of(tmp_path, "site") == _version_of(tmp_path, ".idx") == (tmp_path / ".publish" / "current").resolve()


def test_build_temporary_files_live_in_the_version_folder_and_go_with_it(tmp_path):
    pub = Publication([tmp_path / "site", tmp_path / ".idx"])
    pub.start()
    assert pub.work_dir is not None and pub.work_dir.is_dir()
    assert pub.work_dir.parent.parent == tmp_path / ".publish"
    (pub.work_dir / "hyoka-index-task-x.pickle.out").write_bytes(b"x")
    pub.commit()
    assert not list((tmp_path / ".publish").rglob("hyoka-index-task-*")) and not list((tmp_path / ".publish").rglob("tmp"))


def _publish_forever(root: str) -> None:
    i = 0
    while True:
        i += 1
        pub = Publication([Path(root) / "site", Path(root) / ".idx"], seed_from_live=(Path(root) / ".idx",))
        dirs = pub.start()
        (dirs[Path(root) / "site"] / "index.html").write_text(f"{os.getpid()}-{i}")
        (dirs[Path(root) / ".idx"] / "n").write_text(f"{os.getpid()}-{i}")
        for k in range(20):  # a few more files, so that a kill can land in the copy and in the commit
            (dirs[Path(root) / "site"] / f"p{k}.html").write_text("x" * 1000)
        pub.commit()


def test_killed_at_any_point_site_and_index_always_agree(tmp_path):
    """A publisher that publishes in a loop is killed with SIGKILL at 60 spread-out moments (many land inside
    start(), the writes, commit() and the pruning); after each, the live site and index are whole and from the
    same build (the marker each build writes into both), and the next publication succeeds."""
    import random

    rng = random.Random(17)
    _publish(tmp_path, "start")
    ctx = multiprocessing.get_context("fork")
    seen = set()
    for _ in range(60):
        proc = ctx.Process(target=_publish_forever, args=(str(tmp_path),))
        proc.start()
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        site = (tmp_path / "site" / "index.html").read_text()
        assert (tmp_path / ".idx" / "n").read_text() == site
        assert _version_of(tmp_path, "site") == _version_of(tmp_path, ".idx")
        seen.add(site)
    assert len(seen) > 10  # the kills did land after many different publications
    _publish(tmp_path, "after")
    assert (tmp_path / "site" / "index.html").read_text() == "after" == (tmp_path / ".idx" / "n").read_text()
    leftovers = [p.name for p in (tmp_path / ".publish").iterdir() if p.name.endswith((".building", ".tmp"))]
    assert leftovers == []
    assert len([p for p in (tmp_path / ".publish").iterdir() if p.name.startswith("v-")]) <= 3
