"""The core's static files: every file in hyoka/static/ (CSS and JavaScript) is published under
`assets/` of the site as it is.  A front end copies them (the MkDocs plugin adds them in `on_config`
and `on_files`); `EVERY_PAGE_CSS` / `EVERY_PAGE_JS` are linked from every page (MkDocs: `extra_css`,
`extra_javascript`), the others are linked by the pages that use them (the filter form's head).

No MkDocs here.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")
SITE_DIR = "assets"

EVERY_PAGE_CSS = ("assets/hyoka.css", "assets/hyoka-sitesearch.css")
EVERY_PAGE_JS = (
    "assets/hyoka-sitesearch.js",  # the search box in the header, and the search page
    "assets/hyoka-terms.js",  # a form term's explanation on a first tap (hyoka.glossary)
    "assets/hyoka-page.js",  # folds opened by permalinks; ¶ copies the link (assessment and every page with ¶)
)


def files() -> list[tuple[str, Path]]:
    """(site path, file) of every static file, in name order."""
    return [(f"{SITE_DIR}/{p.name}", p) for p in sorted(STATIC.iterdir()) if p.is_file() and p.suffix in (".css", ".js", ".svg")]


def read(site_path: str) -> bytes:
    """The bytes of one static file by its site path (`assets/hyoka.css`)."""
    for path, f in files():
        if path == site_path:
            return f.read_bytes()
    raise KeyError(site_path)
