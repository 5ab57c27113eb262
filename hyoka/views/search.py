"""The search view: the in-browser search page (search/index.md), its script and stylesheet, and the
sharded index under search-index/ (hyoka.sitesearch writes it; the plugin checks it against Whoosh).

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from pathlib import Path

from .. import fields
from ..companies import load_companies
from ..sitesearch import INDEX_DIR, SEARCH_PAGE, company_names, documents, export_files, search_page
from ..site import Asset, Page, SiteContext

NAME = "search"


def generate(corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """The search page and the sharded index (its script and stylesheet are static files: hyoka.assets),
    a block's files at a time (with a sink, hyoka.views.build_outputs writes each at once); the blocks whose
    documents did not change are read from the disk cache (`corpus.cache`)."""
    yield Page(SEARCH_PAGE, "検索", search_page(), in_nav=True, data=twin())
    names = company_names(load_companies(Path(ctx.site_config_dir or "site_config")))
    cache = getattr(corpus, "cache", None)
    for path, content in export_files(documents(corpus, ctx), company_names=names, cache=cache):  # checked by hyoka_search.sitecheck
        yield Asset(f"{INDEX_DIR}/{path}", content)


def twin() -> dict:
    """The search page's JSON twin: the facets it filters by (hyoka.fields, the one registry) and where its index is."""
    return {
        "index": f"../{INDEX_DIR}/manifest.json",
        "facets": [
            {"name": f.name, "label": f.label, "source": f"{f.source[0].__name__}.{f.source[1]}" if f.source else None,
             "multi": f.multi, "order": list(f.order) if f.order else None, "browser": f.browser,
             "cli_option": f"--{f.option}" if f.option else None, "help": f.help}
            for f in fields.FACETS
        ],
    }
