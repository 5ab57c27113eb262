"""Generated pages through Markdown without parsing their raw HTML twice (no MkDocs import here).

Our generated pages are Markdown headings (they feed the table of contents) between raw HTML blocks
(hyoka.htmlkit.block: no blank line inside).  Python-Markdown parses every raw block with an HTML
parser, and MkDocs 1.6 parses the whole page once more to collect anchor ids: twice the HTML parsing
for nothing, since a raw block comes out exactly as it went in.  So the MkDocs plugin's
on_page_markdown hands MkDocs the page with each raw block replaced by a placeholder comment (itself a
raw block), and on_page_content puts the blocks back and adds their ids to the page's anchors.
Headings, table of contents, title and links are still MkDocs' own.  tests/test_rawhtml.py checks the
result equals a full render.
"""

from __future__ import annotations

import html as html_lib
import re

_RAW_PLACEHOLDER = "<!--hyoka-raw-{}-->"
_RAW_PLACEHOLDER_RE = re.compile(r"<!--hyoka-raw-(\d+)-->")
_START_TAG_RE = re.compile(r"<([A-Za-z][^\s/>]*)((?:\s[^>]*)?)>")
_ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_BLOCK_TAGS: frozenset[str] | None = None


def _block_tags() -> frozenset[str]:
    global _BLOCK_TAGS
    if _BLOCK_TAGS is None:
        import markdown

        _BLOCK_TAGS = frozenset(markdown.Markdown().block_level_elements)
    return _BLOCK_TAGS


_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>")


def _raw_html(chunk: str) -> str | None:
    """What Python-Markdown outputs for a paragraph of raw HTML, or None when that is not simply the
    paragraph itself.  Markdown's HTMLExtractor keeps a stack of open tags and ends a raw block when it
    empties; a block-level element that starts on the same line then starts a new raw block, and the
    blocks come out one per line.  Accepted: one or more top-level block-level elements, each closed,
    separated by nothing or one line break.  Anything else (text or an inline tag at the top level,
    comments, script or style content, an unclosed element) is left to Markdown."""
    tags = _block_tags()
    stack: list[str] = []
    segments: list[str] = []
    start = 0
    for m in _TAG_RE.finditer(chunk):
        close, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if not stack:
            if close or selfclose or m.start() != start or name not in tags or name == "hr":
                return None
        if close:
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            if not stack:
                segments.append(chunk[start:m.end()])
                start = m.end()
                if start == len(chunk):
                    return "\n".join(segments)
                if chunk[start] == "\n":
                    start += 1
        elif not selfclose and name != "hr":  # Markdown: <hr> and <x/> open nothing; <br> etc. do
            if name in ("script", "style", "textarea", "title") and not chunk.startswith(f"</{name}>", m.end()):
                return None  # content HTMLParser reads as text
            stack.append(name)
    return None


def split_raw_blocks(md: str) -> tuple[str, list[str]]:
    """The page with every raw HTML paragraph that Markdown would output unchanged (see _raw_html)
    replaced by a numbered placeholder, and what Markdown would output for each."""
    chunks = md.split("\n\n")
    blocks: list[str] = []
    for i, chunk in enumerate(chunks):
        core = chunk.rstrip("\n")  # the page's last paragraph ends with a line break
        if core.startswith("<") and core.endswith(">") and "<!--" not in core:
            out = _raw_html(core)
            if out is not None:
                chunks[i] = _RAW_PLACEHOLDER.format(len(blocks)) + chunk[len(core):]
                blocks.append(out)
    return "\n\n".join(chunks), blocks


def fill_raw_blocks(html: str, blocks: list[str]) -> str | None:
    """Put the blocks back in place of their placeholders (None unless each is there exactly once)."""
    seen: list[int] = []

    def put(m: re.Match) -> str:
        n = int(m.group(1))
        seen.append(n)
        return blocks[n] if n < len(blocks) else m.group(0)

    out = _RAW_PLACEHOLDER_RE.sub(put, html)
    return out if sorted(seen) == list(range(len(blocks))) else None


def raw_anchor_ids(blocks: list[str]) -> set[str]:
    """The ids MkDocs' raw-HTML scan (mkdocs.structure.pages._HTMLHandler) finds in the blocks:
    every id attribute, and name on <a>."""
    ids: set[str] = set()
    for b in blocks:
        if "id=" not in b and "name=" not in b:
            continue
        for tag, attrs in _START_TAG_RE.findall(b):
            for k, v1, v2, v3 in _ATTR_RE.findall(attrs):
                k = k.lower()
                if k == "id" or (k == "name" and tag.lower() == "a"):
                    ids.add(html_lib.unescape(v1 or v2 or v3))
    return ids
