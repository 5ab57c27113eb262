"""A snapshot of a built site that proves a refactor changed nothing a reader sees.

For every HTML page it records the page title, the visible text of the article (Material's
`<article>`, else `<main>`), the visible text of the rest of the page (header, navigation, table of
contents, footer), the set of element ids and `<a name>` anchors (the permalink targets), and the
links of the article; for every other file, a digest of its bytes.  Text is read like a browser's
innerText, roughly: script, style and template contents are not text; block-level elements start a new
line; whitespace inside a line is collapsed to one space (so markup layout does not matter, but a space
added or lost between two words does).

    python tools/sitesnapshot.py build OUT.json          # mkdocs build --strict here, then record site/
    python tools/sitesnapshot.py record SITE_DIR OUT.json
    python tools/sitesnapshot.py compare A.json B.json    # every page that differs, with a short diff; exit 1 if any

`make snapshot SNAP=/path/out.json` runs `build`.  No MkDocs import: this reads files.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

VERSION = 1
# Elements that start a new line of text (CSS display: block and friends, in the HTML spec's default style).
BLOCK = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html label legend li main nav ol optgroup option p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
HIDDEN = frozenset("script style template noscript head".split())
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_WS = re.compile(r"\s+")


class _Page(HTMLParser):
    def __init__(self, container: str = "article") -> None:
        super().__init__(convert_charrefs=True)
        self.container = container
        self.stack: list[str] = []  # open elements
        self.hidden = 0  # depth inside HIDDEN elements
        self.article_depth: int | None = None  # stack depth of the open <article>/<main> we record
        self.article_tag: str | None = None
        self.title: list[str] = []
        self.in_title = False
        self.main: list[str] = [""]
        self.rest: list[str] = [""]
        self.ids: set[str] = set()
        self.links: list[str] = []

    def _out(self) -> list[str]:
        return self.main if self.article_depth is not None else self.rest

    def _break(self) -> None:
        out = self._out()
        if out[-1] != "":
            out.append("")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") is not None:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name") is not None:
            self.ids.add(a["name"])
        if tag == "title" and "svg" not in self.stack:  # the page's title, not an SVG picture's
            self.in_title = True
        if tag in HIDDEN:
            self.hidden += 1
        if tag == self.container and self.article_depth is None and self.article_tag is None:
            self.article_tag, self.article_depth = tag, len(self.stack)
        if tag in BLOCK:
            self._break()
        if tag == "a" and self.article_depth is not None and a.get("href") is not None:
            self.links.append(a["href"])
        if tag == "img" and a.get("alt"):
            self._text(a["alt"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            t = self.stack.pop()
            if t in HIDDEN:
                self.hidden -= 1
            if t == "title":
                self.in_title = False
            if t in BLOCK:
                self._break()
            if self.article_depth is not None and len(self.stack) == self.article_depth and t == self.article_tag:
                self.article_depth = None
                self._break()
            if t == tag:
                break

    def _text(self, data: str) -> None:
        out = self._out()
        out[-1] += data

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
            return
        if self.hidden:
            return
        self._text(data)


def _lines(chunks: list[str]) -> list[str]:
    return [s for s in (_WS.sub(" ", c).strip() for c in chunks) if s]


def page_record(html: str) -> dict:
    p = _Page("article")
    p.feed(html)
    p.close()
    if p.article_tag is None:  # no <article>: the page's <main>
        p = _Page("main")
        p.feed(html)
        p.close()
    return {
        "title": _WS.sub(" ", "".join(p.title)).strip(),
        "main": _lines(p.main),
        "rest": _lines(p.rest),
        "ids": sorted(p.ids),
        "links": p.links,
    }


def record(site: Path) -> dict:
    site = site.resolve()
    pages: dict[str, dict] = {}
    files: dict[str, str] = {}
    for f in sorted(site.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(site).as_posix()
        if rel.endswith(".html"):
            pages[rel] = page_record(f.read_text(encoding="utf-8"))
        else:
            files[rel] = hashlib.sha256(f.read_bytes()).hexdigest()
    return {"version": VERSION, "pages": pages, "files": files}


def _diff(a: list[str], b: list[str], label: str, limit: int) -> list[str]:
    out = list(difflib.unified_diff(a, b, f"A {label}", f"B {label}", n=1, lineterm=""))
    return out[:limit] + ([f"… ({len(out) - limit} more diff lines)"] if len(out) > limit else [])


def compare(a: dict, b: dict, limit: int = 24, files: bool = True) -> list[str]:
    """Human-readable differences between two snapshots (empty list: equal)."""
    report: list[str] = []
    pa, pb = a["pages"], b["pages"]
    for path in sorted(set(pa) - set(pb)):
        report.append(f"{path}: only in A")
    for path in sorted(set(pb) - set(pa)):
        report.append(f"{path}: only in B")
    for path in sorted(set(pa) & set(pb)):
        x, y = pa[path], pb[path]
        lines: list[str] = []
        if x["title"] != y["title"]:
            lines.append(f"  title: {x['title']!r} → {y['title']!r}")
        for part in ("main", "rest"):
            if x[part] != y[part]:
                lines.append(f"  {part} text differs:")
                lines += ["    " + s for s in _diff(x[part], y[part], part, limit)]
        ids_a, ids_b = set(x["ids"]), set(y["ids"])
        if ids_a != ids_b:
            if ids_a - ids_b:
                lines.append(f"  ids only in A: {' '.join(sorted(ids_a - ids_b)[:limit])}")
            if ids_b - ids_a:
                lines.append(f"  ids only in B: {' '.join(sorted(ids_b - ids_a)[:limit])}")
        if x["links"] != y["links"]:
            lines.append("  article links differ:")
            lines += ["    " + s for s in _diff(x["links"], y["links"], "links", limit)]
        if lines:
            report.append(f"{path}:")
            report += lines
    if files:
        fa, fb = a["files"], b["files"]
        for path in sorted(set(fa) | set(fb)):
            if path not in fb:
                report.append(f"{path}: only in A")
            elif path not in fa:
                report.append(f"{path}: only in B")
            elif fa[path] != fb[path]:
                report.append(f"{path}: content differs")
    return report


def _load(path: str) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("version") != VERSION:
        raise SystemExit(f"{path}: not a snapshot of version {VERSION}")
    return data


def _save(data: dict, out: str) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="sitesnapshot", description="Snapshot a built site; compare two snapshots.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="mkdocs build --strict in the project, then record its site/")
    b.add_argument("out")
    b.add_argument("--project", default=str(Path(__file__).resolve().parents[1]))
    r = sub.add_parser("record", help="record a built site folder")
    r.add_argument("site")
    r.add_argument("out")
    c = sub.add_parser("compare", help="print every page whose text, ids or links differ; exit 1 if any")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--pages-only", action="store_true", help="ignore non-HTML files")
    args = ap.parse_args(argv)
    if args.cmd == "build":
        project = Path(args.project)
        mkdocs = Path(sys.executable).with_name("mkdocs")
        subprocess.run([str(mkdocs), "build", "--strict", "-q"], cwd=project, check=True)
        _save(record(project / "site"), args.out)
        print(f"{args.out}: {len(_load(args.out)['pages'])} pages")
        return 0
    if args.cmd == "record":
        data = record(Path(args.site))
        _save(data, args.out)
        print(f"{args.out}: {len(data['pages'])} pages")
        return 0
    report = compare(_load(args.a), _load(args.b), files=not args.pages_only)
    if report:
        print("\n".join(report))
        print(f"差分があります: {sum(1 for s in report if not s.startswith(' '))} 件")
        return 1
    print("同じです: すべてのページの本文・ID・リンクが一致しました")
    return 0


if __name__ == "__main__":
    sys.exit(main())
