"""Each auditor rule: a minimal assessment that triggers it and one that does not."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from hyoka.findings import RULES, run_rules
from hyoka.findings.procedure import expected_threshold_result
from hyoka.findings.substance import statute_years
from hyoka.schema import Assessment
from hyoka.yamlmarks import read_marked

MINIMAL = Path(__file__).parent / "fixtures" / "loader" / "minimal.yaml"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture()
def base() -> dict:
    """The minimal 全項目評価書 made procedurally complete, so that it triggers no rule."""
    data = read_marked(MINIMAL.read_bytes(), "minimal.yaml")[0].data
    data["procedures"] = {
        "baseline": {"date": "令和4年9月30日", "threshold_result": "基礎項目評価及び全項目評価の実施が義務付けられる"},
        "public_comment": {"method": "ホームページに掲載", "period": "令和4年8月1日から令和4年8月31日"},
        "third_party_review": {"date": "令和4年9月15日", "method": "個人情報保護審議会による点検", "result": "適合"},
    }
    return data


def ids(data: dict, today: dt.date = TODAY) -> list[str]:
    return [f.rule_id for f in run_rules([Assessment.model_validate(copy.deepcopy(data))], today=today)]


def test_complete_assessment_has_no_finding(base):
    assert ids(base) == []


def test_every_rule_has_id_title_severity_and_basis():
    run_rules([])
    assert {"C01", "C02", "C03", "C04", "C05", "P01", "P02", "P03", "P04", "P05", "S01", "S02"} <= set(RULES)
    for r in RULES.values():
        assert r.title and r.basis and r.severity in ("要対応", "要確認", "参考")


def entrust(data):
    return data["files"][0]["entrustment"]


def test_c01_entrust_without_items(base):
    entrust(base)["items"] = []
    entrust(base)["count"] = 0
    assert ids(base) == ["C01"]


def test_c01_no_entrust_but_items(base):
    entrust(base)["status"] = "委託しない"
    assert ids(base) == ["C01"]


def test_c02_printed_count_differs(base):
    entrust(base)["count"] = 3
    found = run_rules([Assessment.model_validate(base)], today=TODAY)
    assert [f.rule_id for f in found] == ["C02"]
    assert "（ 3 ）件" in found[0].statement and "1件" in found[0].statement
    assert found[0].anchor == "file-1"


def _add_risk_section(data, no, title, items, not_applicable=None):
    sec = {"no": no, "title": title, "risks": [{"title": "リスク", "items": items}]}
    if not_applicable:
        sec["not_applicable"] = not_applicable
    data["risks"][0]["sections"].append(sec)


def test_c03_no_subcontract_but_answered_as_if(base):
    _add_risk_section(base, "4", "委託", [{"label": "再委託先による特定個人情報ファイルの適切な取扱いの確保", "answer": "十分に行っている"}])
    found = run_rules([Assessment.model_validate(base)], today=TODAY)
    assert [f.rule_id for f in found] == ["C03"]
    assert found[0].anchor == "risk-1-4-1-1"


def test_c03_quiet_when_answer_says_no_subcontract(base):
    _add_risk_section(base, "4", "委託", [{"label": "再委託先による特定個人情報ファイルの適切な取扱いの確保", "answer": "再委託していない"}])
    assert ids(base) == []


def test_c04_provision_only_through_the_network_is_outside_section_5(base):
    base["files"][0]["provision"] = {"status": {"ticked": ["提供を行っている"]}, "provision_count": 1,
                                     "provisions": [{"no": 1, "recipient": "都道府県知事又は市町村長",
                                                     "methods": {"ticked": ["情報提供ネットワークシステム"]}}]}
    _add_risk_section(base, "5", "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）", [],
                      not_applicable="提供・移転しない")
    assert ids(base) == []
    base["files"][0]["provision"]["provisions"][0]["methods"]["ticked"] = ["電子記録媒体（フラッシュメモリを除く。）"]
    assert ids(base) == ["C04"]


def test_c02_annex_list_stands_for_the_items(base):
    base["files"][0]["provision"] = {"status": {"ticked": ["提供を行っている"]}, "provision_count": 2,
                                     "provisions": [{"no": 1, "recipient": "別紙１のとおり"}],
                                     "provision_annex": [{"no": 1, "recipient": "A"}, {"no": 2, "recipient": "B"}]}
    assert ids(base) == []
    base["files"][0]["provision"]["provision_count"] = 58
    assert ids(base) == ["C02"]


def test_c04_no_provision_but_section_answered(base):
    base["files"][0]["provision"] = {"status": {"ticked": ["行っていない"]}}
    _add_risk_section(base, "5", "特定個人情報の提供・移転", [{"label": "リスクへの対策は十分か", "answer": "十分である"}])
    assert ids(base) == ["C04"]
    base["risks"][0]["sections"][-1]["not_applicable"] = "提供・移転しない"
    assert ids(base) == []


def test_c05_linkage_but_not_connected(base):
    base["basic_info"]["network_linkage"] = {"status": "実施する"}
    _add_risk_section(base, "6", "情報提供ネットワークシステムとの接続", [], not_applicable="接続しない（入手）")
    assert ids(base) == []  # providing only, not acquiring: consistent
    base["risks"][0]["sections"][-1]["not_applicable"] = "接続しない（入手）、接続しない（提供）"
    assert ids(base) == ["C05"]
    base["basic_info"]["network_linkage"] = {"status": "実施しない"}
    assert ids(base) == []


def test_p01_p02_full_assessment_without_review_or_comment(base):
    del base["procedures"]["third_party_review"]
    del base["procedures"]["public_comment"]
    assert ids(base) == ["P01", "P02"]


def test_p01_planned_review_is_reported(base):
    base["procedures"]["third_party_review"] = {"date": "令和4年12月（予定）", "method": "審議会による点検"}
    found = run_rules([Assessment.model_validate(base)], today=TODAY)
    assert [f.rule_id for f in found] == ["P01"] and "予定" in found[0].statement


def test_p01_not_for_juten(base):
    base["form"], base["form_version"] = "様式3", "令和６年10月　様式３"
    del base["procedures"]["third_party_review"]
    base["procedures"]["baseline"]["threshold_result"] = "基礎項目評価及び重点項目評価の実施が義務付けられる"
    assert ids(base) == []


def test_p03_baseline_result_does_not_match_kind(base):
    base["procedures"]["baseline"]["threshold_result"] = "基礎項目評価及び重点項目評価の実施が義務付けられる"
    assert ids(base) == ["P03"]


def test_p03_kiso_threshold_answers_vs_result(base):
    base["form"], base["form_version"] = "様式2", "平成31年１月　様式２"
    base["threshold"] = {"target_people": "30万人以上", "handlers": "500人未満", "serious_accident": "発生なし",
                         "result": "基礎項目評価の実施が義務付けられる"}
    del base["procedures"]
    assert ids(base) == ["P03"]
    base["threshold"]["result"] = "基礎項目評価及び全項目評価の実施が義務付けられる"
    assert ids(base) == []


@pytest.mark.parametrize("target, handlers, accident, expected", [
    ("1万人以上10万人未満", "500人未満", "発生なし", "基礎項目評価の実施が義務付けられる"),
    ("1万人以上10万人未満", "500人以上", "発生なし", "基礎項目評価及び重点項目評価の実施が義務付けられる"),
    ("10万人以上30万人未満", "500人未満", "発生あり", "基礎項目評価及び全項目評価の実施が義務付けられる"),
    ("10万人以上30万人未満", "500人未満", "発生なし", "基礎項目評価及び重点項目評価の実施が義務付けられる"),
    ("1,000人未満（任意実施）", "500人未満", "発生なし", "特定個人情報保護評価の実施が義務付けられない"),
])
def test_threshold_table(target, handlers, accident, expected):
    assert expected_threshold_result(target, handlers, accident) == expected


def test_p04_five_years_after_publication(base):
    assert ids(base, today=dt.date(2027, 9, 29)) == []
    assert ids(base, today=dt.date(2027, 9, 30)) == ["P04"]


def test_p04_not_for_ended_affairs(base):
    base["status"] = "終了"
    assert ids(base, today=dt.date(2030, 1, 1)) == []


def test_p05_change_after_publication_one_finding_per_assessment(base):
    base["changes"][0]["date"] = "令和4年10月1日"
    base["changes"].append({**base["changes"][0], "date": "令和5年1月5日"})
    found = run_rules([Assessment.model_validate(base)], today=TODAY)
    assert [f.rule_id for f in found] == ["P05"] and found[0].anchor == "change-1"
    assert "2行" in found[0].statement and "2023-01-05" in found[0].statement


def test_s01_retention_shorter_than_cited_statute(base):
    period = base["files"][0]["retention"]["period"]
    period["period"] = "3年"
    period["reason"] = "予防接種法施行令第６条の２において、５年間保管すると定められている。"
    found = run_rules([Assessment.model_validate(base)], today=TODAY)
    assert [f.rule_id for f in found] == ["S01"]
    assert "５年間保管" in found[0].evidence and found[0].anchor == "file-1-retention"
    period["period"] = "20年以上"
    assert ids(base) == []


def test_s01_needs_a_cited_statute(base):
    period = base["files"][0]["retention"]["period"]
    period["period"] = "1年"
    period["reason"] = "事務の都合で5年間保管したい。"
    assert ids(base) == []


def test_statute_years():
    assert statute_years("予防接種法施行令第６条の２において、５年間保管すると定められている") == 5
    assert statute_years("長期間保管する必要がある") is None


def test_s02_issue_remaining_listed_with_permalink(base):
    base["risks"][0]["sections"][0]["risks"][0]["items"][0]["answer"] = "課題が残されている"
    found = run_rules([Assessment.model_validate(base)], today=TODAY)
    assert [f.rule_id for f in found] == ["S02"]
    assert found[0].anchor == "risk-1-2-1-1" and "リスク１：目的外の入手が行われるリスク" in found[0].statement
