"""Property-based tests (hypothesis): whatever the input, the loader answers with our problems, never a crash,
and text survives the round trip exactly."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyoka.loader import load_document
from hyoka.yamlmarks import read_marked

MINIMAL = Path(__file__).parent / "fixtures" / "loader" / "minimal.yaml"
BASE = read_marked(MINIMAL.read_bytes(), "minimal.yaml")[0].data
BASE["source"]["as_of"] = BASE["source"]["as_of"].isoformat()

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


PATHS = list(_paths(BASE))
leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False), st.text(max_size=40),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


def _set(data, path, value):
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(PATHS), leaf), min_size=1, max_size=4))
def test_any_mutation_gives_problems_or_a_model_never_a_crash(tmp_path_factory, mutations):
    data = copy.deepcopy(BASE)
    for path, value in mutations:
        try:
            _set(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced a parent
    p = tmp_path_factory.mktemp("m") / "minimal.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded, problems = load_document(p)
    assert (loaded is None) == bool(problems)
    for pr in problems:
        assert pr.line >= 1 and pr.col >= 1 and pr.message


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_give_problems_or_data_never_a_crash(raw):
    marked, problems = read_marked(raw, "x.yaml")
    assert marked is not None or problems


@SETTINGS
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_text_round_trips_exactly_or_is_refused_with_a_reason(tmp_path_factory, text):
    data = copy.deepcopy(BASE)
    data["files"][0]["entrustment"]["items"][0]["contractor"] = text
    p = tmp_path_factory.mktemp("t") / "minimal.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded, problems = load_document(p)
    if loaded is not None:
        assert loaded.doc.files[0].entrustment.items[0].contractor == text
    else:
        # issue 17: blank or invisible-only names, zero-width characters and non-NFC names are refused too
        reasons = ("制御文字", "YAML", "改行として", "見えない文字", "必須の項目が空", "NFC に正規化されていない")
        assert any(w in pr.message for w in reasons for pr in problems), problems


# ---- the renderer: no text, whatever it holds, becomes markup ------------------------------------

import markdown  # noqa: E402

from htmlquery import Tag, soup, text_of  # noqa: E402
from hyoka.loader import Corpus, load_registry  # noqa: E402
from hyoka.views.assessment import render_assessment  # noqa: E402
from hyoka.views.parts import Links  # noqa: E402
from hyoka.schema import Assessment  # noqa: E402

_REGISTRY = load_registry(Path(__file__).resolve().parents[1] / "site_config")[0]
_TEXT_PATHS = [
    ("cover", "title"), ("cover", "remarks"), ("basic_info", "affair", "name"), ("basic_info", "affair", "description"),
    ("files", 0, "name"), ("files", 0, "entrustment", "items", 0, "contractor"), ("files", 0, "entrustment", "items", 0, "title"),
    ("files", 0, "retention", "period", "reason"), ("risks", 0, "sections", 0, "risks", 0, "title"),
    ("risks", 0, "sections", 0, "risks", 0, "items", 0, "label"), ("changes", 0, "before"), ("changes", 0, "reason"),
]


class _Structure:
    """The tags (start with their attribute names, end) of a page in document order, and its text."""

    def __init__(self, html_text: str):
        self.tags: list[tuple] = []
        page = soup(html_text)
        self._walk(page)
        self.text = [text_of(page)]

    def _walk(self, el: Tag) -> None:
        for child in el.children:
            if isinstance(child, Tag):
                self.tags.append((child.name, tuple(sorted(child.attrs))))
                self._walk(child)
                self.tags.append(("/" + child.name,))


def _page(doc_data: dict) -> _Structure:
    doc = Assessment.model_validate(doc_data)
    corpus = Corpus(_REGISTRY, [doc], [], {}, [])
    md = render_assessment(doc, Links(corpus))
    if md.startswith("---\n"):  # front matter, as MkDocs strips it
        md = md.split("\n---\n", 1)[1]
    out = markdown.markdown(md, extensions=["toc", "attr_list"])
    return _Structure(out)


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), min_size=1, max_size=60)
_markupish = st.lists(st.sampled_from(list("<>&\"'`*_#[]()|!{}:=\\-~ \n") + ["<script>", "javascript:", "](", "{: #x }", "&amp;", "<!--", "    ", "字"]), min_size=1, max_size=30).map("".join)


def _structure(tags: list) -> list:
    """The tags but paragraphs and line breaks, with the data-flow picture's wrapped lines of one box as one: a long
    text takes more SVG <text> lines than a short one (hyoka.views.dataflow.wrap), and that is all it may change."""
    out: list = []
    for t in (t for t in tags if t[0] not in ("/p", "p", "br")):
        if t == ("/text",) and len(out) >= 3 and out[-1][0] == "text" and out[-2] == ("/text",) and out[-3] == out[-1]:
            out.pop()  # a further line of the same box: drop its opening tag and this closing one
            continue
        out.append(t)
    return out


@SETTINGS
@given(st.sampled_from(_TEXT_PATHS), st.one_of(_text, _markupish))
def test_rendering_any_text_keeps_the_page_structure(path, text):
    base = copy.deepcopy(BASE)
    neutral = copy.deepcopy(BASE)
    _set(neutral, path, "ニュートラル")
    _set(base, path, text)
    got, ref = _page(base), _page(neutral)
    # the same tags and attribute names as with plain text: nothing in the text became markup
    assert _structure(got.tags) == _structure(ref.tags)
    shown = "".join(got.text)
    for line in text.splitlines():
        if line.strip():
            assert " ".join(line.split()) in " ".join(shown.split())
