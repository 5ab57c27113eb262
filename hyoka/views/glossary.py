"""The glossary view (issue 16): glossary/index.md, every term of hyoka.glossary with its anchor, in the nav.
The script that opens a term's explanation on a first tap is a static file (hyoka/static/hyoka-terms.js,
on every page: hyoka.assets).

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from ..glossary import PAGE, TERMS
from ..loader import Corpus
from ..site import Page, SiteContext
from ..templating import render
from .twin import plain

NAME = "glossary"


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    """glossary/index.md (its twin: the terms)."""
    md = render("glossary.md", front={"title": "用語集"}, terms=TERMS)
    yield Page(PAGE, "用語集", md, in_nav=True, data=plain({"terms": TERMS}))
