"""Small, safe building blocks for the pages: the text rules the Jinja2 environment applies (hyoka.templating):
Markdown-inert heading text (`md_inline`), page titles the theme prints unescaped (`safe_title`), front matter
as JSON values, and site-relative URLs (`url_of`, `rel_url`, `SAFE_HREF` for external links).  Every page's
markup is in hyoka/templates/ with autoescape; nothing here writes HTML.

No MkDocs here.
"""

from __future__ import annotations

import json
import posixpath
import re

# ---- escaping -----------------------------------------------------------------------------------


def _lines(text: object) -> str:
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~<>:&\"'=$%^@")


def md_inline(text: object) -> str:
    """Text for a Markdown heading: every character that Markdown or HTML could read is an entity."""
    s = " ".join(_lines(text).split("\n"))
    return "".join(f"&#{ord(c)};" if c in _MD_SPECIAL else c for c in s)


_TITLE_MAP = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "\n": " ", "\\": "＼"})


def safe_title(text: object) -> str:
    """A page title (the theme prints it unescaped in <title>, the header and the nav).

    The five HTML-significant characters become their full-width forms, so the title stays plain
    text in every place the theme puts it; the page body shows the exact printed text.
    """
    return _lines(text).translate(_TITLE_MAP).strip()


def front_matter(**meta: object) -> str:
    """YAML front matter; values are JSON (a subset of YAML), so any text is quoted safely."""
    lines = ["---"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines)


# ---- URLs ---------------------------------------------------------------------------------------


def url_of(md_path: str) -> str:
    """Site-relative directory URL of a Markdown source path ('' is the home page)."""
    if md_path == "index.md":
        return ""
    if md_path.endswith("/index.md"):
        return md_path[: -len("index.md")]
    if md_path.endswith(".md"):
        return md_path[:-3] + "/"
    return md_path


def rel_url(target: str, base: str) -> str:
    """`target` (site-relative URL, may carry #fragment) as seen from the page at URL `base`."""
    frag = ""
    if "#" in target:
        target, frag = target.split("#", 1)
        frag = "#" + frag
    if target == base and frag:
        return frag
    base_dir = base if (base == "" or base.endswith("/")) else posixpath.dirname(base) + "/"
    r = posixpath.relpath(target or ".", base_dir.rstrip("/") or ".")
    if target == "" or target.endswith("/"):
        r = "./" if r == "." else r.rstrip("/") + "/"
    if ":" in r.split("/", 1)[0]:  # a first segment with ':' would read as a scheme (javascript:…): keep it a path
        r = "./" + r
    return r + frag


SAFE_HREF = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
