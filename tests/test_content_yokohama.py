"""横浜市 予防接種法による予防接種の実施に関する事務 全項目評価書（様式4）: the real YAML, checked against the source.

Source: /work/shared/seeds/002_395353e375fa5b93.txt (line numbers in the comments).
"""

from __future__ import annotations

import pytest
from realcontent import assert_valid_in_corpus, real_doc


DOC_ID = "yokohama-yobosesshu-zenkomoku"
F1 = "予防接種対象者関係情報ファイル"
F2 = "統合番号連携ファイル"


@pytest.fixture(scope="module")
def doc():
    return real_doc(DOC_ID)


def test_validates_in_corpus():
    assert_valid_in_corpus(DOC_ID)


def test_identity(doc):
    assert doc.municipality == "141003"
    assert doc.form == "様式4"
    assert doc.form_version == "平成30年５月　様式４"  # line 2
    assert doc.source.document == "seeds/002_395353e375fa5b93.txt"
    assert doc.cover.number == "38"  # line 13
    assert doc.cover.published == "令和5年8月4日"  # line 15
    assert doc.cover.organization == "横浜市長"  # line 30
    assert doc.source.as_of.isoformat() == "2024-04-30"  # latest 変更日, line 4911


def test_counts(doc):
    assert len(doc.basic_info.systems) == 8  # システム1-8 (lines 92-306); 9 and 10 blank
    assert [f.name for f in doc.files] == [F1, F2]  # lines 366, 594, 1425
    f1, f2 = doc.files
    # 委託: file 1 prints （ 4 ）件 (line 835); file 2 prints 3 (line 1664)
    assert f1.entrustment.count == 4 and len(f1.entrustment.items) == 4
    assert f2.entrustment.count == 3 and len(f2.entrustment.items) == 3
    # 提供・移転: file 1 提供を行っている （ 1 ）件 (line 1240); file 2 行っていない (lines 2611-2616)
    assert f1.provision.provision_count == 1 and len(f1.provision.provisions) == 1
    assert f1.provision.transfers == []
    assert f2.provision.status.ticked == ["行っていない"]
    assert f2.provision.provisions == [] and f2.provision.transfers == []
    # Ⅲ: both files, sections 2-7, risk blocks per section
    assert [r.file_name for r in doc.risks] == [F1, F2]  # lines 2885, 3713
    for fr in doc.risks:
        assert [s.no for s in fr.sections] == ["2", "3", "4", "5", "6", "7"]
        assert [len(s.risks) for s in fr.sections] == [4, 4, 1, 3, 7, 3]
        assert [len(r.items) for s in fr.sections for r in s.risks] == [
            4, 2, 5, 2,  # 2 入手
            4, 10, 2, 2,  # 3 使用
            16,  # 4 委託 (the five named risks are printed as one heading, lines 3155-3159)
            6, 2, 2,  # 5 提供・移転 (提供・移転しない, all blank)
            2, 2, 2, 2, 2, 2, 2,  # 6 情報提供ネットワークシステム
            17, 2, 4,  # 7 保管・消去
        ]
    assert [s.title for s in doc.other_measures] == ["監査", "従業者に対する教育・啓発", "その他のリスク対策"]
    assert [len(s.items) for s in doc.disclosure] == [10, 2]
    assert len(doc.changes) == 7  # lines 4909-4955


def test_entrustment_contractors(doc):
    f1, f2 = doc.files
    assert [e.contractor for e in f1.entrustment.items] == [
        "日本コンピューター株式会社",  # line 758
        "日本通信紙株式会社、トッパン・フォームズ株式会社",  # line 904
        "株式会社横浜電算、株式会社システム情報センター",  # line 1071
        "株式会社ミラボ",  # line 986
    ]
    assert [e.contractor for e in f2.entrustment.items] == [
        "日本ソフトウェアマネジメント株式会社",  # line 1731
        "株式会社SH-Net",  # line 1859
        "未定",  # line 1957
    ]
    assert [e.subcontract for e in f1.entrustment.items] == ["再委託する", "再委託する", "再委託しない", "再委託しない"]
    assert f1.entrustment.items[0].subcontract_items == "サーバー、及びPC端末本体のハードウェア面の保守委託業務"  # line 736
    assert f1.entrustment.items[2].title == "予防接種予診票におけるパンチ委託"  # line 884
    assert f1.entrustment.items[2].scope_persons == "10万人以上100万人未満"  # line 871
    assert f1.entrustment.items[2].transfer_methods.ticked == ["紙"]  # line 1091
    assert f2.entrustment.items[2].subcontract_items == "データ保管支援業務"  # line 1997


def test_retention(doc):
    f1, f2 = doc.files
    assert f1.retention.period.period == "5年"  # line 1249
    assert f1.retention.period.reason == (  # line 1346
        "予防接種関係法令に基づき少なくとも5年間は適正に管理・保存を行うことが規定されているため。"
    )
    assert f2.retention.period.period == "定められていない"  # line 2733
    assert f2.retention.period.reason.startswith(  # lines 2748-2750
        "情報提供ネットワークシステムを通じた情報の照会及び提供を行うため、当該事務で使用する期間において、情報を保管する必要がある。"
    )


def test_basic_info_values(doc):
    bi = doc.basic_info
    assert bi.affair.target_people == "30万人以上"  # line 88
    assert bi.network_linkage.status == "実施する"  # line 362
    assert bi.department.name == "医療局健康安全部健康安全課"  # line 419
    assert doc.files[0].basics.persons == "100万人以上1,000万人未満"  # line 619
    assert doc.files[1].basics.holding_start == "平成27年10月５日"  # line 1458
    p = doc.files[0].provision.provisions[0]
    assert p.recipient == "都道府県知事又は市町村長"  # line 1231
    assert p.legal_basis == "番号法別表第二　１６の２、１６の３"  # line 1233


def _item(section, risk_index, label, nth=0):
    hits = [i for i in section.risks[risk_index].items if i.label == label]
    return hits[nth]


def test_risk_answers(doc):
    s7_f1 = doc.risks[0].sections[5]
    s7_f2 = doc.risks[1].sections[5]
    assert _item(s7_f1, 0, "NISC政府機関統一基準群").answer == "政府機関ではない"  # line 3550
    assert _item(s7_f1, 0, "過去３年以内に、評価実施機関において、個人情報に関する重大事故が発生したか").answer == "発生あり"  # line 3569
    assert _item(s7_f1, 0, "死者の個人番号").answer == "保管していない"  # line 3572
    assert _item(s7_f2, 0, "死者の個人番号").answer == "保管している"  # line 4590
    s4_f1 = doc.risks[0].sections[2]
    assert _item(s4_f1, 0, "再委託先による特定個人情報ファイルの適切な取扱いの確保").answer == "十分に行っている"  # line 3086
    s5_f1 = doc.risks[0].sections[3]
    assert s5_f1.not_applicable == "提供・移転しない"  # line 3236
    # every 「リスクへの対策は十分か」 that is answered says 十分である
    answers = {i.answer for fr in doc.risks for s in fr.sections for r in s.risks for i in r.items
               if i.label == "リスクへの対策は十分か" and i.answer is not None}
    assert answers == {"十分である"}
    s2_f1 = doc.risks[0].sections[0]
    assert _item(s2_f1, 0, "その他の措置の内容").text == "－"  # line 2876 (U+FF0D)
    assert _item(s2_f1, 2, "その他の措置の内容").text == "―"  # line 2826 (U+2015)


def test_other_sections(doc):
    assert doc.other_measures[0].items[0].answer == "十分に行っている"  # ①自己点検, line 4721
    fee = [i for i in doc.disclosure[0].items if i.label == "手数料等"][0]
    assert fee.answer == "無料"  # line 4751
    proc = doc.procedures
    assert proc.baseline.date == "令和5年8月4日"  # line 4886
    assert proc.public_comment.period == "令和５年４月10日から令和５年５月10日まで"  # line 4878
    assert proc.third_party_review.date == "令和5年5月31日"  # line 4862
    assert proc.third_party_review.method == "横浜市個人情報保護審議会で審議"  # line 4864
    assert [c.date for c in doc.changes] == [
        "平成31年1月28日", "令和1年5月24日", "令和1年11月26日", "令和3年6月15日",
        "令和4年6月28日", "令和5年8月4日", "令和6年4月30日",
    ]  # lines 4911-4955
    assert {c.timing for c in doc.changes} == {"事後"}


def test_notes_point_at_ambiguities(doc):
    paths = {n.path for n in doc.transcription_notes}
    assert "basic_info.systems" in paths
    assert "files[1].acquisition.methods" in paths
    assert "files[1].entrustment.items[2].transfer_methods" in paths
    assert "files[0].record_items" in paths and "files[1].record_items" in paths
