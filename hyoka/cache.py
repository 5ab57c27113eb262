"""The per-document disk cache: what one document's build steps produced, kept under the project.

    cache = DocCache.for_project(root)            # <root>/.hyoka-cache/v-<code version>/ (None: not usable)
    key = cache.key("findings", source_digest, today.isoformat())
    value = cache.get("findings", key)            # None: absent, corrupt or foreign → compute, then
    cache.put("findings", key, value)             # written atomically (temporary file + rename)

A build (`mkdocs build`, `mkdocs serve`, `hyoka index`) loads every document again and recomputes, per
document, the parsed and validated model (hyoka.loader), its findings (hyoka.findings), its index
documents (hyoka.documents), its open-data rows (hyoka.export) and its rendered page (hyoka.views.pagecache),
the files of each block of the in-browser search index (hyoka.sitesearch, by its documents), and each
generated page's HTML as the MkDocs plugin's Markdown step made it (kind `html`, keyed by the plugin).  Each
of these is kept here, keyed by a digest of everything it depends on: the YAML bytes (via the digest the
loader records in `DocCache.digests`), and per step the municipality entry, the documents it links to,
the company registry, the day (findings compare dates with today) …  A rebuild after one YAML change
recomputes only that document's entries (and the aggregates, which are not cached).

Trust: an entry is JSON, never pickle (reading it runs no code).  Each file starts with one header line
`{"format", "version", "kind", "key", "check"}`; an entry is used only when all of them match what the
reader expects and `check` is the digest of the payload, so a truncated, edited or foreign file (another
code version, another key, a copy from elsewhere) is a miss and is written again.  The readers validate
the payload's shape as well (hyoka.loader validates the model with pydantic again).  The folder is the
build's own, like site/: whoever can write it can also write mkdocs.yml; the cache does not defend
against that, only against accidents.

The version (`code_version`) is a digest of every file of the `hyoka` package (code, templates, static
files), the Python and pydantic versions and `FORMAT`: any change of the code starts a new folder, and
`sweep()` (called after a successful build) removes the other versions' folders and the entries this
build did not use.  Nothing is written outside the cache folder; a folder that resolves outside the
project (a link) is not used.  Two builds at once are safe: a file is either absent or whole (rename),
and two writers of one key write the same bytes.  No MkDocs here.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable

FORMAT = 1  # of the files; bump when the framing changes
CACHE_DIR = ".hyoka-cache"
PACKAGE = Path(__file__).resolve().parent
_SUFFIXES = {".py", ".md", ".html", ".css", ".js", ".json", ".txt", ".yaml"}
KINDS = ("load", "findings", "docs", "rows", "page", "siteblock", "html")


def code_version(package: Path = PACKAGE) -> str:
    """Digest of every source file of the package (its relative path and bytes), plus the Python and
    pydantic versions and FORMAT: the cache of one code version is never read by another."""
    import pydantic

    h = hashlib.blake2b(digest_size=10)
    h.update(f"format {FORMAT}\0python {platform.python_version()}\0pydantic {pydantic.VERSION}\0".encode())
    for p in sorted(package.rglob("*")):
        if p.suffix in _SUFFIXES and p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(package)).encode("utf-8") + b"\0")
            h.update(hashlib.blake2b(p.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


_VERSION: str | None = None


def current_version() -> str:
    global _VERSION
    if _VERSION is None:
        _VERSION = code_version()
    return _VERSION


def digest(*parts: str | bytes) -> str:
    """Hex digest of the parts (each framed, so ("ab", "c") ≠ ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        b = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def _check(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


class DocCache:
    """One code version's entries under `folder` (see the module's docstring).

    `stats` counts hits and misses per kind (a miss: the step was computed); `digests` maps each document
    id the loader read to the digest of its source bytes, the base of every other step's key.
    """

    def __init__(self, folder: Path, version: str | None = None):
        self.root = Path(folder)
        self.version = version or current_version()
        self.folder = self.root / f"v-{self.version}"
        self.stats: collections.Counter[tuple[str, str]] = collections.Counter()
        self.digests: dict[str, str] = {}
        self.used: set[tuple[str, str]] = set()
        self.write_error: str | None = None  # the first write that failed (the cache is then read-only)
        self._checked: set[Path] = set()  # folders verified to lie inside root (no link leads out)

    @classmethod
    def for_project(cls, project: Path, name: str = CACHE_DIR, version: str | None = None) -> "DocCache | None":
        """The cache of the project at `project` (None when <project>/<name> would lie outside it)."""
        root = Path(project).resolve()
        folder = root / name
        try:
            resolved = folder.resolve()
        except (OSError, RuntimeError):
            return None
        if resolved.parent != root or folder.is_symlink():
            return None
        return cls(folder, version)

    # ---- keys --------------------------------------------------------------------------------

    def key(self, kind: str, *parts: str | bytes) -> str:
        return digest(self.version, kind, *parts)

    def source(self, doc_id: str) -> str | None:
        """The digest of the source bytes of the document `doc_id` as loaded in this build (None: unknown)."""
        return self.digests.get(doc_id)

    def _path(self, kind: str, key: str) -> Path:
        if kind not in KINDS or len(key) != 40 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"bad cache entry name {kind}/{key}")
        return self.folder / kind / key[:2] / f"{key}.json"

    # ---- entries -----------------------------------------------------------------------------

    def get_bytes(self, kind: str, key: str, count: bool = True) -> bytes | None:
        """The payload of the entry, or None (absent, unreadable, corrupt or foreign: a miss).  `count`:
        False for a read again of an entry already counted (hyoka.loader's lazy corpus)."""
        self.used.add((kind, key))
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            self.stats[(kind, "miss")] += count
            return None
        head, nl, payload = data.partition(b"\n")
        try:
            h = json.loads(head)
            ok = (nl and isinstance(h, dict) and h.get("format") == FORMAT and h.get("version") == self.version
                  and h.get("kind") == kind and h.get("key") == key and h.get("check") == _check(payload))
        except ValueError:
            ok = False
        if not ok:
            self.stats[(kind, "miss")] += count
            return None
        self.stats[(kind, "hit")] += count
        return payload

    def get(self, kind: str, key: str) -> Any | None:
        payload = self.get_bytes(kind, key)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            self.reject(kind)
            return None

    def reject(self, kind: str) -> None:
        """The reader found the payload of a hit unusable: count it as a miss (it is computed and written again)."""
        self.stats[(kind, "hit")] -= 1
        self.stats[(kind, "miss")] += 1

    def put_bytes(self, kind: str, key: str, payload: bytes) -> None:
        path = self._path(kind, key)
        if self.write_error is not None:
            return
        head = json.dumps({"format": FORMAT, "version": self.version, "kind": kind, "key": key, "check": _check(payload)})
        self.used.add((kind, key))
        tmp = None
        try:
            if path.parent not in self._checked:  # no link under the cache folder leads out of it
                root = self.root.resolve()
                for folder in (self.folder, path.parent.parent, path.parent):
                    if folder.exists() and not folder.resolve().is_relative_to(root):
                        self.write_error = f"キャッシュのフォルダがプロジェクトの外を指しています ({folder})"
                        return
                    folder.mkdir(exist_ok=True, parents=folder is self.folder)
                self._checked.add(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(head.encode("ascii") + b"\n")
                fh.write(payload)  # (not joined to the head: a site-search block's payload is tens of MB)
            os.replace(tmp, path)
            tmp = None
        except OSError as exc:  # the cache is only a shortcut: a build never fails because it cannot write it
            self.write_error = f"{exc.strerror or exc} ({path})"
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_bytes(kind, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    # ---- rendered pages (hyoka.views.pagecache): Markdown by the digest of everything the page shows ---------

    def _page_key(self, page_digest: bytes | str) -> str:
        return self.key("page", page_digest.hex() if isinstance(page_digest, bytes) else page_digest)

    def get_page(self, page_digest: bytes | str) -> str | None:
        """The Markdown rendered for this digest of a page's inputs (None: not cached)."""
        payload = self.get_bytes("page", self._page_key(page_digest))
        if payload is None:
            return None
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            self.reject("page")
            return None

    def put_page(self, page_digest: bytes | str, markdown: str) -> None:
        self.put_bytes("page", self._page_key(page_digest), markdown.encode("utf-8"))

    def keep_page(self, page_digest: bytes | str) -> None:
        """The page was reused from memory (`mkdocs serve`): its entry is still in use."""
        self.used.add(("page", self._page_key(page_digest)))
        self.stats[("page", "hit")] += 1

    # ---- a page's HTML (the MkDocs plugin): a JSON object of facts, then the HTML itself, unescaped -----------

    def get_html(self, key: str) -> tuple[dict, bytes] | None:
        """(facts, HTML bytes) of an `html` entry (None: not cached, or not a pair of a JSON object and UTF-8 text).
        The facts are the front end's (the plugin checks their shape); the HTML is not decoded here."""
        payload = self.get_bytes("html", key)
        if payload is None:
            return None
        head, nl, body = payload.partition(b"\n")
        try:
            facts = json.loads(head)
        except ValueError:
            facts = None
        if not nl or not isinstance(facts, dict):
            self.reject("html")
            return None
        return facts, body

    def put_html(self, key: str, facts: dict, html: str) -> None:
        head = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))  # one line: json.dumps writes no raw line break
        self.put_bytes("html", key, head.encode("utf-8") + b"\n" + html.encode("utf-8"))

    # ---- accounting and clean-up -------------------------------------------------------------

    def misses(self, kind: str) -> int:
        return self.stats[(kind, "miss")]

    def hits(self, kind: str) -> int:
        return self.stats[(kind, "hit")]

    def reset_stats(self) -> None:
        self.stats.clear()
        self.used.clear()

    def summary(self) -> str:
        parts = [f"{k} {self.hits(k)}/{self.hits(k) + self.misses(k)}" for k in KINDS if self.hits(k) + self.misses(k)]
        return "キャッシュの利用（再利用/全体）: " + "、".join(parts) if parts else "キャッシュは使われませんでした"

    def sweep(self, kinds: Iterable[str] | None = None, stale_tmp_seconds: float = 3600.0) -> int:
        """Remove the other code versions' folders, and in each of `kinds` (default: every kind this
        cache object used) the entries it did not use; temporary files older than an hour go too.
        Returns the number of entries removed.  Call it after a build that went through every document."""
        removed = 0
        if self.root.is_dir() and not self.root.is_symlink():
            for other in self.root.iterdir():
                if other.name.startswith("v-") and other.name != self.folder.name and not other.is_symlink():
                    shutil.rmtree(other, ignore_errors=True)
        used_kinds = set(kinds) if kinds is not None else {k for k, _ in self.used}
        now = time.time()
        for kind in used_kinds & set(KINDS):
            keep = {key for k, key in self.used if k == kind}
            base = self.folder / kind
            if not base.is_dir():
                continue
            for sub in base.iterdir():
                if not sub.is_dir() or sub.is_symlink():
                    continue
                for f in sub.iterdir():
                    try:
                        if f.name.startswith(".tmp-"):
                            if now - f.stat().st_mtime > stale_tmp_seconds:
                                f.unlink()
                        elif f.name.endswith(".json") and f.name[:-5] not in keep:
                            f.unlink()
                            removed += 1
                    except OSError:
                        pass
        return removed
