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
        assert any(w in pr.message for w in ("制御文字", "YAML", "改行として")  for pr in problems), problems
