"""Atomic publishing: build into a fresh version folder, then switch the live site and index in ONE step.

Layout (next to the live paths, e.g. the project root):

    site          -> .publish/current/site           fixed links, written once
    .hyoka-index  -> .publish/current/hyoka-index
    .publish/current -> v-<stamp>                     the one link a publication switches (os.replace)
    .publish/v-<stamp>/{site,hyoka-index}/            one version: a site and the index built with it
    .publish/v-<stamp>.building/{…, tmp/}             the version being built, with the build's temporary files

Readers open `site/…` or `.hyoka-index/…`, which both resolve through `.publish/current`: since that is one
symbolic link replaced by one rename, no reader can see a new site with an old index or the reverse.  A
build writes only into its own `.building` folder; a build that fails or is killed leaves the published
version untouched, and the next build (under the lock) removes what it left.  An exclusive lock on
`.publish/lock` serialises whole builds.

The first publication takes over the earlier layouts (`site/` and `.hyoka-index/` as plain folders, or as two
separate links into `.publish/`): each live path becomes its fixed link.  That one migration switches the
two live paths one after the other; every later publication switches them together.

A version may carry folders over from the live version as hard links (`carry_over`, `keep_others`): `hyoka
index` publishes a new index with the same site without copying the site's bytes.  An index updated incrementally
starts as a real copy of the live one (`seed_from_live`), since Whoosh rewrites some of its files.

No MkDocs here: the plugin calls `start()` in on_config, `commit()` in on_post_build and `abort()` on a
build error.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import shutil
import time
from pathlib import Path

KEEP = 2  # published versions kept (the live one and the one before: a reader may still have it open)
CURRENT = "current"


@dataclasses.dataclass
class Target:
    live: Path  # e.g. /repo/site (the fixed link once published)
    name: str  # its folder in a version, e.g. "site", "hyoka-index"
    new: Path | None = None  # the folder this build writes


def _name(live: Path) -> str:
    return live.name.lstrip(".") or "x"


def _link_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed: a real copy
        shutil.copy2(src, dst)


class Publication:
    def __init__(self, live_paths: list[Path], seed_from_live: tuple[Path, ...] = (), carry_over: tuple[Path, ...] = (),
                 store: Path | None = None, keep_others: bool = False):
        """live_paths: the published locations (the store is `.publish/` beside the first one, unless given);
        seed_from_live: those whose new folder starts as a copy of the live one (an index updated
        incrementally); carry_over: those whose new folder is the live one as hard links (not rebuilt);
        keep_others: every other folder of the live version is carried over too (`hyoka index` publishes a
        new index beside the same site)."""
        self.targets = [Target(Path(p).absolute(), _name(Path(p))) for p in live_paths]
        names = [t.name for t in self.targets]
        if len(set(names)) != len(names):
            raise ValueError(f"two published paths with one name: {names}")
        self.seed = {Path(p).absolute() for p in seed_from_live}
        self.carry = {Path(p).absolute() for p in carry_over}
        self.keep_others = keep_others
        self.store = Path(store).absolute() if store else self.targets[0].live.parent / ".publish"
        self._lock_fd: int | None = None
        self.stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9:09d}"
        self.version: Path | None = None  # the .building folder while building
        self.work_dir: Path | None = None  # the build's temporary files (removed with the version folder)

    # ---- building -------------------------------------------------------------------------------

    def start(self) -> dict[Path, Path]:
        """Take the lock, clear leftovers of killed builds, and make the new folders. Returns live → new."""
        self.store.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.store / "lock", os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)  # waits for a concurrent build to finish
        try:
            self._clean_leftovers()
            self.version = self.store / f"v-{self.stamp}.building"
            self.version.mkdir()
            self.work_dir = self.version / "tmp"
            self.work_dir.mkdir()
            out = {}
            for t in self.targets:
                t.new = self.version / t.name
                live = t.live.resolve() if t.live.exists() else None
                if t.live in self.carry and live is not None and live.is_dir():
                    shutil.copytree(live, t.new, symlinks=True, copy_function=_link_copy)
                elif t.live in self.seed and live is not None and live.is_dir():
                    shutil.copytree(live, t.new, symlinks=True, ignore=shutil.ignore_patterns("*.tmp"))
                elif t.live not in self.carry:
                    t.new.mkdir()
                out[t.live] = t.new
            current = self.store / CURRENT
            if self.keep_others and current.is_dir():
                mine = {t.name for t in self.targets}
                for p in sorted(current.resolve().iterdir()):
                    if p.name not in mine and p.is_dir() and not p.is_symlink():
                        shutil.copytree(p, self.version / p.name, symlinks=True, copy_function=_link_copy)
            return out
        except BaseException:
            self.abort()
            raise

    def commit(self) -> None:
        """Publish the new version: one atomic switch of `.publish/current`, then prune old versions."""
        try:
            assert self.version is not None, "start() first"
            if self.work_dir is not None:
                shutil.rmtree(self.work_dir, ignore_errors=True)
            final = self.version.with_name(self.version.name.removesuffix(".building"))
            os.rename(self.version, final)
            self.version = None
            tmp_link = self.store / f".{CURRENT}-{self.stamp}.tmp"
            os.symlink(final.name, tmp_link)
            os.replace(tmp_link, self.store / CURRENT)  # THE switch: site and index at once
            for t in self.targets:
                if (final / t.name).exists():
                    self._fix_link(t)
            self._prune(final)
        finally:
            self._unlock()

    def abort(self) -> None:
        try:
            if self.version is not None and self.version.exists():
                shutil.rmtree(self.version, ignore_errors=True)
            self.version = None
        finally:
            self._unlock()

    # ---- helpers --------------------------------------------------------------------------------

    def _link_text(self, t: Target) -> str:
        return os.path.relpath(self.store / CURRENT / t.name, t.live.parent)

    def _fix_link(self, t: Target) -> None:
        """Make `t.live` the fixed link through `current` (once; a no-op afterwards)."""
        want = self._link_text(t)
        if t.live.is_symlink() and os.readlink(t.live) == want:
            return
        if t.live.exists() and not t.live.is_symlink():
            # an earlier plain folder: moved aside (the only non-atomic moment, at the first publication)
            os.rename(t.live, self.store / f"legacy-{t.name}-{self.stamp}")
        tmp = t.live.with_name(f".{t.name}-link-{self.stamp}")
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(want, tmp)
        os.replace(tmp, t.live)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _clean_leftovers(self) -> None:
        # builds that were killed (we hold the lock: nobody else is writing)
        for p in self.store.glob("*.building"):
            shutil.rmtree(p, ignore_errors=True)
        for p in self.store.glob(f".{CURRENT}-*.tmp"):
            p.unlink(missing_ok=True)
        for t in self.targets:
            for p in t.live.parent.glob(f".{t.name}-link-*"):
                if p.is_symlink():
                    p.unlink(missing_ok=True)

    def _prune(self, current: Path) -> None:
        """Keep the live version and the one before; remove older versions and the earlier layouts' folders
        no live path points at any more."""
        in_use = {current.resolve()}
        for t in self.targets:
            if t.live.exists():
                r = t.live.resolve()
                in_use |= {r, r.parent}
        versions = sorted((p for p in self.store.glob("v-*") if p.is_dir() and not p.name.endswith(".building")),
                          key=lambda p: p.stat().st_mtime)
        keep = {p.resolve() for p in versions[-KEEP:]} | in_use
        for p in versions:
            if p.resolve() not in keep:
                shutil.rmtree(p, ignore_errors=True)
        for t in self.targets:  # the layout before one `current` link: <name>-<stamp>/ and legacy folders
            for p in [*self.store.glob(f"{t.name}-*"), *self.store.glob(f"legacy-{t.name}-*")]:
                if p.is_dir() and not p.is_symlink() and p.resolve() not in in_use:
                    shutil.rmtree(p, ignore_errors=True)
