"""高槻市個人情報保護運営審議会の記録（seeds/004_32a03fc301fb5106.txt 1-302行）.

Other helpers add their own records to content/; this module asserts only about:
- takatsuki-r4-toshin-3       令和４年度答申第３号（lines 1-133）
- takatsuki-shimon-kenso-1253 諮問 高健推第１２５３号（lines 138-302）
Each exact value was re-checked against the source line in the comment beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import realcontent
from realcontent import real_doc

ROOT = Path(__file__).resolve().parent.parent
MINE = ("takatsuki-r4-toshin-3", "takatsuki-shimon-kenso-1253")


def _load(doc_id):
    return real_doc(doc_id)


@pytest.fixture(scope="module")
def corpus():
    return realcontent.corpus()


def test_my_records_validate_without_problems(corpus):
    mine = [p for p in corpus.problems if any(m in str(p) for m in MINE)]
    assert mine == [], "\n".join(str(p) for p in mine)
    for m in MINE:
        assert corpus.by_id(m) is not None


def test_toshin_r4_3():
    d = _load("takatsuki-r4-toshin-3")
    assert d.record_type == "答申"
    assert d.number == "令和４年度答申第３号"  # line 2
    assert d.date is None  # line 4: 「令 和 ４ 年  月  日」（月日が空欄）
    assert any(n.path == "date" and n.kind == "空欄" for n in d.transcription_notes)
    assert d.subject == "新型コロナウイルス感染症の抗体保有率疫学調査に必要となる対象者リストの外部提供について"  # lines 23-25
    assert d.legal_provisions == "高槻市個人情報保護条例第１０条第２項第５号"  # line 27
    assert d.affair == "新型コロナウイルス感染症対策事業"  # line 29
    assert d.department == "健康福祉部 保健所 保健予防課"  # line 31
    assert d.recipient.splitlines()[0] == "厚生労働省 健康局 結核感染症課"  # line 34
    assert d.deliberation_date == "令和４年１０月２１日"  # line 38
    assert d.deliberation_date.iso == "2022-10-21"
    assert d.request_reference == "令和４年１０月１３日付け高健予第２３８７号"  # line 18
    assert d.result == "承認"  # line 40: 「承  認」
    assert d.conditions == []  # no conditions attached; measures are the grounds (lines 86-132)
    assert d.text.endswith("本件を承認するものである。")  # line 132
    assert d.assessments == []


def test_shimon_kenso_1253():
    d = _load("takatsuki-shimon-kenso-1253")
    assert d.record_type == "諮問"
    assert d.number == "高健推第１２５３号"  # line 138
    assert d.date == "令和４年１１月１５日"  # line 140
    assert d.date.iso == "2022-11-15"
    assert d.subject == "「特定個人情報保護評価書（全項目評価書）」に係る第三者点検について"  # lines 170-172
    assert d.affair == "予防接種事務"  # line 176
    assert d.legal_provisions == "高槻市個人情報保護条例第２３条の２第１項"  # line 180
    assert d.request_content == "別紙諮問書のとおり"  # line 190
    assert d.file_names == ["予防接種情報ファイル"]  # line 234
    assert len(d.systems) == 5  # lines 242-250
    assert d.result is None and d.conditions == []
    assert d.assessments == ["takatsuki-yobosesshu-zenkomoku"]


def test_link_both_ways(corpus):
    rec = corpus.by_id("takatsuki-shimon-kenso-1253")
    ass = corpus.by_id("takatsuki-yobosesshu-zenkomoku")
    assert rec is not None and ass is not None
    assert ass.id in rec.assessments
    assert rec.id in ass.procedures.third_party_review.council_records
    link_problems = [p for p in corpus.problems if "takatsuki-shimon-kenso-1253" in str(p) or "takatsuki-yobosesshu" in str(p)]
    assert link_problems == []
