"""The answers table (issue 15): every choice and tick answer of every real assessment, one row per question,
with one canonical key for the same question in every city, form and form version.

The expected rows are computed from the YAML files themselves (yaml.safe_load, no model, no hyoka code): every
item with an `answer:` or `ticked:` key, every tick group, every 該当なし check, and every value of the choice
fields and tick groups of the form listed below by hand (the form's own list, not read from hyoka).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from hyoka.export import Rows
from hyoka.loader import load_corpus

ROOT = Path(__file__).resolve().parent.parent

# The form's choice fields outside the generic items, by the key path below the part (list positions dropped).
CHOICE_FIELDS = {
    "basic_info.affair.target_people", "basic_info.network_linkage.status",
    "files.basics.file_type", "files.basics.persons", "files.basics.record_items_count",
    "files.acquisition.users.count",
    "files.entrustment.status", "files.entrustment.items.scope", "files.entrustment.items.scope_persons",
    "files.entrustment.items.handlers", "files.entrustment.items.subcontract",
    "files.provision.provisions.persons", "files.provision.transfers.persons",
    "files.provision.provision_annex.persons", "files.provision.transfer_annex.persons",
    "files.retention.period.period",
    "threshold.target_people", "threshold.handlers", "threshold.serious_accident", "threshold.result",
    "procedures.baseline.threshold_result",
    "risks.sections.not_applicable",
    "changes.timing",
}
# The form's tick-box groups (「[ ○ ] 紙」): a group written in the YAML is a question, even with nothing ticked.
TICK_FIELDS = {
    "basic_info.systems.connections", "files.basics.main_items", "files.acquisition.sources", "files.acquisition.methods",
    "files.entrustment.items.transfer_methods", "files.provision.status", "files.provision.provisions.methods",
    "files.provision.transfers.methods", "files.provision.provision_annex.methods", "files.provision.transfer_annex.methods",
}
PARTS = {"basic_info": "Ⅰ", "files": "Ⅱ", "threshold": "Ⅱ", "risks": "Ⅲ", "other_measures": "Ⅳ", "disclosure": "Ⅴ",
         "procedures": "Ⅵ", "changes": "別添3"}


def _walk(node, path: str, generic: str):
    """(path of the question, value) for every answer in a raw YAML subtree."""
    if isinstance(node, dict):
        if "label" in node:  # a generic item: its choice answer and/or its tick boxes
            if "answer" in node:
                yield path, node["answer"]
            if "ticked" in node or node.get("options"):
                yield path, node.get("ticked", [])
        for k, v in node.items():
            if k in ("answer", "ticked", "options", "details"):
                continue
            p = f"{path}.{k}"
            g = f"{generic}.{k}"
            if g in CHOICE_FIELDS and v is not None:
                yield p, v
            elif g in TICK_FIELDS and isinstance(v, dict):
                yield p, v.get("ticked", [])
            elif isinstance(v, (dict, list)):
                yield from _walk(v, p, g)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}[{i}]", generic)


def expected_answers(data: dict) -> list[tuple[str, object]]:
    out = []
    for part in PARTS:
        if data.get(part) is not None:
            out += list(_walk(data[part], part, part))
    return out


def _part_of(path: str) -> str:
    head = re.match(r"[a-z_]+", path).group(0)
    if path == "threshold.result":
        return "Ⅲ"  # 様式2 prints Ⅲ しきい値判断結果
    return PARTS[head]


@pytest.fixture(scope="module")
def real():
    corpus = load_corpus(ROOT / "content", ROOT / "site_config", root=ROOT)
    assert corpus.problems == []
    rows = Rows(corpus).table("answers")
    raw = {}
    for p in sorted((ROOT / "content").rglob("*.yaml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        if data.get("type") == "assessment":
            raw[data["id"]] = data
    return corpus, rows, raw


def test_every_answer_in_the_yaml_is_a_row(real):
    _, rows, raw = real
    by_path = {(r["assessment_id"], r["path"]): r for r in rows}
    missing = []
    for aid, data in raw.items():
        for path, value in expected_answers(data):
            row = by_path.get((aid, path))
            if isinstance(value, list):
                want = " / ".join(value)
            else:
                want = "" if value is None else str(value)
            if row is None or row["answer"] != want:
                missing.append((aid, path, want, row and row["answer"]))
    assert missing == []
    assert len(raw) == 7


def test_row_counts_per_form_and_section(real):
    _, rows, raw = real
    expected = Counter()
    for data in raw.values():
        for path, _ in expected_answers(data):
            expected[(data["form"], _part_of(path))] += 1
    got = Counter((r["form"], r["section"].split("-")[0]) for r in rows)
    assert got == expected
    # the parts the issue found missing are there
    assert expected[("様式4", "Ⅴ")] >= 9 and expected[("様式4", "Ⅵ")] == 5 and expected[("様式2", "Ⅲ")] == 1
    assert expected[("様式2", "Ⅳ")] == 14 and expected[("様式3", "Ⅰ")] >= 4


def test_tick_boxes_and_not_applicable_checks(real):
    _, rows, _ = real
    kazo = {r["key"]: r for r in rows if r["assessment_id"] == "kazo-yobosesshu-juten"}
    assert kazo["Ⅳ-1/実施の有無"]["answer"] == "自己点検 / 内部監査"  # 加須 Ⅲ.8 監査, ticks
    assert kazo["Ⅳ-1/実施の有無"]["section"] == "Ⅲ-8" and kazo["Ⅳ-1/実施の有無"]["kind"] == "tick"
    kiso = {r["key"]: r for r in rows if r["assessment_id"] == "takatsuki-juki-kiso"}
    assert kiso["Ⅳ-1/実施の有無"]["answer"] == "自己点検" and kiso["Ⅳ-1/実施の有無"]["section"] == "Ⅳ-8"
    assert kiso["Ⅲ-6/not_applicable"]["answer"] == "接続しない（入手） / 接続しない（提供）"
    assert kiso["しきい値/result"]["answer"] == "基礎項目評価及び全項目評価の実施が義務付けられる"
    yoko = [r for r in rows if r["assessment_id"] == "yokohama-yobosesshu-zenkomoku"]
    assert {r["answer"] for r in yoko if r["key"] == "Ⅲ-5/not_applicable"} == {"提供・移転しない"}
    assert any(r["key"] == "Ⅴ-1/手数料等" and r["answer"] == "無料" for r in yoko)


def test_sections_use_ascii_digits(real):
    _, rows, _ = real
    wide = [r for r in rows if re.search(r"[０-９]", r["section"] + r["key"] + r["risk"])]
    assert wide == []
    kiso = [r for r in rows if r["assessment_id"] == "takatsuki-juki-kiso" and r["section"].startswith("Ⅳ")]
    assert {r["section"] for r in kiso} == {f"Ⅳ-{n}" for n in range(1, 10)}


def test_same_question_same_key_in_every_city_and_form(real):
    corpus, rows, _ = real
    ids = {a.id for a in corpus.assessments}
    with_key = lambda k: {r["assessment_id"] for r in rows if r["key"] == k}  # noqa: E731
    # 入手 リスク1 in 様式2 (Ⅳ2), 様式3 and both 様式4 versions
    assert with_key("Ⅲ-2/R1/リスクへの対策は十分か") == ids
    # 委託 as a whole: five blocks with a shared answer, one joint block, 様式3's single risk, 様式2's Ⅳ4
    assert with_key("Ⅲ-4/R1-5/リスクへの対策は十分か") == ids
    # 様式3 Ⅲ6 リスク２ is 様式4's リスク5 (不正な提供)
    kazo = {r["key"] for r in rows if r["assessment_id"] == "kazo-yobosesshu-juten"}
    assert "Ⅲ-6/R5/リスクへの対策は十分か" in kazo and "Ⅲ-6/R2/リスクへの対策は十分か" not in kazo
    # a 委託 measure keeps its risk in the joint block (横浜市) and the split blocks (越谷市)
    rule = "Ⅲ-4/R2/特定個人情報の提供ルール"
    assert {"yokohama-yobosesshu-zenkomoku", "koshigaya-shingata-influenza-yobosesshu-zenkomoku",
            "takatsuki-juki-zenkomoku"} <= with_key(rule)
    yoko = next(r for r in rows if r["assessment_id"] == "yokohama-yobosesshu-zenkomoku" and r["key"] == rule)
    kosh = next(r for r in rows if r["assessment_id"].startswith("koshigaya") and r["key"] == rule)
    assert yoko["risk"] == "Ⅲ-4/R1-5" and kosh["risk"] == "Ⅲ-4/R2"
    # printed variants of one question: 様式3 「…担保」 and 令和7年 様式4 「特定個人情報ファイルの閲覧者・更新者の制限」
    assert "kazo-yobosesshu-juten" in with_key("Ⅲ-4/R5/再委託先による特定個人情報ファイルの適切な取扱いの確保")
    assert "kanazawa-covid19-yobosesshu-zenkomoku" in with_key("Ⅲ-4/R1/委託先による特定個人情報ファイルの閲覧者・更新者の制限")
    # a key names one question: within one assessment, file and repeated entry it occurs once
    seen = Counter((r["assessment_id"], r["file_no"], r["item"], r["key"]) for r in rows)
    assert [k for k, n in seen.items() if n > 1] == []


def test_rows_keep_the_printed_labels(real):
    _, rows, _ = real
    kazo = [r for r in rows if r["assessment_id"] == "kazo-yobosesshu-juten" and r["risk"] == "Ⅲ-6/R5"]
    assert kazo and all(r["risk_title"] == "リスク２： 不正な提供が行われるリスク" for r in kazo)
    q = next(r for r in rows if r["key"] == "Ⅲ-4/R5/再委託先による特定個人情報ファイルの適切な取扱いの確保"
             and r["assessment_id"] == "kazo-yobosesshu-juten")
    assert q["question"] == "再委託先による特定個人情報ファイルの適切な取扱いの担保"


def test_data_page_documents_the_key_scheme_and_every_risk_id_in_use(real):
    from hyoka.export import TABLES
    from hyoka.views.data import _data_page

    _, rows, _ = real
    page = _data_page({name: 0 for name in TABLES}).markdown
    assert "{#answers-keys}" in page and "「 / 」" in page
    used = {r["risk"] for r in rows if r["risk"]}
    assert "Ⅲ-4/R1-5" in used
    assert [rid for rid in sorted(used) if f"| `{rid}` |" not in page] == []
