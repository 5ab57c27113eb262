"""The glossary page (issue 16): glossary/index.md, every term of hyoka.glossary with its anchor, in the nav;
and the small script that opens a term's explanation on a first tap (assets/hyoka-terms.js).

    from hyoka import glossary_page    # registers `glossary` into hyoka.site.GENERATORS

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from .glossary import PAGE, TERMS
from .loader import Corpus
from .pages import STATIC
from .site import Asset, Page, SiteContext, register
from .templating import render

JS_PATH = "assets/hyoka-terms.js"


@register
def glossary(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """glossary/index.md and assets/hyoka-terms.js."""
    md = render("glossary.md", front={"title": "用語集"}, terms=TERMS)
    yield Page(PAGE, "用語集", md, in_nav=True)
    yield Asset(JS_PATH, (STATIC / "hyoka-terms.js").read_bytes())
