"""The data model and the loader: valid files load, round-trip, and the schema an editor uses is the model's."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from hyoka.cli import main
from hyoka.jadate import JaDateError, parse_ja_date
from hyoka.jsonschema import document_schema
from hyoka.yamlmarks import read_marked
from hyoka.loader import check_digit_ok, dump_yaml, load_corpus, load_document, load_registry, to_data

HERE = Path(__file__).parent
ROOT = HERE.parent
MINIMAL = HERE / "fixtures" / "loader" / "minimal.yaml"


def test_minimal_fixture_loads_with_values_as_written():
    loaded, problems = load_document(MINIMAL)
    assert problems == []
    doc = loaded.doc
    assert doc.form_name == "全項目評価書"
    assert doc.files[0].retention.period.period == "20年以上"
    assert doc.files[0].entrustment.items[0].contractor == "株式会社アイネス"
    assert doc.cover.published == "令和4年9月30日" and doc.cover.published.iso == "2022-09-30"
    assert doc.risks[0].sections[0].risks[0].items[0].answer == "十分である"


def test_round_trip_load_dump_load_gives_equal_data(tmp_path):
    loaded, _ = load_document(MINIMAL)
    out = tmp_path / "minimal.yaml"
    out.write_text(dump_yaml(loaded.doc), encoding="utf-8")
    again, problems = load_document(out)
    assert problems == []
    assert to_data(again.doc) == to_data(loaded.doc)


def test_every_real_document_round_trips(tmp_path):
    corpus = load_corpus(ROOT / "content", ROOT / "site_config", root=ROOT)
    for doc in [*corpus.assessments, *corpus.council_records]:
        out = tmp_path / f"{doc.id}.yaml"
        out.write_text(dump_yaml(doc), encoding="utf-8")
        again, problems = load_document(out)
        assert problems == [], doc.id
        assert to_data(again.doc) == to_data(doc), doc.id


def test_real_content_validates():
    corpus = load_corpus(ROOT / "content", ROOT / "site_config", root=ROOT)
    assert [str(p) for p in corpus.problems] == []


def test_committed_json_schema_is_generated_from_the_model():
    committed = json.loads((ROOT / "site_config" / "hyoka.schema.json").read_text(encoding="utf-8"))
    assert committed == document_schema(), "run `make schema` to regenerate site_config/hyoka.schema.json"


def test_json_schema_accepts_valid_and_rejects_bad_yaml_as_an_editor_would():
    schema = document_schema()
    marked, _ = read_marked(MINIMAL.read_bytes(), str(MINIMAL))  # keys as written (YAML 1.2 style: `no` is text)
    good = marked.data
    good["source"]["as_of"] = str(good["source"]["as_of"])  # JSON has no date type
    jsonschema.validate(good, schema)
    bad = json.loads(json.dumps(good))
    bad["files"][0]["retention"]["period"]["period"] = "30年"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    # labels an author knows from the paper form are in the schema
    text = json.dumps(schema, ensure_ascii=False)
    for label in ("⑥委託先名", "⑦再委託の有無", "②保管期間", "リスクへの対策は十分か", "（別添３）変更箇所"):
        assert label in text


def test_check_digit_of_real_codes_and_registry():
    for code in ("112101", "112224", "141003", "172014", "272078"):
        assert check_digit_ok(code)
    for code in ("112102", "141000", "11222", "１１２２２４", "abcdef"):
        assert not check_digit_ok(code)
    registry, problems = load_registry(ROOT / "site_config")
    assert problems == []
    assert registry["112224"].name == "越谷市"


@pytest.mark.parametrize(
    "printed, iso",
    [
        ("令和4年9月30日", "2022-09-30"),
        ("令和４年１０月１３日", "2022-10-13"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成30年5月1日", "2018-05-01"),
        ("平成31年4月30日", "2019-04-30"),
        ("2022年9月30日", "2022-09-30"),
    ],
)
def test_japanese_era_dates(printed, iso):
    assert parse_ja_date(printed) == dt.date.fromisoformat(iso)


@pytest.mark.parametrize("printed", ["令和7年2月30日", "令和1年4月30日", "平成32年1月1日x", "令和4年秋", ""])
def test_bad_dates_raise_our_error(printed):
    with pytest.raises(JaDateError):
        parse_ja_date(printed)


# Every era the code knows, at both ends (issue 17: 平成31年5月1日 was accepted though 令和 had begun).
ERA_BOUNDS = [  # (last day of the era, as printed; the next era's first day, as printed; that day)
    ("明治45年7月29日", "大正元年7月30日", "1912-07-30"),
    ("大正15年12月24日", "昭和元年12月25日", "1926-12-25"),
    ("昭和64年1月7日", "平成元年1月8日", "1989-01-08"),
    ("平成31年4月30日", "令和元年5月1日", "2019-05-01"),
]


@pytest.mark.parametrize("last, first, first_iso", ERA_BOUNDS, ids=[b[1][:2] for b in ERA_BOUNDS])
def test_era_ranges_both_ways(last, first, first_iso):
    start = dt.date.fromisoformat(first_iso)
    assert parse_ja_date(last) == start - dt.timedelta(days=1)
    assert parse_ja_date(first) == start
    old_era, new_era = last[:2], first[:2]
    # the old era one day too long, the new era one day too early
    day_after = start
    with pytest.raises(JaDateError, match=f"{old_era}の終わり（{(start - dt.timedelta(days=1)).isoformat()}）より後の日付です（{new_era}に改元済み）"):
        parse_ja_date(f"{last[:last.index('年') + 1]}{day_after.month}月{day_after.day}日")
    day_before = start - dt.timedelta(days=1)
    with pytest.raises(JaDateError, match=f"{new_era}の始まり（{first_iso}）より前の日付です"):
        parse_ja_date(f"{first[:first.index('年') + 1]}{day_before.month}月{day_before.day}日")


def test_meiji_start_is_checked():
    with pytest.raises(JaDateError, match="明治の始まり"):
        parse_ja_date("明治元年1月24日")
    assert parse_ja_date("明治元年1月25日") == dt.date(1868, 1, 25)


def _with_published(tmp_path: Path, printed: str, holding_start: str | None = None) -> list[str]:
    text = MINIMAL.read_text(encoding="utf-8").replace("published: 令和4年9月30日", f"published: {printed}")
    if holding_start:
        text = text.replace("  - name: テストファイル\n", f"  - name: テストファイル\n    basics:\n      holding_start: {holding_start}\n")
    p = tmp_path / "minimal.yaml"
    p.write_text(text, encoding="utf-8")
    return [str(x) for x in load_document(p)[1]]


def test_fact_dates_may_be_up_to_a_year_ahead_not_more(tmp_path):
    today = dt.date.today()
    assert _with_published(tmp_path, (today + dt.timedelta(days=300)).isoformat()) == []
    late = (today + dt.timedelta(days=370)).isoformat()
    assert _with_published(tmp_path, late) == [
        f"{tmp_path / 'minimal.yaml'}:14:3: cover.published (公表日): 今日から1年より先の日付です: {late}。"
        "起きたことの日付（公表日・変更日・実施日・時点など）なので、誤記でないか確かめてください"
    ]


def test_plan_dates_are_not_held_to_the_fact_limit(tmp_path):
    """⑤保有開始日 may be a plan (「令和9年4月1日予定」): it is `JaDate | Text`, never refused for being late."""
    assert _with_published(tmp_path, "令和4年9月30日", holding_start="令和99年4月1日") == []


def test_yaml_key_no_is_a_key_not_false(tmp_path):
    """YAML 1.1 reads a bare `no` as false; our reader keeps keys as written."""
    loaded, problems = load_document(MINIMAL)
    assert loaded.doc.basic_info.systems[0].no == 1


def test_validate_command_ok_on_valid_tree(tmp_path, monkeypatch, capsys):
    (tmp_path / "content" / "a").mkdir(parents=True)
    shutil.copy(MINIMAL, tmp_path / "content" / "a" / "minimal.yaml")
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    assert "評価書 1 件" in capsys.readouterr().out


def test_null_allowed_when_a_note_names_the_field(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace("contractor: 株式会社アイネス", "contractor: null")
    text += "transcription_notes:\n  - path: files[0].entrustment.items[0].contractor\n    kind: 判読不能\n    note: 委託先名の欄が読めない\n    source_lines: 10-12\n"
    p = tmp_path / "minimal.yaml"
    p.write_text(text, encoding="utf-8")
    loaded, problems = load_document(p)
    assert problems == []
    assert loaded.doc.files[0].entrustment.items[0].contractor is None
