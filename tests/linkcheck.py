"""An offline link checker for a built static site: every local link must reach a file, and every
#fragment an element id (or <a name>) on the target page.

Neither `linkchecker` (Debian) nor `lychee` ships in the venv or the CI image, and both need the site
served or a browser-like URL model; this checks the files themselves (tests/htmlquery.py: BeautifulSoup on html.parser), in well
under a second for our sites.  External http(s) links in <a> are listed, never fetched.

    broken = check_site(Path("site"))   # → list of Broken(page, url, reason)
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from htmlquery import soup

# (tag, attribute) pairs that a browser follows or loads
LINK_ATTRS = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
}


@dataclasses.dataclass(frozen=True)
class Broken:
    page: str
    url: str
    reason: str


@dataclasses.dataclass
class _Page:
    ids: set[str]  # element ids and <a name>s: what a #fragment can reach
    dup_ids: set[str]
    links: list[tuple[str, str, str]]  # (tag, attr, url)
    base: str | None


def parse(path: Path) -> _Page:
    p = _Page(set(), set(), [], None)
    for el in soup(path.read_text(encoding="utf-8", errors="replace")).find_all(True):
        for key in ("id",) + (("name",) if el.name == "a" else ()):
            v = el.get(key)
            if v:
                if key == "id" and v in p.ids:
                    p.dup_ids.add(v)
                p.ids.add(v)
        if el.name == "base" and el.get("href"):
            p.base = el["href"]
        p.links += [(el.name, attr, el[attr]) for t, attr in LINK_ATTRS if el.name == t and el.has_attr(attr)]
    return p


def _target_file(site: Path, page_rel: str, url_path: str) -> tuple[Path, str]:
    """The file a site-relative or page-relative URL path points to, and its site-relative name."""
    if not url_path:
        return site / page_rel, page_rel
    if url_path.startswith("/"):
        rel = url_path.lstrip("/")
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), url_path))
    if rel in (".", ""):
        return site / "index.html", "index.html"
    if rel.startswith("../"):
        return site / "__outside_site__", rel
    if url_path.endswith("/") or (site / rel).is_dir():
        rel = posixpath.join(rel, "index.html")
    return site / rel, rel


def check_site(site: Path) -> tuple[list[Broken], list[str]]:
    """Check every HTML page under `site`; return (broken links, external URLs seen in <a>)."""
    pages = {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")}
    parsed: dict[str, _Page] = {}

    def get(rel: str) -> _Page:
        if rel not in parsed:
            parsed[rel] = parse(pages[rel])
        return parsed[rel]

    broken: list[Broken] = []
    external: list[str] = []
    for rel in sorted(pages):
        page = get(rel)
        for dup in sorted(page.dup_ids):
            broken.append(Broken(rel, f"#{dup}", "id が重複しています"))
        for tag, attr, url in page.links:
            if re.match(r"^(mailto|tel|data):", url, re.I):
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                if parts.scheme in ("http", "https") and tag == "a":
                    external.append(url)
                    continue
                broken.append(Broken(rel, url, f"<{tag} {attr}> が外部または未知のスキームを指しています"))
                continue
            target, target_rel = _target_file(site, rel, unquote(parts.path))
            if not target.is_file():
                broken.append(Broken(rel, url, "リンク先のファイルがありません"))
                continue
            frag = unquote(parts.fragment)
            if frag and target_rel.endswith(".html"):
                ids = get(target_rel).ids if target_rel in pages else parse(target).ids
                if frag not in ids:
                    broken.append(Broken(rel, url, f"アンカー #{frag} がリンク先にありません"))
    return broken, external
