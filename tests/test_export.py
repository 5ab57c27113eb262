"""Open data tables: the content, flattened; CSV that Excel opens; JSON and CSV agree."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from test_answers import expected_answers

from hyoka.export import TABLES, neutralise, to_csv
from hyoka.views.data import generate as data_files
from hyoka.loader import load_corpus
from hyoka.site import Asset, SiteContext

HERE = Path(__file__).parent
ROOT = HERE.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The real content plus the loader fixture, with a hostile formula in a contractor cell."""
    root = tmp_path_factory.mktemp("export")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "site_config", root / "site_config")
    text = (HERE / "fixtures" / "loader" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("contractor: 株式会社アイネス", "contractor: \"=HYPERLINK(\\\"http://evil\\\")\"")
    (root / "content" / "zz").mkdir()
    (root / "content" / "zz" / "minimal.yaml").write_text(text, encoding="utf-8")
    c = load_corpus(root / "content", root / "site_config", root=root)
    assert c.problems == []
    return c, root


@pytest.fixture(scope="module")
def outputs(corpus):
    c, root = corpus
    return {o.path: o for o in data_files(c, SiteContext(site_config_dir=str(root / "site_config")))}


def _csv_rows(asset: Asset) -> list[dict[str, str]]:
    raw = asset.content
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


@pytest.mark.parametrize("name", list(TABLES))
def test_csv_and_json_agree_and_have_documented_columns(outputs, name):
    rows_json = json.loads(outputs[f"data/{name}.json"].content)
    rows_csv = _csv_rows(outputs[f"data/{name}.csv"])
    columns = [c for c, _ in TABLES[name][1]]
    assert len(rows_json) == len(rows_csv)
    assert list(rows_csv[0].keys()) == columns if rows_csv else True
    for j, c in zip(rows_json, rows_csv):
        assert list(j) == columns
        assert {k: neutralise(v) for k, v in j.items()} == c


def test_row_counts_follow_the_content(corpus, outputs):
    c, root = corpus
    n_items = sum(len(f.entrustment.items) for d in c.assessments for f in d.files if f.entrustment)
    n_files = sum(len(d.files) for d in c.assessments)
    n_changes = sum(len(d.changes) for d in c.assessments)
    # every choice and tick answer, counted from the YAML files without the model (tests/test_answers.py)
    raw = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "content").rglob("*.yaml"))]
    n_answers = sum(len(expected_answers(d)) for d in raw if d.get("type") == "assessment")
    entr = json.loads(outputs["data/entrustments.json"].content)
    assert len({(r["assessment_id"], r["file"], r["item_no"]) for r in entr}) == n_items
    assert len(entr) >= n_items
    assert len(json.loads(outputs["data/retention.json"].content)) == n_files
    assert len(json.loads(outputs["data/changes.json"].content)) == n_changes
    assert len(json.loads(outputs["data/answers.json"].content)) == n_answers
    assert len(json.loads(outputs["data/assessments.json"].content)) == len(c.assessments)


def test_exact_values_from_the_fixture(outputs):
    ret = [r for r in json.loads(outputs["data/retention.json"].content) if r["assessment_id"] == "minimal"]
    assert ret == [{
        "municipality_code": "112224", "municipality": "越谷市", "assessment_id": "minimal",
        "assessment_title": "テスト事務 全項目評価書", "file": "テストファイル", "retention": "20年以上",
        "reason": "長期間保管する必要がある。", "permalink": "koshigaya/minimal/#file-1-retention",
    }]
    ans = [r for r in json.loads(outputs["data/answers.json"].content) if r["assessment_id"] == "minimal"]
    assert [(r["section"], r["key"], r["risk"], r["answer"], r["permalink"]) for r in ans] == [
        ("Ⅰ-1", "Ⅰ-1/target_people", "", "30万人以上", "koshigaya/minimal/#basic_info-affair-target_people"),
        ("Ⅰ-2", "Ⅰ-2/connections", "", "宛名システム等", "koshigaya/minimal/#basic_info-systems-1-connections"),
        ("Ⅱ-4", "Ⅱ-4/status", "", "委託する", "koshigaya/minimal/#files-1-entrustment-status"),
        ("Ⅱ-4", "Ⅱ-4/items.handlers", "", "10人未満", "koshigaya/minimal/#files-1-entrustment-items-1-handlers"),
        ("Ⅱ-4", "Ⅱ-4/items.subcontract", "", "再委託しない", "koshigaya/minimal/#files-1-entrustment-items-1-subcontract"),
        ("Ⅱ-6", "Ⅱ-6/period.period", "", "20年以上", "koshigaya/minimal/#files-1-retention-period-period"),
        ("Ⅲ-2", "Ⅲ-2/R1/リスクへの対策は十分か", "Ⅲ-2/R1", "十分である", "koshigaya/minimal/#risk-1-2-1-1"),
        ("別添3", "別添3/timing", "", "事前", "koshigaya/minimal/#change-1"),
    ]
    assert ans[6]["risk_title"] == "リスク１：目的外の入手が行われるリスク" and ans[6]["question"] == "リスクへの対策は十分か"


def test_formula_cells_are_neutralised_in_csv_only(outputs):
    entr_csv = [r for r in _csv_rows(outputs["data/entrustments.csv"]) if r["assessment_id"] == "minimal"]
    entr_json = [r for r in json.loads(outputs["data/entrustments.json"].content) if r["assessment_id"] == "minimal"]
    assert entr_json[0]["contractor"] == '=HYPERLINK("http://evil")'
    assert entr_csv[0]["contractor"] == "'=HYPERLINK(\"http://evil\")"
    for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx"):
        assert neutralise(v).startswith("'")
    assert neutralise("株式会社アイネス") == "株式会社アイネス"
    assert to_csv([{"a": "=x"}], ["a"]).decode("utf-8-sig") == "a\r\n'=x\r\n"


def test_one_json_per_assessment_and_the_schema(corpus, outputs):
    c, _ = corpus
    for d in c.assessments:
        one = json.loads(outputs[f"data/assessments/{d.id}.json"].content)
        assert one["id"] == d.id and one["type"] == "assessment"
    schema = json.loads(outputs["data/schema.json"].content)
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_data_page_documents_every_table_and_column(outputs):
    page = outputs["data/index.md"].markdown
    for name, (title, cols) in TABLES.items():
        assert f"({name}.csv)" in page and title in page
        for col, _ in cols:
            assert f"`{col}`" in page
