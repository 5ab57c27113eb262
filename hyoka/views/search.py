"""The search view: the in-browser search page (search/index.md), its script and stylesheet, and the
sharded index under search-index/ (hyoka.sitesearch writes it; the plugin checks it against Whoosh).

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from ..sitesearch import INDEX_DIR, SEARCH_PAGE, documents, export, search_page
from ..site import Asset, Page, SiteContext

NAME = "search"


def generate(corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """The search page and the sharded index (its script and stylesheet are static files: hyoka.assets)."""
    yield Page(SEARCH_PAGE, "検索", search_page(), in_nav=True)
    for path, content in export(documents(corpus, ctx)).items():  # checked by hyoka_search.sitecheck
        yield Asset(f"{INDEX_DIR}/{path}", content)
