"""Small, safe building blocks for the generated pages: escaping, relative URLs, HTML fragments.

Every string that comes from content/ goes through `esc` (inside HTML blocks) or `md_inline`
(inside a Markdown heading) or `safe_title` (page titles, which the theme prints unescaped).
The generated HTML blocks contain no blank lines and no raw newlines inside text (newlines become
`&#10;` and show through `white-space: pre-wrap`), so Python-Markdown keeps each block as one raw
HTML block and never reads Markdown inside it.

The core's pages are rendered from templates (hyoka.templating applies the same rules to every value:
`md_inline` as a filter, escaping with line breaks as `&#10;` as its finalize); the HTML fragments here
are for what is still written in Python (hyoka.templating itself, hyoka.sitesearch until its page is a template).

No MkDocs here.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from typing import Iterable

# ---- escaping -----------------------------------------------------------------------------------


def _lines(text: object) -> str:
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def esc(text: object) -> str:
    """Text for an HTML element or attribute value: HTML-escaped, newlines kept as `&#10;`."""
    return html.escape(_lines(text), quote=True).replace("\n", "&#10;")


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


def external_link(url: str | None, text: str | None = None) -> str:
    """A link to an external page (never loaded by our pages); anything but http(s) stays text."""
    if not url:
        return ""
    label = esc(text if text is not None else url)
    if SAFE_HREF.match(url):
        return f'<a class="hy-ext" href="{esc(url)}" rel="noopener noreferrer nofollow">{label}</a>'
    return f'<span class="hy-text">{label}</span>'


# ---- fragments ----------------------------------------------------------------------------------


def permalink(anchor: str, what: str = "この項目") -> str:
    return f'<a class="hy-permalink" href="#{esc(anchor)}" title="{esc(what)}へのリンク" aria-label="{esc(what)}へのリンク">¶</a>'


def text(value: object | None) -> str:
    if value is None or value == "":
        return '<span class="hy-empty">（記載なし）</span>'
    return f'<span class="hy-text">{esc(value)}</span>'


def ul(items: Iterable[str], cls: str = "") -> str:
    inner = "".join(f"<li>{i}</li>" for i in items)
    c = f' class="{cls}"' if cls else ""
    return f"<ul{c}>{inner}</ul>"


def block(html_text: str) -> str:
    """One raw HTML block for the Markdown page: no blank lines inside."""
    out = "\n".join(line for line in html_text.split("\n") if line.strip())
    return out
