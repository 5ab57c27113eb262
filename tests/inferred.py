"""Answers placed by inference (issue 15): their 曖昧 notes in the real YAML, and 「⚠ 曖昧」 at the item on the page.

A content test lists, per document, the path of every choice or tick answer whose place in the source was
inferred (a lone bracket far from its question, brackets in a shared block, an order argument) and the page
anchor where a reader sees that answer. These helpers check both against the real files.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

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


class _Under(HTMLParser):
    """For each element id: the text under it and the hrefs of the links under it."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.hrefs: dict[str, list[str]] = {}
        self.feed(html)

    def _open(self) -> list[str]:
        return [i for _, i in self.stack if i]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            for i in self._open():
                self.hrefs[i].append(a["href"])
        if tag in self.VOID:
            return
        self.stack.append((tag, a.get("id")))
        if a.get("id"):
            self.text.setdefault(a["id"], [])
            self.hrefs.setdefault(a["id"], [])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for i in self._open():
            self.text[i].append(data)


def assert_shown_as_ambiguous(html: str, doc: S.Assessment, where: dict[str, str]) -> None:
    """On the built page, each inferred answer's row (`where`: path → anchor) carries its 「⚠ 曖昧」 note."""
    page = _Under(html)
    for path, anchor in where.items():
        i, note = ambiguous_note(doc, path)
        assert anchor in page.text, f"#{anchor} がページにない"
        text = "".join(page.text[anchor])
        assert f"#transcription_notes-{i + 1}" in page.hrefs[anchor], f"{path}: 転記メモ {i + 1} が #{anchor} に表示されていない"
        assert "⚠ 曖昧" in text, f"#{anchor} に「⚠ 曖昧」がない"
        assert " ".join(note.note.split())[:40] in " ".join(text.split()), f"#{anchor} にメモの本文がない"
        # the list of notes at the end links back to that very row
        assert f"#{anchor}" in page.hrefs.get(f"transcription_notes-{i + 1}", []), f"{path}: 転記メモの一覧から #{anchor} へのリンクがない"
