"""One rule for every name that becomes part of a path or URL, and one check for every path the build writes.

    NAME_RE.fullmatch("yokohama")                 # slug, id, file name: ^[a-z0-9][a-z0-9-]{0,79}$
    safe_relpath("yokohama/index.md")             # → "yokohama/index.md", or raises UnsafePath
    inside(site_dir, "data/x.json")               # → the resolved absolute path, checked to stay in site_dir

No MkDocs here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .schema import ID_RE

NAME_PATTERN = ID_RE  # the content's id rule: lower-case ASCII letters, digits and '-', not starting with '-'
NAME_RE = re.compile(NAME_PATTERN)
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")  # generated file names (fixed by the code, e.g. "index.md")


class UnsafePath(ValueError):
    """A generated output path that could leave the site (absolute, '..', empty segment, odd characters)."""


def name_ok(name: object) -> bool:
    return isinstance(name, str) and NAME_RE.fullmatch(name) is not None


def safe_relpath(rel: str) -> str:
    """`rel` if it is a plain relative POSIX path of safe segments; raises UnsafePath otherwise."""
    if not isinstance(rel, str) or not rel:
        raise UnsafePath(f"出力先のパスが空です: {rel!r}")
    if rel.startswith("/") or "\\" in rel or "\x00" in rel or re.match(r"^[A-Za-z]:", rel):
        raise UnsafePath(f"出力先のパスが絶対パスか不正な文字を含みます: {rel!r}")
    for seg in rel.split("/"):
        if seg in ("", ".", ".."):
            raise UnsafePath(f"出力先のパスに空・「.」・「..」の部分があります: {rel!r}")
        if not _SEGMENT_RE.fullmatch(seg):
            raise UnsafePath(f"出力先のパスに使えない文字があります: {rel!r}")
    return rel


class Within:
    """Checks output paths against one folder, resolved once (a build checks every file it writes)."""

    def __init__(self, root: str | os.PathLike):
        self.base = Path(root).resolve()

    def __call__(self, rel: str) -> Path:
        """The absolute path of `rel` under the folder, after checking `rel` (safe_relpath) and that the
        resolved path (symbolic links followed) stays inside the resolved folder."""
        safe_relpath(rel)
        target = (self.base / rel).resolve()
        if not target.is_relative_to(self.base):
            raise UnsafePath(f"出力先がサイトのフォルダの外になります: {rel!r} → {target}")
        return target


def inside(root: str | os.PathLike, rel: str) -> Path:
    """`Within(root)(rel)`, for a single path."""
    return Within(root)(rel)
