"""The real content/ for the content tests: each document loaded alone, and the whole corpus once."""

from __future__ import annotations

import functools
from pathlib import Path

from hyoka.loader import Corpus, load_corpus, load_document

ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=None)
def corpus() -> Corpus:
    return load_corpus(ROOT / "content", ROOT / "site_config", root=ROOT)


def real_doc(doc_id: str):
    """One document of content/, validated on its own (no problem allowed)."""
    (path,) = (ROOT / "content").glob(f"*/{doc_id}.yaml")
    loaded, problems = load_document(path)
    assert problems == [], "\n".join(str(p) for p in problems)
    return loaded.doc


def assert_valid_in_corpus(*doc_ids: str) -> None:
    """These documents load with the rest of content/ with no problem, cross-file checks included."""
    c = corpus()
    mine = [p for p in c.problems if any(i in str(p) for i in doc_ids)]
    assert mine == [], "\n".join(str(p) for p in mine)
    for i in doc_ids:
        assert c.by_id(i) is not None, i
