"""The official choice lists and tick-box option lists of the PPC forms (様式2/3/4).

Each list is printed in the form itself; an answer outside its list is a validation error.
Where a form version prints a different list, the union is kept and the caller records the
printed text exactly.
"""

from __future__ import annotations

import functools
import unicodedata

# ---- single choices (「[ 十分である ] ＜選択肢＞ …」) -------------------------------------------------

TARGET_PEOPLE = (  # Ⅰ ③対象人数 / 様式2 Ⅱ1 対象人数
    "1,000人未満",
    "1,000人未満（任意実施）",
    "1,000人以上1万人未満",
    "1万人以上10万人未満",
    "10万人以上30万人未満",
    "30万人以上",
)
NETWORK_LINKAGE = ("実施する", "実施しない", "未定")  # 情報提供ネットワークシステムによる情報連携 ①実施の有無
FILE_TYPE = ("システム用ファイル", "その他の電子ファイル（表計算ファイル等）")
PERSONS_IN_FILE = (  # 対象となる本人の数
    "1万人未満",
    "1万人以上10万人未満",
    "10万人以上100万人未満",
    "100万人以上1,000万人未満",
    "1,000万人以上",
)
RECORD_ITEMS = ("10項目未満", "10項目以上50項目未満", "50項目以上100項目未満", "100項目以上")
HANDLERS = (  # 使用者数 / 委託先における取扱者数
    "10人未満",
    "10人以上50人未満",
    "50人以上100人未満",
    "100人以上500人未満",
    "500人以上1,000人未満",
    "1,000人以上",
)
ENTRUST = ("委託する", "委託しない")
ENTRUST_SCOPE = ("特定個人情報ファイルの全体", "特定個人情報ファイルの一部")
SUBCONTRACT = ("再委託する", "再委託しない")
RETENTION = (  # 保管期間
    "1年未満",
    "1年",
    "2年",
    "3年",
    "4年",
    "5年",
    "6年以上10年未満",
    "10年以上20年未満",
    "20年以上",
    "定められていない",
)
CHANGE_TIMING = ("事前", "事後")
HANDLER_THRESHOLD = ("500人以上", "500人未満")  # 様式2 Ⅱ2 取扱者数
SERIOUS_ACCIDENT = ("発生あり", "発生なし")
THRESHOLD_RESULT = (  # しきい値判断結果
    "基礎項目評価の実施が義務付けられる",
    "基礎項目評価及び重点項目評価の実施が義務付けられる",
    "基礎項目評価及び全項目評価の実施が義務付けられる",
    "特定個人情報保護評価の実施が義務付けられない",
)
SUFFICIENCY = ("特に力を入れている", "十分である", "課題が残されている")
EFFORT = ("特に力を入れて行っている", "十分に行っている", "十分に行っていない")
SUBCONTRACT_EFFORT = EFFORT + ("再委託していない",)
RECORDED = ("記録を残している", "記録を残していない")
DEFINED = ("定めている", "定めていない")
RESTRICTED = ("制限している", "制限していない")
DONE = ("行っている", "行っていない")
KEPT = ("保管している", "保管していない")
FEE = ("有料", "無料")
ASSESSMENT_KINDS = ("基礎項目評価書", "基礎項目評価書及び重点項目評価書", "基礎項目評価書及び全項目評価書")  # 様式2 Ⅳ1
COMPLIANCE = ("特に力を入れて遵守している", "十分に遵守している", "十分に遵守していない", "政府機関ではない")  # Ⅲ7 ①NISC政府機関統一基準群
MAINTAINED = ("特に力を入れて整備している", "十分に整備している", "十分に整備していない")  # Ⅲ7 ②安全管理体制 ③安全管理規程 (様式4)
INFORMED = ("特に力を入れて周知している", "十分に周知している", "十分に周知していない")  # Ⅲ7 ④安全管理体制・規程の職員への周知 (様式4)

# Choice questions in Ⅲ/Ⅳ/Ⅴ (and 様式2 Ⅳ) are generic items: the question's printed label picks its list.
# Keys are normalised with `norm_label`.
QUESTION_CHOICES: dict[str, tuple[str, ...]] = {
    "リスクへの対策は十分か": SUFFICIENCY,
    "特定個人情報の使用の記録": RECORDED,
    "委託先による特定個人情報ファイルの閲覧者・更新者の制限": RESTRICTED,
    "特定個人情報ファイルの閲覧者・更新者の制限": RESTRICTED,  # 令和7年5月 様式4 Ⅲ4 prints it without 委託先による
    "特定個人情報ファイルの取扱いの記録": RECORDED,
    "特定個人情報の提供ルール": DEFINED,
    "特定個人情報の消去ルール": DEFINED,
    "委託契約書中の特定個人情報ファイルの取扱いに関する規定": DEFINED,
    "再委託先による特定個人情報ファイルの適切な取扱いの確保": SUBCONTRACT_EFFORT,
    "再委託先による特定個人情報ファイルの適切な取扱いの担保": SUBCONTRACT_EFFORT,  # 様式3（令和６年10月）の印刷
    "特定個人情報の提供・移転の記録": RECORDED,
    "特定個人情報の提供・移転に関するルール": DEFINED,
    "ユーザ認証の管理": DONE,
    "アクセス権限の発効・失効の管理": DONE,
    "アクセス権限の管理": DONE,
    "特定個人情報の使用の記録を残している": RECORDED,
    "事故発生時手順の策定・周知": SUFFICIENCY + EFFORT,  # 様式4 prints 特に力を入れて行っている / 十分に行っている / 十分に行っていない
    "物理的対策": SUFFICIENCY + EFFORT,  # 様式4 prints 特に力を入れて行っている / 十分に行っている / 十分に行っていない
    "技術的対策": SUFFICIENCY + EFFORT,
    "バックアップ": SUFFICIENCY + EFFORT,
    "NISC政府機関統一基準群": SUFFICIENCY + COMPLIANCE,
    "安全管理体制": SUFFICIENCY + MAINTAINED,
    "安全管理規程": SUFFICIENCY + MAINTAINED,
    "安全管理体制・規程の職員への周知": SUFFICIENCY + INFORMED,
    "過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか": SERIOUS_ACCIDENT,
    "死者の個人番号": KEPT,
    "消去手順": DEFINED,
    "自己点検": EFFORT,
    "監査": EFFORT,
    "従業者に対する教育・啓発": EFFORT,
    "手数料等": FEE,
    "個人情報ファイル簿の公表": DONE,
    # 様式2 Ⅳ リスク対策
    "提出する特定個人情報保護評価書の種類": ASSESSMENT_KINDS,
    "目的外の入手が行われるリスクへの対策は十分か": SUFFICIENCY,
    "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策は十分か": SUFFICIENCY,
    "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスクへの対策は十分か": SUFFICIENCY,
    "委託先における不正な使用等のリスクへの対策は十分か": SUFFICIENCY,
    "不正な提供・移転が行われるリスクへの対策は十分か": SUFFICIENCY,
    "不正な提供が行われるリスクへの対策は十分か": SUFFICIENCY,
    "特定個人情報の漏えい・滅失・毀損リスクへの対策は十分か": SUFFICIENCY,
}


@functools.lru_cache(maxsize=1 << 16)  # pure, called for every question of every page and data row
def norm_label(label: str) -> str:
    """Normalise a printed label for matching only (never for display): NFKC, no spaces, no ※."""
    s = unicodedata.normalize("NFKC", label)
    return "".join(ch for ch in s if not ch.isspace() and ch != "※")


_NORMALISED_QUESTIONS = {norm_label(k): v for k, v in QUESTION_CHOICES.items()}


@functools.lru_cache(maxsize=1 << 14)  # pure (the options are tuples)
def choices_for_question(label: str) -> tuple[str, ...] | None:
    """The official options for a generic choice question, by its printed label (None if unknown)."""
    key = norm_label(label)
    hit = _NORMALISED_QUESTIONS.get(key)
    if hit is not None:
        return hit
    # Labels are printed with their number ("①自己点検") or a trailing note; try without them.
    stripped = key.lstrip("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮0123456789.．)）")
    return _NORMALISED_QUESTIONS.get(stripped)


# ---- tick-box groups (「[ ○ ] 紙」) ------------------------------------------------------------------

SYSTEM_CONNECTIONS = (
    "情報提供ネットワークシステム",
    "庁内連携システム",
    "住民基本台帳ネットワークシステム",
    "既存住民基本台帳システム",
    "宛名システム等",
    "税務システム",
    "その他",
)
ACQUISITION_SOURCES = (
    "本人又は本人の代理人",
    "評価実施機関内の他部署",
    "行政機関・独立行政法人等",
    "地方公共団体・地方独立行政法人",
    "民間事業者",
    "その他",
)
ACQUISITION_METHODS = (
    "紙",
    "電子記録媒体（フラッシュメモリを除く。）",
    "フラッシュメモリ",
    "電子メール",
    "専用線",
    "庁内連携システム",
    "情報提供ネットワークシステム",
    "その他",
)
TRANSFER_METHODS = (  # 委託先への提供方法 / 提供方法 / 移転方法
    "情報提供ネットワークシステム",
    "専用線",
    "電子メール",
    "電子記録媒体（フラッシュメモリを除く。）",
    "フラッシュメモリ",
    "紙",
    "庁内連携システム",
    "その他",
)
MAIN_RECORD_ITEMS = (  # 主な記録項目
    "個人番号",
    "個人番号対応符号",
    "その他識別情報（内部番号）",
    "4情報（氏名、性別、生年月日、住所）",
    "5情報（氏名、氏名の振り仮名、性別、生年月日、住所）",  # 令和7年5月 様式4
    "連絡先（電話番号等）",
    "その他住民票関係情報",
    "国税関係情報",
    "地方税関係情報",
    "健康・医療関係情報",
    "医療保険関係情報",
    "児童福祉・子育て関係情報",
    "障害者福祉関係情報",
    "生活保護・社会福祉関係情報",
    "介護・高齢者福祉関係情報",
    "雇用・労働関係情報",
    "年金関係情報",
    "学校・教育関係情報",
    "災害関係情報",
    "その他",
)
PROVISION_KINDS = ("提供を行っている", "移転を行っている", "行っていない")
RETENTION_LOCATIONS: tuple[str, ...] = ()  # 保管場所 is free text on every form version


# ---- the fixed risk titles of Ⅲ リスク対策 (without 「リスクn：」) -----------------------------------------
# By Ⅲ section number, in 様式4's order (リスク1, リスク2, …: the risk ids of hyoka.formkeys).  様式3 and 様式2
# print a subset of the same titles (様式3 Ⅲ6 prints 様式4's リスク1 and リスク5 as its リスク１・２), and one
# joint 委託 title instead of 様式4's five (JOINT_RISK_TITLES).

RISK_TITLES: dict[str, tuple[str, ...]] = {
    "2": (  # 特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）
        "目的外の入手が行われるリスク",
        "不適切な方法で入手が行われるリスク",
        "入手した特定個人情報が不正確であるリスク",
        "入手の際に特定個人情報が漏えい・紛失するリスク",
    ),
    "3": (  # 特定個人情報の使用
        "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク",
        "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク",
        "従業者が事務外で使用するリスク",
        "特定個人情報ファイルが不正に複製されるリスク",
    ),
    "4": (  # 特定個人情報ファイルの取扱いの委託 (様式4 prints these five without 「リスクn：」)
        "委託先による特定個人情報の不正入手・不正な使用に関するリスク",
        "委託先による特定個人情報の不正な提供に関するリスク",
        "委託先による特定個人情報の保管・消去に関するリスク",
        "委託契約終了後の不正な使用等のリスク",
        "再委託に関するリスク",
    ),
    "5": (  # 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）
        "不正な提供・移転が行われるリスク",
        "不適切な方法で提供・移転が行われるリスク",
        "誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク",
    ),
    "6": (  # 情報提供ネットワークシステムとの接続
        "目的外の入手が行われるリスク",
        "安全が保たれない方法によって入手が行われるリスク",
        "入手した特定個人情報が不正確であるリスク",
        "入手の際に特定個人情報が漏えい・紛失するリスク",
        "不正な提供が行われるリスク",
        "不適切な方法で提供されるリスク",
        "誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク",
    ),
    "7": (  # 特定個人情報の保管・消去
        "特定個人情報の漏えい・滅失・毀損リスク",
        "特定個人情報が古い情報のまま保管され続けるリスク",
        "特定個人情報が消去されずいつまでも存在するリスク",
    ),
}

# One printed title standing for several of 様式4's risks: 様式3 Ⅲ4 (and 様式2 Ⅳ4's question) names 委託 as one risk.
JOINT_RISK_TITLES: dict[str, tuple[str, ...]] = {
    "4": ("委託先における不正な使用等のリスク",),
}

# 様式4 Ⅲ4: the question printed under each of the five 委託 risks (1-based risk number), so that a question keeps
# its risk id where a version prints the five risks as one block (平成30年 様式4 横浜市・高槻市 住基) or as one risk (様式3).
ENTRUST_QUESTION_RISK: dict[str, int] = {
    "委託先による特定個人情報ファイルの閲覧者・更新者の制限": 1,
    "特定個人情報ファイルの閲覧者・更新者の制限": 1,
    "特定個人情報ファイルの取扱いの記録": 1,
    "特定個人情報の提供ルール": 2,
    "特定個人情報の消去ルール": 3,
    "委託契約書中の特定個人情報ファイルの取扱いに関する規定": 4,
    "再委託先による特定個人情報ファイルの適切な取扱いの確保": 5,
    "再委託先による特定個人情報ファイルの適切な取扱いの担保": 5,
}
assert all(q in QUESTION_CHOICES for q in ENTRUST_QUESTION_RISK), "ENTRUST_QUESTION_RISK names a question outside QUESTION_CHOICES"
