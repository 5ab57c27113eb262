"""Atomic publishing: build into fresh folders, then switch the live site and index in one step.

The live paths (`site/`, `.hyoka-index/`) are symbolic links to versioned folders under a sibling
`.publish/` folder.  A build writes only into its own new folders; when everything succeeded,
`commit()` points each live link at the new folder with `os.replace` (atomic on POSIX).  A build that
fails or is killed leaves the previous site and index untouched (its half-written folders are removed
by the next build).  An exclusive lock on `.publish/lock` serialises whole builds, so two builds at
once cannot mix their outputs.

No MkDocs here: the plugin calls `Publication.start()` in on_config, `commit()` in on_post_build and
`abort()` on a build error.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import shutil
import time
from pathlib import Path

KEEP = 2  # published versions kept (the live one and the one before)


@dataclasses.dataclass
class Target:
    live: Path  # e.g. /repo/site (a symlink once published)
    new: Path | None = None  # the folder this build writes


class Publication:
    def __init__(self, live_paths: list[Path], seed_from_live: tuple[Path, ...] = ()):
        """live_paths: the published locations; seed_from_live: those whose new folder starts as a copy of
        the live one (an index updated incrementally)."""
        self.targets = [Target(Path(p).absolute()) for p in live_paths]
        self.seed = {Path(p).absolute() for p in seed_from_live}
        self._lock_fd: int | None = None
        self.stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9:09d}"

    def _store(self, t: Target) -> Path:
        return t.live.parent / ".publish"

    def start(self) -> dict[Path, Path]:
        """Take the lock, clear leftovers of killed builds, and make the new folders. Returns live → new."""
        store = self._store(self.targets[0])
        store.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(store / "lock", os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)  # waits for a concurrent build to finish
        out = {}
        for t in self.targets:
            s = self._store(t)
            s.mkdir(parents=True, exist_ok=True)
            self._clean_leftovers(t)
            t.new = s / f"{t.live.name.lstrip('.')}-{self.stamp}.building"
            if t.new.exists():
                shutil.rmtree(t.new)
            if t.live in self.seed and t.live.exists():
                shutil.copytree(t.live.resolve(), t.new, symlinks=True)
            else:
                t.new.mkdir(parents=True)
            out[t.live] = t.new
        return out

    def commit(self) -> None:
        """Switch every live path to its new folder (each switch is one atomic rename)."""
        try:
            for t in self.targets:
                assert t.new is not None, "start() first"
                final = t.new.with_name(t.new.name.removesuffix(".building"))
                os.rename(t.new, final)
                t.new = final
                if t.live.exists() and not t.live.is_symlink():
                    # first publication over a plain folder: move it aside (the only non-atomic moment, once)
                    os.rename(t.live, self._store(t) / f"{t.live.name.lstrip('.')}-legacy-{self.stamp}")
                link = t.live.with_name(f".{t.live.name.lstrip('.')}-link-{self.stamp}")
                if link.is_symlink() or link.exists():
                    link.unlink()
                os.symlink(os.path.relpath(final, t.live.parent), link)
                os.replace(link, t.live)
                self._prune(t)
        finally:
            self._unlock()

    def abort(self) -> None:
        try:
            for t in self.targets:
                if t.new is not None and t.new.exists():
                    shutil.rmtree(t.new, ignore_errors=True)
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _clean_leftovers(self, t: Target) -> None:
        prefix = t.live.name.lstrip(".") + "-"
        for p in self._store(t).glob(prefix + "*.building"):
            shutil.rmtree(p, ignore_errors=True)  # a build that was killed (we hold the lock: nobody else is writing)
        for p in t.live.parent.glob(f".{prefix}link-*"):
            p.unlink(missing_ok=True)

    def _prune(self, t: Target) -> None:
        prefix = t.live.name.lstrip(".") + "-"
        current = t.live.resolve()
        versions = sorted((p for p in self._store(t).glob(prefix + "*") if p.is_dir() and not p.name.endswith(".building")),
                          key=lambda p: p.stat().st_mtime)
        for p in versions[:-KEEP]:
            if p.resolve() != current:
                shutil.rmtree(p, ignore_errors=True)
