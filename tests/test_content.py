"""The transcribed values of every real document of content/, checked against expected-value data.

One file per document, `tests/expected/<document id>.yaml` (read by the project's own marked YAML reader, so a
duplicate key there is an error, and every entry knows its line):

    document: kanazawa-covid19-yobosesshu-zenkomoku
    seed: seeds/001_47ad8aee5670d873.txt           # the source the seed lines below refer to
    page: kanazawa/kanazawa-covid19-yobosesshu-zenkomoku/index.html   # the built page (optional)
    values:                                        # path → expected value, checked on the loaded model
      form_version: {is: 令和7年5月 様式4, line: 26}
      cover.number: "28"                           # a plain value means `is`
      files[0].retention.erasure@lines[1]: {is: ①…, line: 262}
    inferred:                                      # answers placed by inference (issue 15): path → where the page shows it
      files[0].retention.period.period: {anchor: files-1-retention-period-period, line: 256}
    page_text:                                     # anchor → text the reader sees in that element
      risk-2-2-2-2: {contains: [◉1） 特に力を入れている← 回答], line: 8410}

Paths are the transcription notes' paths (`files[0].entrustment.items[2].handlers`) with a few additions:
`[label=…]` the one element whose field is exactly …; `[label~=…]` the one whose field contains …; `[?kind=曖昧]`,
`[?kind~=…]`, `[?answer!=null]` the elements that match (a list); `[*]` every element (the rest of the path is taken
for each, and a second `[*]` flattens); `@len` the length; `@lines` the text's lines (`str.splitlines`).
An expectation is one of `is` (equal; a YAML date is a date), `startswith`, `endswith`, `contains` (a substring of a
text, or an element of a list; a list of them: every one), `all` (a non-empty list whose every element is equal),
`count` (the length of the list, after the steps), with the seed `line` (or lines) the value was read from. Every
failure names the document, the path, the expected and the actual value, the seed line and the line of the
expectation.

Each `inferred` answer has exactly one 曖昧 note at its path (no 補足 beside it), with its reasoning and 出典の行
including `line`; on the page its row (`anchor`; for a whole section, the note after the heading) shows 「⚠ 曖昧」, the
note, its lines and a link to it, the chosen answer for an `.answer`, and the list of notes links back to `anchor`.
`special:` names checks that are not a value (`round_trip`, `null_reasons_noted`, `notes_cite_lines`, below).

The pytest ids are `<document>:<path>` (`test_value[kazo-yobosesshu-juten:files[0].basics.persons]`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import Any

import pytest
import realcontent
from htmlquery import Tag, soup
from htmlquery import text as hq_text
from realcontent import real_doc

from hyoka.loader import dump_yaml, load_document
from hyoka.yamlmarks import read_marked

EXPECTED = Path(__file__).resolve().parent / "expected"
REPO = EXPECTED.parent.parent
COMPARATORS = ("is", "startswith", "endswith", "contains", "all", "count")
TOP_KEYS = {"document", "seed", "page", "values", "inferred", "page_text", "special"}


# ---- the expectations ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Check:
    """One expected value: `path` of document `doc` compared by `how` with `expected`."""

    doc: str
    seed: str
    path: str
    how: str
    expected: Any
    line: str | None  # the seed line(s) the value was read from
    at: str  # where the expectation is written (tests/expected/x.yaml:12)

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.path}" + ("" if self.how == "is" else f":{self.how}")


@dataclasses.dataclass(frozen=True)
class Inferred:
    """An answer placed by inference: its 曖昧 note, and the page anchor where a reader sees it."""

    doc: str
    seed: str
    page: str | None
    path: str
    anchor: str | None
    line: str | None
    at: str

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.path}"


@dataclasses.dataclass(frozen=True)
class PageText:
    """Text a reader sees inside the element `#anchor` of the document's page."""

    doc: str
    seed: str
    page: str
    anchor: str
    contains: tuple[str, ...]
    line: str | None
    at: str

    @property
    def id(self) -> str:
        return f"{self.doc}:#{self.anchor}"


@dataclasses.dataclass(frozen=True)
class Expectation:
    doc: str
    seed: str
    page: str | None
    file: Path
    values: tuple[Check, ...]
    inferred: tuple[Inferred, ...]
    page_text: tuple[PageText, ...]
    special: tuple[str, ...]


class BadExpectation(Exception):
    """A data file that is not a valid expectation (a test error, not a content failure)."""


def parse_expectation(raw: bytes, file: Path) -> Expectation:
    rel = file.relative_to(REPO) if file.is_relative_to(REPO) else file
    marked, problems = read_marked(raw, str(rel))
    if marked is None or problems:
        raise BadExpectation("\n".join(str(p) for p in problems))
    data = marked.data

    def at(*path) -> str:
        return f"{rel}:{marked.pos(path).line}"

    def fail(msg: str, *path) -> BadExpectation:
        return BadExpectation(f"{at(*path)}: {msg}")

    if not isinstance(data, dict) or not {"document", "seed"} <= data.keys():
        raise fail("document と seed が必要です")
    if unknown := data.keys() - TOP_KEYS:
        raise fail(f"知らないキー {sorted(unknown)}（使えるのは {sorted(TOP_KEYS)}）")
    doc, seed, page = data["document"], data["seed"], data.get("page")

    def line_of(entry: dict, *path) -> str | None:
        line = entry.get("line")
        if line is not None and not isinstance(line, int | str):
            raise fail("line は行番号（例: 26 または \"256-258\"）", *path)
        return None if line is None else str(line)

    values = []
    for path, entry in (data.get("values") or {}).items():
        parse_path(path)  # a malformed path is an error in the data, found before any test runs
        if not isinstance(entry, dict):
            entry = {"is": entry}
        if unknown := entry.keys() - {*COMPARATORS, "line"}:
            raise fail(f"{path}: 知らないキー {sorted(unknown)}（値が辞書なら {{is: {{…}}}} と書く）", "values", path)
        hows = [h for h in COMPARATORS if h in entry]
        if not hows:
            raise fail(f"{path}: 期待値がない（{' / '.join(COMPARATORS)} のどれか）", "values", path)
        for how in hows:
            values.append(Check(doc, seed, path, how, entry[how], line_of(entry, "values", path), at("values", path)))
    inferred = []
    for path, entry in (data.get("inferred") or {}).items():
        parse_path(path)
        if not isinstance(entry, dict) or entry.keys() - {"anchor", "line"}:
            raise fail(f"{path}: inferred の項目は {{anchor: …, line: …}}", "inferred", path)
        inferred.append(Inferred(doc, seed, page, path, entry.get("anchor"), line_of(entry, "inferred", path), at("inferred", path)))
    page_text = []
    for anchor, entry in (data.get("page_text") or {}).items():
        if not page or not isinstance(entry, dict) or entry.keys() - {"contains", "line"} or "contains" not in entry:
            raise fail(f"{anchor}: page_text の項目は {{contains: […], line: …}}（page も必要）", "page_text", anchor)
        wanted = entry["contains"] if isinstance(entry["contains"], list) else [entry["contains"]]
        page_text.append(PageText(doc, seed, page, anchor, tuple(wanted), line_of(entry, "page_text", anchor), at("page_text", anchor)))
    special = tuple(data.get("special") or ())
    if unknown := set(special) - SPECIAL.keys():
        raise fail(f"知らない special {sorted(unknown)}（使えるのは {sorted(SPECIAL)}）", "special")
    return Expectation(doc, seed, page, file, tuple(values), tuple(inferred), tuple(page_text), special)


@functools.lru_cache(maxsize=None)
def expectations() -> tuple[Expectation, ...]:
    return tuple(parse_expectation(p.read_bytes(), p) for p in sorted(EXPECTED.glob("*.yaml")))


# ---- paths --------------------------------------------------------------------------------------

_SELECT = re.compile(r"(?P<filter>\?)?(?P<field>[A-Za-z_][A-Za-z0-9_]*)(?P<op>~=|!=|=)(?P<value>.*)", re.S)


def parse_path(path: str) -> list[tuple[str, Any]]:
    """`a.b[0][label=x][?k=v][*]@len` → [("attr", "a"), ("attr", "b"), ("index", 0), ("one", …), …]."""
    steps: list[tuple[str, Any]] = []
    i, n = 0, len(path)
    while i < n:
        c = path[i]
        if c == "[":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"[": 1, "]": -1}.get(path[j], 0)
                j += 1
            if depth:
                raise BadExpectation(f"{path}: 閉じていない [")
            inner = path[i + 1 : j - 1]
            if inner == "*":
                steps.append(("each", None))
            elif re.fullmatch(r"-?[0-9]+", inner):
                steps.append(("index", int(inner)))
            elif m := _SELECT.fullmatch(inner):
                if m["op"] == "!=" and not m["filter"]:
                    raise BadExpectation(f"{path}: != は [?…] の中だけ")
                value = None if m["value"] == "null" else m["value"]
                steps.append(("filter" if m["filter"] else "one", (m["field"], m["op"], value)))
            else:
                raise BadExpectation(f"{path}: 読めない [{inner}]")
            i = j
        elif c == "@":
            m = re.match(r"@([a-z]+)", path[i:])
            if not m or m[1] not in ("len", "lines"):
                raise BadExpectation(f"{path}: 知らない関数 {path[i:]}（@len, @lines）")
            steps.append(("call", m[1]))
            i += m.end()
        else:
            if c == ".":
                i += 1
            m = re.match(r"[^.\[@]+", path[i:])  # a field, or a key of a mapping (details.その他)
            if not m:
                raise BadExpectation(f"{path}: 読めない位置 {i}: {path[i:]!r}")
            steps.append(("attr", m[0]))
            i += m.end()
    return steps


class Many(list):
    """The values of a path after `[*]`: each later step applies to every one of them."""


class PathError(Exception):
    pass


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        if name not in obj:
            raise PathError(f"キー {name} がない（あるのは {sorted(obj)}）")
        return obj[name]
    if not hasattr(obj, name):
        raise PathError(f"{type(obj).__name__} に {name} がない")
    return getattr(obj, name)


def _matches(el: Any, field: str, op: str, value: str | None) -> bool:
    got = _field(el, field)
    if op == "=":
        return got is None if value is None else got is not None and str(got) == value
    if op == "!=":
        return got is not None if value is None else got is None or str(got) != value
    return got is not None and value is not None and value in str(got)


def _step(obj: Any, kind: str, arg: Any) -> Any:
    if obj is None and kind != "call":
        raise PathError("値が null で、その先がない")
    if kind == "attr":
        return _field(obj, arg)
    if kind == "index":
        if not isinstance(obj, list | tuple) or not -len(obj) <= arg < len(obj):
            raise PathError(f"[{arg}] がない（{len(obj) if isinstance(obj, list | tuple) else type(obj).__name__} 件）")
        return obj[arg]
    if kind in ("one", "filter"):
        if not isinstance(obj, list | tuple):
            raise PathError(f"リストではない（{type(obj).__name__}）")
        found = [el for el in obj if _matches(el, *arg)]
        if kind == "filter":
            return found
        if len(found) != 1:
            field, op, value = arg
            raise PathError(f"[{field}{op}{value}] に当たる要素が {len(found)} 件（1 件のはず）")
        return found[0]
    if kind == "call":
        if arg == "len":
            if obj is None:
                raise PathError("null の長さ")
            return len(obj)
        if not isinstance(obj, str):
            raise PathError(f"@lines は文字列にだけ（{type(obj).__name__}）")
        return obj.splitlines()
    raise AssertionError(kind)


def resolve(root: Any, path: str) -> Any:
    """The value at `path` in `root`; a `PathError` names the step that has no value."""
    obj: Any = root
    done = ""
    for kind, arg in parse_path(path):
        try:
            if kind == "each":
                if isinstance(obj, Many):
                    obj = Many(x for el in obj for x in _iterable(el))
                else:
                    obj = Many(_iterable(obj))
            elif isinstance(obj, Many):
                obj = Many(_step(el, kind, arg) for el in obj)
            else:
                obj = _step(obj, kind, arg)
        except PathError as exc:
            raise PathError(f"{done or '(文書)'} の先: {exc}") from None
        done = path[: _consumed(path, done, kind, arg)]
    return list(obj) if isinstance(obj, Many) else obj


def _iterable(obj: Any) -> list:
    if not isinstance(obj, list | tuple):
        raise PathError(f"[*] はリストにだけ（{type(obj).__name__}）")
    return list(obj)


def _consumed(path: str, done: str, kind: str, arg: Any) -> int:
    """How far into `path` the steps so far reach (for the message: 'files[0].entrustment の先: …')."""
    rest = path[len(done) :]
    if kind == "attr":
        return len(done) + rest.index(arg) + len(arg)
    if kind == "call":
        return len(done) + rest.index("@" + arg) + 1 + len(arg)
    depth, j = 0, 0
    for j, c in enumerate(rest):
        depth += {"[": 1, "]": -1}.get(c, 0)
        if c == "]" and depth == 0:
            break
    return len(done) + j + 1


# ---- the checks ---------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equal, and a bool or a number is not a text (YAML's `no` or `28` against 「no」 or 「28」)."""
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, int | float) or isinstance(b, int | float):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _holds(how: str, actual: Any, expected: Any) -> bool:
    if how == "is":
        return _same(actual, expected)
    if how in ("startswith", "endswith"):
        return isinstance(actual, str) and getattr(actual, how)(expected)
    if how == "contains":
        wanted = expected if isinstance(expected, list) else [expected]
        if isinstance(actual, str):
            return all(isinstance(w, str) and w in actual for w in wanted)
        if isinstance(actual, list):
            return all(any(_same(a, w) for a in actual) for w in wanted)
        return False
    if how == "all":
        return isinstance(actual, list) and bool(actual) and all(_same(a, expected) for a in actual)
    if how == "count":
        return isinstance(actual, list | tuple | str) and _same(len(actual), expected)
    raise AssertionError(how)


def _seed(seed: str, line: str | None) -> str:
    return f"{seed} {line}行" if line else f"{seed}（行の記載なし）"


def failure(check: Check, doc: Any) -> str | None:
    """None when the document satisfies `check`, else the message a failing test shows."""
    head = f"{check.doc}: {check.path}"
    where = f"出典: {_seed(check.seed, check.line)} / 期待値: {check.at}"
    try:
        actual = resolve(doc, check.path)
    except PathError as exc:
        return f"{head}: 値がない: {exc}\n  期待 ({check.how}): {check.expected!r}\n  {where}"
    if _holds(check.how, actual, check.expected):
        return None
    return f"{head}\n  期待 ({check.how}): {check.expected!r}\n  実際: {actual!r}\n  {where}"


@functools.lru_cache(maxsize=None)
def document(doc_id: str):
    return real_doc(doc_id)


def _all(kind: str) -> list:
    return [x for e in expectations() for x in getattr(e, kind)]


def test_value(check: Check):
    message = failure(check, document(check.doc))
    if message is not None:
        pytest.fail(message, pytrace=False)  # the message says all: document, path, expected, actual, lines


def test_validates_in_the_corpus_without_problems(doc_id):
    realcontent.assert_valid_in_corpus(doc_id)


def test_every_document_of_content_has_expectations():
    """An assessment added to content/ gets its expected values (or this test says which one has none); every
    expectation file names a document of content/."""
    ids = {e.doc for e in expectations()}
    corpus = realcontent.corpus()
    assessments = {d.id for d in corpus.assessments}
    assert assessments - ids == set(), f"tests/expected/ に期待値のない評価書: {sorted(assessments - ids)}"
    every = assessments | {d.id for d in corpus.council_records}
    assert ids - every == set(), f"content/ にない文書の期待値: {sorted(ids - every)}"
    for e in expectations():
        assert e.file.stem == e.doc, f"{e.file}: document は {e.doc}（ファイル名と同じにする）"


# ---- answers placed by inference (issue 15) ------------------------------------------------------


def _seed_lines(spec: str) -> set[int]:
    lines: set[int] = set()
    for part in re.split(r"[,、]", spec):
        a, _, b = part.strip().partition("-")
        if a.isdigit():
            lines.update(range(int(a), int(b if b.isdigit() else a) + 1))
    return lines


def ambiguous_note(doc: Any, item: Inferred) -> tuple[int, Any]:
    """The one 曖昧 note at exactly the path, with its index (転記メモ number − 1)."""
    found = [(i, n) for i, n in enumerate(doc.transcription_notes) if n.path == item.path and n.kind == "曖昧"]
    kinds = [n.kind for n in doc.transcription_notes if n.path == item.path]
    assert len(found) == 1, f"{item.doc}: {item.path} には種類「曖昧」の転記メモが1件必要（いまの種類: {kinds}; {item.at}）"
    return found[0]


def test_inferred_answer_has_its_ambiguity_note(item: Inferred):
    """The note says why (more than a phrase), cites the seed lines it argues from, and is not a 補足 as well."""
    doc = document(item.doc)
    _, note = ambiguous_note(doc, item)
    head = f"{item.doc}: {item.path}"
    kinds = [n.kind for n in doc.transcription_notes if n.path == item.path]
    assert "補足" not in kinds, f"{head}: 推定が 補足 のまま残っている（{item.at}）"
    assert note.source_lines, f"{head}: 出典の行がない（{item.at}）"
    assert len(note.note) > 40, f"{head}: 理由が書かれていない: {note.note}（{item.at}）"
    if item.line:  # the note's 出典の行 include a line the expectation names
        assert _seed_lines(item.line) & _seed_lines(note.source_lines), f"{head}: 出典の {item.line} 行がメモにない（{note.source_lines}; {item.at}）"
    try:
        value = resolve(doc, item.path)
    except PathError as exc:
        raise AssertionError(f"{head}: 転記メモが指す回答がない: {exc}（{item.at}）") from None
    assert value is not None, f"{head}: 転記メモが指す回答が null（{item.at}）"


class Page:
    """A built page, parsed once, with its elements by id and its links by href (BeautifulSoup's `find(id=…)`
    walks the whole page each time: 115 look-ups on pages of ~20,000 elements took most of the test's time)."""

    def __init__(self, html: str):
        self.soup = soup(html)
        self.by_id: dict[str, Tag] = {}
        self.links: dict[str, list[Tag]] = {}
        for el in self.soup.descendants:
            if isinstance(el, Tag):
                if el.get("id"):
                    self.by_id.setdefault(el["id"], el)
                if el.name == "a" and el.get("href"):
                    self.links.setdefault(el["href"], []).append(el)

    def link_inside(self, href: str, el: Tag) -> Tag | None:
        """The first link to `href` inside `el`."""
        return next((a for a in self.links.get(href, []) if any(p is el for p in a.parents)), None)

    def link_after(self, href: str, el: Tag) -> Tag | None:
        """The first link to `href` that comes after the start of `el` in the page."""
        start = (el.sourceline, el.sourcepos)
        return next((a for a in self.links.get(href, []) if (a.sourceline, a.sourcepos) > start), None)


@functools.lru_cache(maxsize=None)
def _parsed(site_dir: str, page: str) -> Page:
    return Page((Path(site_dir) / page).read_text(encoding="utf-8"))


def _page(built_site, doc_id: str, page: str) -> Page:
    assert doc_id in built_site.real_ids, "content/ did not validate, so the real documents were not built"
    return _parsed(str(built_site.site), page)


def test_inferred_answer_shows_ambiguous_on_the_page(built_site, item: Inferred):
    """At the item's row: 「⚠ 曖昧」, the note, its seed lines and a link to it; the list of notes links back."""
    doc = document(item.doc)
    i, note = ambiguous_note(doc, item)
    page = _page(built_site, item.doc, item.page)
    head = f"{item.doc}: {item.path} (#{item.anchor}, {item.at})"
    row = page.by_id.get(item.anchor)
    assert row is not None, f"{head}: #{item.anchor} がページにない"
    link = f"#transcription_notes-{i + 1}"
    if "[" in item.path:  # an item (of a list): the note is inside its row, not in a row inside it
        marker = page.link_inside(link, row)
        assert marker is not None, f"{head}: 転記メモ {i + 1} へのリンクが #{item.anchor} の中にない"
        inner = []  # the rows that start inside this one before the marker
        for el in row.descendants:
            if el is marker:
                break
            if getattr(el, "get", None) and "hy-row" in (el.get("class") or []):
                inner.append(el)
        assert inner == [], f"{head}: メモが #{item.anchor} の中の別の項目（#{inner[0].get('id')}）に出ている"
    else:  # a whole section (`other_measures`): the note follows its heading
        marker = page.link_after(link, row)
        assert marker is not None, f"{head}: 転記メモ {i + 1} へのリンクが #{item.anchor} の後にない"
    box = marker.find_parent("div", class_="hy-note")
    assert box is not None, f"{head}: 転記メモ {i + 1} へのリンクがメモの枠（.hy-note）の中にない"
    assert hq_text(box).startswith("⚠ 曖昧") and note.note[:30] in hq_text(box), f"{head}: メモの枠: {hq_text(box)[:80]}"
    shown = hq_text(row if "[" in item.path else box)
    assert "⚠ 曖昧" in shown, f"{head}: 「⚠ 曖昧」がない"
    assert note.note[:40] in shown, f"{head}: メモの本文がない"
    assert note.source_lines in shown, f"{head}: 出典の行 {note.source_lines} がない"
    listed = page.by_id.get(f"transcription_notes-{i + 1}")
    assert listed is not None, f"{head}: 転記メモの一覧に {i + 1} がない"
    back = [a["href"] for a in listed.select("a[href]") if "該当の項目へ" in hq_text(a)]
    assert back == [f"#{item.anchor}"], f"{head}: 転記メモの一覧の「該当の項目へ」が #{item.anchor} でない: {back}"
    if item.path.endswith((".answer", ".handlers")):  # the row shows that very answer as chosen
        value = resolve(doc, item.path)
        assert f"{value}← 回答" in shown, f"{head}: 回答 {value} が選ばれていない"


def test_page_text(built_site, text: PageText):
    item = text
    el = _page(built_site, item.doc, item.page).by_id.get(item.anchor)
    head = f"{item.doc}: #{item.anchor}（出典: {_seed(item.seed, item.line)} / 期待値: {item.at}）"
    assert el is not None, f"{head}: ページにない"
    shown = hq_text(el)
    for wanted in item.contains:
        assert wanted in shown, f"{head}: {wanted!r} がない\n  実際: {' '.join(shown.split())[:400]}"


# ---- checks that are not a value (named under `special:` in a document's file) -------------------


def _round_trip(exp, doc, tmp_path):
    """dump_yaml writes the document back so that it loads to the same model."""
    out = tmp_path / f"{doc.id}.yaml"
    out.write_text(dump_yaml(doc), encoding="utf-8")
    again, problems = load_document(out)
    assert problems == [], "\n".join(str(p) for p in problems)
    assert again.doc == doc
    assert again.doc.model_dump() == doc.model_dump()


def _null_reasons_noted(exp, doc, tmp_path):
    """Every 別添 change row without a 説明 (reason) has a transcription note at that reason."""
    noted = {n.path for n in doc.transcription_notes}
    missing = [f"changes[{i}].reason" for i, c in enumerate(doc.changes) if c.reason is None and f"changes[{i}].reason" not in noted]
    assert missing == [], f"{doc.id}: 転記メモのない空の説明: {missing}"


def _notes_cite_lines(exp, doc, tmp_path):
    """The note of each inferred answer cites, in its own words, the seed lines it argues from (「…（256行）」)."""
    for item in exp.inferred:
        _, note = ambiguous_note(doc, item)
        assert re.search(r"[0-9]+行", note.note), f"{item.doc}: {item.path}: メモに根拠の行番号がない: {note.note}（{item.at}）"


SPECIAL = {"round_trip": _round_trip, "null_reasons_noted": _null_reasons_noted, "notes_cite_lines": _notes_cite_lines}


def test_special(doc_id, name, tmp_path):
    (exp,) = [e for e in expectations() if e.doc == doc_id]
    SPECIAL[name](exp, document(doc_id), tmp_path)


# ---- the checker can fail, and says where ------------------------------------------------------


def test_a_changed_expectation_fails_naming_its_path(exp: Expectation, tmp_path):
    """For each document: one expected value changed in a copy of its file makes the checker report exactly that
    path, with the expected and actual values, the seed line and the line of the copy."""
    raw = exp.file.read_text(encoding="utf-8")
    # the first check on a text with its seed line (or, in a file with no seed lines, the first on a text)
    texts = [c for c in exp.values if c.how in ("is", "contains") and isinstance(c.expected, str)]
    target = next((c for c in texts if c.line), texts[0])
    lines = raw.splitlines(keepends=True)
    n = int(target.at.rsplit(":", 1)[1]) - 1  # the entry's own line in the file
    assert target.expected in lines[n], (target.at, lines[n])
    lines[n] = lines[n].replace(target.expected, target.expected + "（改変）", 1)
    mutated = "".join(lines)
    copy_file = tmp_path / exp.file.name
    copy_file.write_text(mutated, encoding="utf-8")
    again = parse_expectation(copy_file.read_bytes(), copy_file)
    doc = document(exp.doc)
    failing = [(c, failure(c, doc)) for c in again.values]
    failing = [(c, m) for c, m in failing if m is not None]
    assert [c.path for c, _ in failing] == [target.path], [m for _, m in failing]
    message = failing[0][1]
    seed_line = f"{target.line}行" if target.line else "（行の記載なし）"
    for part in (exp.doc, target.path, repr(target.expected + "（改変）"), repr(target.expected), seed_line, exp.seed, f"{copy_file}:"):
        assert part in message, (part, message)


def test_the_path_language():
    """The steps of a path, on a plain structure (what each selector means)."""
    data = {"items": [{"label": "甲", "answer": "十分である"}, {"label": "乙の項目", "answer": None}, {"label": "丙", "answer": "十分である"}]}
    assert resolve(data, "items[label=甲].answer") == "十分である"
    assert resolve(data, "items[label~=乙].answer") is None
    assert resolve(data, "items[?answer=null]@len") == 1
    assert resolve(data, "items[?answer!=null][*].label") == ["甲", "丙"]
    assert resolve(data, "items[*].label@len") == [1, 4, 1]
    assert resolve(data, "items[-1].label") == "丙"
    assert resolve({"t": "a\nb"}, "t@lines[1]") == "b"
    for bad, why in (("items[label=丁].answer", "0 件"), ("items[5]", "[5] がない"), ("items[0].nothing", "nothing")):
        with pytest.raises(PathError, match=re.escape(why)):
            resolve(data, bad)
    assert _holds("contains", ["a", "b"], ["b", "a"]) and not _holds("contains", ["a"], ["a", "c"])
    assert not _holds("all", [], "x") and not _holds("is", "28", 28) and not _holds("is", 1, True)


# ---- ids that name the document and the path ----------------------------------------------------


class _Ids:
    """pytest escapes non-ASCII characters in ids; a document's path is Japanese (`[label=死者の個人番号]`), and the
    id must be readable where it fails. Ids returned by this hook are used as they are."""

    def pytest_make_parametrize_id(self, config, val, argname):
        return val.id if isinstance(val, Check | Inferred | PageText) else None



def pytest_generate_tests(metafunc):
    """The parameters of the tests above: every expectation of every file (ids by `_Ids`)."""
    if metafunc.config.pluginmanager.get_plugin("hyoka-content-ids") is None:
        metafunc.config.pluginmanager.register(_Ids(), "hyoka-content-ids")
    name = metafunc.function.__name__
    if "check" in metafunc.fixturenames:
        metafunc.parametrize("check", _all("values"))
    elif "item" in metafunc.fixturenames and name == "test_inferred_answer_shows_ambiguous_on_the_page":
        metafunc.parametrize("item", [x for x in _all("inferred") if x.anchor])
    elif "item" in metafunc.fixturenames:
        metafunc.parametrize("item", _all("inferred"))
    elif "text" in metafunc.fixturenames:
        metafunc.parametrize("text", _all("page_text"))
    elif "name" in metafunc.fixturenames:
        metafunc.parametrize(("doc_id", "name"), [pytest.param(e.doc, s, id=f"{e.doc}:{s}") for e in expectations() for s in e.special])
    elif "doc_id" in metafunc.fixturenames:
        metafunc.parametrize("doc_id", [e.doc for e in expectations()])
    elif "exp" in metafunc.fixturenames:
        metafunc.parametrize("exp", [pytest.param(e, id=e.doc) for e in expectations()])
