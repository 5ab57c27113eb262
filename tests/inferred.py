"""Answers placed by inference (issue 15): their 曖昧 notes in the real YAML, and 「⚠ 曖昧」 at the item on the page.

A content test lists, per document, the path of every choice or tick answer whose place in the source was
inferred (a lone bracket far from its question, brackets in a shared block, an order argument) and the page
anchor where a reader sees that answer. These helpers check both against the real files.
"""

from __future__ import annotations

import re

from htmlquery import hrefs, soup
from htmlquery import text as hq_text
from hyoka import schema as S


def ambiguous_note(doc: S.Assessment, path: str) -> tuple[int, S.TranscriptionNote]:
    """The one 曖昧 note naming exactly `path`, with its index (転記メモ number − 1)."""
    found = [(i, n) for i, n in enumerate(doc.transcription_notes) if n.path == path and n.kind == "曖昧"]
    kinds = [n.kind for n in doc.transcription_notes if n.path == path]
    assert len(found) == 1, f"{doc.id}: {path} には種類「曖昧」の転記メモが1件必要（いまの種類: {kinds}）"
    return found[0]


def assert_inferences_noted(doc: S.Assessment, paths) -> None:
    """Every inferred answer has a 曖昧 note on its own path, with its reasoning and source lines."""
    for path in paths:
        _, note = ambiguous_note(doc, path)
        assert note.source_lines, f"{path}: 出典の行がない"
        # the reasoning cites the lines it argues from
        assert re.search(r"[0-9]+行", note.note), f"{path}: メモに根拠の行番号がない: {note.note}"


def assert_shown_as_ambiguous(html: str, doc: S.Assessment, where: dict[str, str]) -> None:
    """On the built page, each inferred answer's row (`where`: path → anchor) carries its 「⚠ 曖昧」 note."""
    page = soup(html)
    for path, anchor in where.items():
        i, note = ambiguous_note(doc, path)
        row = page.find(id=anchor)
        assert row is not None, f"#{anchor} がページにない"
        text = hq_text(row)
        assert f"#transcription_notes-{i + 1}" in hrefs(row), f"{path}: 転記メモ {i + 1} が #{anchor} に表示されていない"
        assert "⚠ 曖昧" in text, f"#{anchor} に「⚠ 曖昧」がない"
        assert " ".join(note.note.split())[:40] in " ".join(text.split()), f"#{anchor} にメモの本文がない"
        # the list of notes at the end links back to that very row
        listed = page.find(id=f"transcription_notes-{i + 1}")
        assert f"#{anchor}" in (hrefs(listed) if listed is not None else []), f"{path}: 転記メモの一覧から #{anchor} へのリンクがない"
