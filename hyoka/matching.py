"""The matching form of a text: what "a query term matches an item" means, in one place.

Shared by the auditors' Whoosh analysis (`hyoka_search.analysis`, which re-exports these) and the
in-browser search index (`hyoka.sitesearch`); the browser's copy is `static/hyoka-sitesearch.js`.
NFKC, lower case, all white space removed (PDF line breaks and full-width spaces inside words do not
break a match).  Separate text segments of one document are joined with SEGMENT_SEP; no gram crosses it.

No MkDocs and no Whoosh here.
"""

from __future__ import annotations

import re
import unicodedata

SEGMENT_SEP = "\x1f"
_WS_RE = re.compile(r"\s+")
_CTRL_RE = re.compile(r"[\x00-\x1f\x7f]")


def normalize(text: str) -> str:
    """The matching form of a text (keeps SEGMENT_SEP)."""
    s = unicodedata.normalize("NFKC", text).lower()
    return _WS_RE.sub("", s.replace(SEGMENT_SEP, "\0")).replace("\0", SEGMENT_SEP)


def normalize_query_term(text: str) -> str:
    """A query term in matching form: like `normalize`, and no control characters."""
    return _CTRL_RE.sub("", normalize(text))


def grams(term: str) -> list[str]:
    """The bigrams of a normalised term (a one-character term is its own unigram)."""
    if len(term) <= 1:
        return [term] if term else []
    return [term[i : i + 2] for i in range(len(term) - 1)]
