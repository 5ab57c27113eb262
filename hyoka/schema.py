"""The data model of the 特定個人情報保護評価書 (PPC 様式2 基礎項目 / 様式3 重点項目 / 様式4 全項目).

Keys are short English names; every field carries the item's official number and label as its
`title` (「⑥委託先名」), and that label is what pages, error messages and the JSON Schema show.

Text is kept exactly as printed.  Choice answers are validated against the form's own lists
(`hyoka.choices`).  Where the source is unreadable, ambiguous, blank or withheld, the value may be
null only when a `transcription_notes` entry names the field (see `Assessment._check_notes`).

This module does not import MkDocs.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from . import choices as C
from .jadate import JaDateError, parse_ja_date

ID_RE = r"^[a-z0-9][a-z0-9-]{0,79}$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, populate_by_name=False)


def Choice(options: tuple[str, ...]) -> Any:
    """A single official choice: the printed option text (「十分である」)."""
    return Literal[options]  # type: ignore[valid-type]


# ---- dates as printed ---------------------------------------------------------------------------


class JaDate(str):
    """A date exactly as printed (「令和4年9月30日」), checked to exist; `.iso` is the Gregorian date."""

    @property
    def date(self) -> dt.date:
        return parse_ja_date(self)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @classmethod
    def _validate(cls, value: Any) -> "JaDate":
        if isinstance(value, dt.date):
            return cls(value.isoformat())
        if not isinstance(value, str):
            raise PydanticCustomError("ja_date_type", "日付は文字列で書いてください（例: 令和4年9月30日）")
        try:
            parse_ja_date(value)
        except JaDateError as exc:
            raise PydanticCustomError("ja_date", str(exc)) from None
        return cls(value)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict:
        return {"type": "string", "description": "和暦または西暦の日付（印刷のまま）例: 令和4年9月30日"}


# A date that records something that happened (公表日, 変更日, 実施日, 承認日, 時点 …) cannot lie in the
# future; a year of margin allows for a date printed ahead of a planned publication and for a wrong clock.
# Dates that may be plans (⑤保有開始日, ⑨使用開始日, …) are `JaDate | Text` and are not checked.
FACT_DATE_MARGIN = "今日から1年"


def fact_date_limit(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _future_error(shown: str) -> PydanticCustomError:
    return PydanticCustomError(
        "future_date",
        "{margin}より先の日付です: {shown}。起きたことの日付（公表日・変更日・実施日・時点など）なので、誤記でないか確かめてください",
        {"margin": FACT_DATE_MARGIN, "shown": shown},
    )


class FactDate(JaDate):
    """A JaDate that is a fact: refused when later than today + 1 year."""

    @classmethod
    def _validate(cls, value: Any) -> "FactDate":
        checked = JaDate._validate(value)
        if checked.date > fact_date_limit():
            raise _future_error(str(value) if isinstance(value, str) else checked)
        return cls(checked)


Text = str  # free text, exactly as printed (line breaks that the PDF made are joined by the author)


# ---- tick-box groups ---------------------------------------------------------------------------


class TickBase(Model):
    OPTIONS: ClassVar[tuple[str, ...]] = ()
    ticked: list[str] = Field(default_factory=list, title="○のついた選択肢")
    details: dict[str, Text] = Field(
        default_factory=dict, title="（ ）内の記載", description="選択肢の後の括弧内に印刷された文言（その他の内容など）"
    )

    @field_validator("ticked")
    @classmethod
    def _known_ticks(cls, v: list[str]) -> list[str]:
        for item in v:
            if item not in cls.OPTIONS:
                raise PydanticCustomError(
                    "tick_option",
                    "「{item}」は選択肢にありません。選べる値: {allowed}",
                    {"item": item, "allowed": " / ".join(cls.OPTIONS)},
                )
        if len(set(v)) != len(v):
            raise PydanticCustomError("tick_dup", "同じ選択肢が2回あります")
        return v

    @field_validator("details")
    @classmethod
    def _known_details(cls, v: dict[str, str]) -> dict[str, str]:
        for key in v:
            if key not in cls.OPTIONS:
                raise PydanticCustomError(
                    "tick_option",
                    "「{item}」は選択肢にありません。選べる値: {allowed}",
                    {"item": key, "allowed": " / ".join(cls.OPTIONS)},
                )
        return v


def Ticks(name: str, options: tuple[str, ...]) -> type[TickBase]:
    cls = type(name, (TickBase,), {"OPTIONS": options, "__module__": __name__})
    cls.model_fields["ticked"].json_schema_extra = {"items": {"enum": list(options)}}
    cls.model_rebuild(force=True)
    return cls


SystemConnections = Ticks("SystemConnections", C.SYSTEM_CONNECTIONS)
AcquisitionSources = Ticks("AcquisitionSources", C.ACQUISITION_SOURCES)
AcquisitionMethods = Ticks("AcquisitionMethods", C.ACQUISITION_METHODS)
TransferMethods = Ticks("TransferMethods", C.TRANSFER_METHODS)
MainRecordItems = Ticks("MainRecordItems", C.MAIN_RECORD_ITEMS)
ProvisionKinds = Ticks("ProvisionKinds", C.PROVISION_KINDS)


# ---- generic items (Ⅲ リスク対策, Ⅳ, Ⅴ, 様式2 Ⅳ …) ------------------------------------------------


class Item(Model):
    """One printed item: its label, and its choice answer and/or free text, as printed."""

    no: str | None = Field(None, title="番号", description="印刷された番号（①、1 など）")
    label: Text = Field(title="項目名", description="印刷された項目名（例: リスクへの対策は十分か）")
    answer: str | None = Field(None, title="選択肢の回答", description="[ ] 内の回答。項目名に応じた公式の選択肢から")
    text: Text | None = Field(None, title="記載内容", description="自由記述（印刷のまま）")
    options: list[Text] = Field(
        default_factory=list, title="チェック欄の選択肢", description="[ ○ ] 形式のチェック欄の選択肢（印刷のまま。様式2 Ⅳ 8．監査 等）"
    )
    ticked: list[Text] = Field(default_factory=list, title="○のついた選択肢", description="options のうち ○ がついたもの")

    @model_validator(mode="after")
    def _ticked_in_options(self) -> "Item":
        for t in self.ticked:
            if t not in self.options:
                raise PydanticCustomError(
                    "tick_option", "「{item}」はこの項目のチェック欄（options）にありません", {"item": t}
                )
        return self

    @model_validator(mode="after")
    def _answer_in_list(self) -> "Item":
        if self.answer is not None:
            allowed = C.choices_for_question(self.label)
            if allowed is not None and self.answer not in allowed:
                raise PydanticCustomError(
                    "choice",
                    "「{answer}」は「{label}」の選択肢にありません。選べる値: {allowed}",
                    {"answer": self.answer, "label": self.label, "allowed": " / ".join(allowed)},
                )
        return self


class Risk(Model):
    """A risk block in Ⅲ (「リスク１：目的外の入手が行われるリスク」) with its measures and answers."""

    title: Text = Field(title="リスク", description="印刷されたリスク名（例: リスク１：目的外の入手が行われるリスク）。都市間比較のキー")
    items: list[Item] = Field(default_factory=list, title="措置と回答")


class RiskSection(Model):
    """A numbered part of Ⅲ (2 入手, 3 使用, 4 委託, 5 提供・移転, 6 情報提供ネットワークシステム, 7 保管・消去)."""

    no: str = Field(title="番号", description="印刷された番号（2 〜 7）")
    title: Text = Field(title="見出し")
    not_applicable: Text | None = Field(
        None, title="該当なしのチェック", description="[ ○ ] 委託しない / 提供・移転しない / 接続しない 等、○がついた文言"
    )
    risks: list[Risk] = Field(default_factory=list, title="リスク")
    items: list[Item] = Field(default_factory=list, title="その他の項目", description="リスク番号の外にある項目（その他のリスク及びその措置 等）")


class FileRisks(Model):
    """Ⅲ for one 特定個人情報ファイル."""

    file_name: Text = Field(title="1．特定個人情報ファイル名")
    sections: list[RiskSection] = Field(default_factory=list, title="リスク対策")


class Section(Model):
    """A generic numbered section (Ⅳ その他のリスク対策, Ⅴ 開示請求、問合せ …)."""

    no: str | None = Field(None, title="番号")
    title: Text = Field(title="見出し")
    items: list[Item] = Field(default_factory=list, title="項目")


# ---- Ⅰ 基本情報 ---------------------------------------------------------------------------------


class Affair(Model):
    name: Text = Field(title="①事務の名称")
    description: Text | None = Field(None, title="②事務の内容", description="様式2では「②事務の概要」")
    target_people: Choice(C.TARGET_PEOPLE) | None = Field(None, title="③対象人数")  # type: ignore[valid-type]


class System(Model):
    no: int = Field(title="システム番号", ge=1)
    name: Text = Field(title="①システムの名称")
    functions: Text | None = Field(None, title="②システムの機能")
    connections: SystemConnections | None = Field(None, title="③他のシステムとの接続")  # type: ignore[valid-type]


class NetworkLinkage(Model):
    status: Choice(C.NETWORK_LINKAGE) | None = Field(title="①実施の有無")  # type: ignore[valid-type]
    legal_basis: Text | None = Field(None, title="②法令上の根拠")


class Department(Model):
    name: Text | None = Field(title="①部署")
    head_title: Text | None = Field(None, title="②所属長の役職名", description="版により「②所属長」")
    contact: Text | None = Field(None, title="連絡先")


class FileReasons(Model):
    necessity: Text | None = Field(None, title="①事務実施上の必要性")
    benefits: Text | None = Field(None, title="②実現が期待されるメリット")


class BasicInfo(Model):
    """Ⅰ 基本情報（様式2では Ⅰ 関連情報）."""

    affair: Affair = Field(title="1．特定個人情報ファイルを取り扱う事務")
    systems: list[System] = Field(default_factory=list, title="2．特定個人情報ファイルを取り扱う事務において使用するシステム")
    system_names: Text | None = Field(None, title="③システムの名称", description="様式2: システム名を一行で列挙する項目")
    file_names: list[Text] = Field(default_factory=list, title="3．特定個人情報ファイル名")
    file_reasons: FileReasons | None = Field(None, title="4．特定個人情報ファイルを取り扱う理由")
    my_number_legal_basis: Text | None = Field(None, title="5．個人番号の利用 法令上の根拠")
    network_linkage: NetworkLinkage | None = Field(None, title="6．情報提供ネットワークシステムによる情報連携")
    department: Department | None = Field(None, title="7．評価実施機関における担当部署")
    other_bodies: Text | None = Field(None, title="8．他の評価実施機関")
    extra_items: list[Item] = Field(default_factory=list, title="その他の印刷項目", description="この版の様式にあり、上のどれにも当たらない項目（印刷のまま）")


# ---- Ⅱ 特定個人情報ファイルの概要 ---------------------------------------------------------------------


class FileBasics(Model):
    file_type: Choice(C.FILE_TYPE) | None = Field(None, title="①ファイルの種類")  # type: ignore[valid-type]
    persons: Choice(C.PERSONS_IN_FILE) | None = Field(None, title="②対象となる本人の数")  # type: ignore[valid-type]
    persons_scope: Text | None = Field(None, title="③対象となる本人の範囲")
    persons_scope_reason: Text | None = Field(None, title="その必要性")
    record_items_count: Choice(C.RECORD_ITEMS) | None = Field(None, title="④記録される項目")  # type: ignore[valid-type]
    main_items: MainRecordItems | None = Field(None, title="主な記録項目")  # type: ignore[valid-type]
    main_items_reason: Text | None = Field(None, title="その妥当性")
    all_items: Text | None = Field(None, title="全ての記録項目")
    holding_start: JaDate | Text | None = Field(None, title="⑤保有開始日")
    department: Text | None = Field(None, title="⑥事務担当部署")


class Users(Model):
    departments: Text | None = Field(None, title="使用部署")
    count: Choice(C.HANDLERS) | None = Field(None, title="使用者数")  # type: ignore[valid-type]


class Acquisition(Model):
    """3．特定個人情報の入手・使用."""

    sources: AcquisitionSources | None = Field(None, title="①入手元")  # type: ignore[valid-type]
    methods: AcquisitionMethods | None = Field(None, title="②入手方法")  # type: ignore[valid-type]
    timing: Text | None = Field(None, title="③入手の時期・頻度")
    validity: Text | None = Field(None, title="④入手に係る妥当性")
    notice: Text | None = Field(None, title="⑤本人への明示")
    purpose: Text | None = Field(None, title="⑥使用目的")
    purpose_change: Text | None = Field(None, title="変更の妥当性")
    users: Users | None = Field(None, title="⑦使用の主体")
    usage: Text | None = Field(None, title="⑧使用方法")
    matching: Text | None = Field(None, title="情報の突合")
    statistics: Text | None = Field(None, title="情報の統計分析")
    decisions: Text | None = Field(None, title="権利利益に影響を与え得る決定")
    start_date: JaDate | Text | None = Field(None, title="⑨使用開始日")


class Entrustment(Model):
    """One 委託事項 with its 委託先 and 再委託."""

    no: int = Field(title="委託事項番号", ge=1)
    title: Text = Field(title="委託事項", description="「委託事項1」の横に印刷された名称")
    content: Text | None = Field(None, title="①委託内容")
    scope: Choice(C.ENTRUST_SCOPE) | None = Field(None, title="②取扱いを委託する特定個人情報ファイルの範囲")  # type: ignore[valid-type]
    scope_persons: Choice(C.PERSONS_IN_FILE) | None = Field(None, title="対象となる本人の数")  # type: ignore[valid-type]
    scope_persons_range: Text | None = Field(None, title="対象となる本人の範囲")
    scope_reason: Text | None = Field(None, title="その妥当性")
    handlers: Choice(C.HANDLERS) | None = Field(None, title="③委託先における取扱者数")  # type: ignore[valid-type]
    transfer_methods: TransferMethods | None = Field(None, title="④委託先への特定個人情報ファイルの提供方法")  # type: ignore[valid-type]
    contractor_check: Text | None = Field(None, title="⑤委託先名の確認方法")
    contractor: Text | None = Field(title="⑥委託先名", description="印刷のまま。複数社を一つの欄に書く場合もそのまま")
    subcontract: Choice(C.SUBCONTRACT) | None = Field(None, title="⑦再委託の有無")  # type: ignore[valid-type]
    subcontract_permission: Text | None = Field(None, title="⑧再委託の許諾方法")
    subcontract_items: Text | None = Field(None, title="⑨再委託事項")


class Entrustments(Model):
    """4．特定個人情報ファイルの取扱いの委託."""

    status: Choice(C.ENTRUST) | None = Field(title="委託の有無")  # type: ignore[valid-type]
    count: int | None = Field(None, title="（ ）件", ge=0)
    items: list[Entrustment] = Field(default_factory=list, title="委託事項")


class Provision(Model):
    """One 提供先 or 移転先."""

    no: int = Field(title="番号", ge=1)
    recipient: Text = Field(title="提供先／移転先")
    legal_basis: Text | None = Field(None, title="①法令上の根拠")
    purpose: Text | None = Field(None, title="②提供先／移転先における用途")
    information: Text | None = Field(None, title="③提供／移転する情報")
    persons: Choice(C.PERSONS_IN_FILE) | None = Field(None, title="④対象となる本人の数")  # type: ignore[valid-type]
    persons_range: Text | None = Field(None, title="⑤対象となる本人の範囲")
    methods: TransferMethods | None = Field(None, title="⑥提供方法／移転方法")  # type: ignore[valid-type]
    timing: Text | None = Field(None, title="⑦時期・頻度")
    item_no: Text | None = Field(None, title="項番", description="別紙の表の項番（番号法別表の項など、印刷のまま）")


class Provisions(Model):
    """5．特定個人情報の提供・移転（委託に伴うものを除く。）."""

    status: ProvisionKinds | None = Field(None, title="提供・移転の有無")  # type: ignore[valid-type]
    provision_count: int | None = Field(None, title="提供を行っている（ ）件", ge=0)
    transfer_count: int | None = Field(None, title="移転を行っている（ ）件", ge=0)
    provisions: list[Provision] = Field(default_factory=list, title="提供先")
    transfers: list[Provision] = Field(default_factory=list, title="移転先")
    provision_annex: list[Provision] = Field(
        default_factory=list, title="提供先一覧（別紙）", description="「提供先1 … （別紙１参照）」のように別紙に一覧で示された提供先（通し番号順）"
    )
    transfer_annex: list[Provision] = Field(
        default_factory=list, title="移転先一覧（別紙）", description="「移転先1 … （別紙２参照）」のように別紙に一覧で示された移転先（通し番号順）"
    )


class RetentionPeriod(Model):
    period: Choice(C.RETENTION) | None = Field(title="期間")  # type: ignore[valid-type]
    reason: Text | None = Field(None, title="その妥当性")


class Retention(Model):
    """6．特定個人情報の保管・消去."""

    location: Text | None = Field(None, title="①保管場所")
    period: RetentionPeriod | None = Field(None, title="②保管期間")
    erasure: Text | None = Field(None, title="③消去方法")


class PersonalInfoFile(Model):
    """Ⅱ for one 特定個人情報ファイル."""

    name: Text = Field(title="1．特定個人情報ファイル名")
    basics: FileBasics | None = Field(None, title="2．基本情報")
    acquisition: Acquisition | None = Field(None, title="3．特定個人情報の入手・使用")
    entrustment: Entrustments | None = Field(None, title="4．特定個人情報ファイルの取扱いの委託")
    provision: Provisions | None = Field(None, title="5．特定個人情報の提供・移転（委託に伴うものを除く。）")
    retention: Retention | None = Field(None, title="6．特定個人情報の保管・消去")
    notes: Text | None = Field(None, title="7．備考")
    record_items: Text | None = Field(None, title="（別添２）特定個人情報ファイル記録項目", description="印刷のまま")
    extra_items: list[Item] = Field(default_factory=list, title="その他の印刷項目")


# ---- 様式2 しきい値判断 ------------------------------------------------------------------------------


class Threshold(Model):
    """様式2 Ⅱ しきい値判断項目 and Ⅲ しきい値判断結果."""

    target_people: Choice(C.TARGET_PEOPLE) | None = Field(title="1．対象人数 評価対象の事務の対象人数は何人か")  # type: ignore[valid-type]
    target_people_as_of: FactDate | None = Field(None, title="いつ時点の計数か（対象人数）")
    handlers: Choice(C.HANDLER_THRESHOLD) | None = Field(title="2．取扱者数 特定個人情報ファイル取扱者数は500人以上か")  # type: ignore[valid-type]
    handlers_as_of: FactDate | None = Field(None, title="いつ時点の計数か（取扱者数）")
    serious_accident: Choice(C.SERIOUS_ACCIDENT) | None = Field(  # type: ignore[valid-type]
        title="3．重大事故 過去１年以内に、評価実施機関において特定個人情報に関する重大事故が発生したか"
    )
    result: Choice(C.THRESHOLD_RESULT) | None = Field(title="Ⅲ しきい値判断結果")  # type: ignore[valid-type]


# ---- Ⅵ 評価実施手続 ---------------------------------------------------------------------------------


class BaselineAssessment(Model):
    date: FactDate | None = Field(None, title="①実施日")
    threshold_result: Choice(C.THRESHOLD_RESULT) | None = Field(None, title="②しきい値判断結果")  # type: ignore[valid-type]


class PublicComment(Model):
    method: Text | None = Field(None, title="①方法")
    period: Text | None = Field(None, title="②実施日・期間")
    shortening_reason: Text | None = Field(None, title="③期間を短縮する特段の理由")
    main_opinions: Text | None = Field(None, title="④主な意見の内容")
    reflection: Text | None = Field(None, title="⑤評価書への反映")


class ThirdPartyReview(Model):
    date: JaDate | Text | None = Field(None, title="①実施日")
    method: Text | None = Field(None, title="②方法")
    result: Text | None = Field(None, title="③結果")
    council_records: list[str] = Field(default_factory=list, title="審議会の記録", description="この点検に当たる審議会記録（答申・諮問）の id")


class PpcApproval(Model):
    submitted: Text | None = Field(None, title="①提出日")
    review: Text | None = Field(None, title="②個人情報保護委員会による審査")


class Procedures(Model):
    """Ⅵ 評価実施手続."""

    baseline: BaselineAssessment | None = Field(None, title="1．基礎項目評価")
    public_comment: PublicComment | None = Field(None, title="2．国民・住民等からの意見の聴取")
    third_party_review: ThirdPartyReview | None = Field(None, title="3．第三者点検")
    ppc_approval: PpcApproval | None = Field(None, title="4．個人情報保護委員会の承認【行政機関等のみ】")


# ---- 別添 変更箇所 ---------------------------------------------------------------------------------


class Change(Model):
    date: FactDate | None = Field(title="変更日")
    item: Text | None = Field(title="項目")
    before: Text | None = Field(None, title="変更前の記載")
    after: Text | None = Field(None, title="変更後の記載")
    timing: Choice(C.CHANGE_TIMING) | None = Field(None, title="提出時期")  # type: ignore[valid-type]
    reason: Text | None = Field(None, title="提出時期に係る説明")


# ---- cover, provenance, notes ---------------------------------------------------------------------


class Cover(Model):
    """表紙."""

    title: Text = Field(title="評価書名")
    number: Text | None = Field(None, title="評価書番号")
    organization: Text | None = Field(None, title="評価実施機関名")
    published: FactDate | None = Field(None, title="公表日")
    ppc_approval_date: FactDate | None = Field(None, title="個人情報保護委員会 承認日【行政機関等のみ】")
    declaration: Text | None = Field(None, title="個人のプライバシー等の権利利益の保護の宣言")
    remarks: Text | None = Field(None, title="特記事項")


class Source(Model):
    document: str = Field(title="出典資料", description="元の文書（例: seeds/003_681aa61cbd5201e5.txt、または公表 PDF の名称）")
    url: str | None = Field(None, title="出典 URL")
    pages: str | None = Field(None, title="該当ページ・行")
    as_of: dt.date = Field(title="データの時点", description="このデータがいつ時点のものか（YYYY-MM-DD）", strict=False)

    @field_validator("as_of")
    @classmethod
    def _as_of_not_future(cls, v: dt.date) -> dt.date:
        if v > fact_date_limit():
            raise _future_error(v.isoformat())
        return v


NOTE_KINDS = ("判読不能", "曖昧", "空欄", "不整合", "非公表", "補足")


class TranscriptionNote(Model):
    """A visible note about how a field was read from the source."""

    path: str = Field(title="対象の項目", description="項目のパス（例: files[0].retention.period.period）")
    kind: Literal[NOTE_KINDS] = Field(title="種類", description="判読不能 / 曖昧 / 空欄 / 不整合 / 非公表（評価規則第13条） / 補足")  # type: ignore[valid-type]
    note: Text = Field(title="内容")
    source_lines: str | None = Field(None, title="出典の行", description="出典テキストの行番号（例: 812-830）")


FormKind = Literal["様式2", "様式3", "様式4"]
FORM_NAMES = {"様式2": "基礎項目評価書", "様式3": "重点項目評価書", "様式4": "全項目評価書"}
KNOWN_FORM_VERSIONS = (
    "平成30年５月　様式４",
    "平成31年１月　様式２",
    "令和６年10月　様式３",
    "令和7年5月 様式4",
)


class Assessment(Model):
    """One 特定個人情報保護評価書."""

    type: Literal["assessment"] = Field(title="種類", description="assessment（評価書）")
    id: Annotated[str, Field(pattern=ID_RE)] = Field(title="ID", description="英小文字・数字・ハイフン。ファイル名と同じ")
    municipality: Annotated[str, Field(pattern=r"^\d{6}$")] = Field(title="全国地方公共団体コード", description="6桁（検査数字つき）")
    form: FormKind = Field(title="様式", description="様式2（基礎項目）/ 様式3（重点項目）/ 様式4（全項目）")
    form_version: Text = Field(title="様式の版", description="表紙右上の括弧内を印刷のまま（例: 平成30年５月　様式４）")
    status: Literal["現行", "終了"] = Field("現行", title="状態", description="終了した事務の評価書は「終了」（【終了】）")
    source: Source = Field(title="出典")
    cover: Cover = Field(title="表紙")
    basic_info: BasicInfo = Field(title="Ⅰ 基本情報")
    attachment1: Text | None = Field(None, title="（別添１）事務の内容", description="図の文字（読み取れた範囲、印刷のまま）")
    files: list[PersonalInfoFile] = Field(default_factory=list, title="Ⅱ 特定個人情報ファイルの概要")
    threshold: Threshold | None = Field(None, title="しきい値判断（様式2 Ⅱ・Ⅲ）")
    risks: list[FileRisks] = Field(default_factory=list, title="Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策")
    other_measures: list[Section] = Field(default_factory=list, title="Ⅳ その他のリスク対策", description="様式2では Ⅳ リスク対策")
    disclosure: list[Section] = Field(default_factory=list, title="Ⅴ 開示請求、問合せ")
    procedures: Procedures | None = Field(None, title="Ⅵ 評価実施手続")
    changes: list[Change] = Field(default_factory=list, title="（別添３）変更箇所")
    transcription_notes: list[TranscriptionNote] = Field(default_factory=list, title="転記メモ", description="判読不能・曖昧・空欄・非公表の箇所")

    @property
    def form_name(self) -> str:
        return FORM_NAMES[self.form]


class CouncilRecord(Model):
    """A record of the municipality's privacy council: a 答申 or a 諮問."""

    type: Literal["council_record"] = Field(title="種類", description="council_record（審議会の答申・諮問）")
    id: Annotated[str, Field(pattern=ID_RE)] = Field(title="ID")
    municipality: Annotated[str, Field(pattern=r"^\d{6}$")] = Field(title="全国地方公共団体コード")
    record_type: Literal["答申", "諮問"] = Field(title="区分")
    number: Text | None = Field(None, title="番号", description="例: 令和４年度答申第３号")
    date: FactDate | None = Field(None, title="日付")
    council: Text | None = Field(None, title="審議会", description="例: 高槻市個人情報保護運営審議会")
    addressee: Text | None = Field(None, title="宛先")
    sender: Text | None = Field(None, title="発信者")
    subject: Text = Field(title="件名")
    affair: Text | None = Field(None, title="事務（業務）の名称")
    department: Text | None = Field(None, title="担当課")
    recipient: Text | None = Field(None, title="外部提供の相手方")
    result: Text | None = Field(None, title="結論")
    conditions: list[Text] = Field(default_factory=list, title="付された条件・意見")
    text: Text | None = Field(None, title="本文", description="印刷のまま")
    legal_provisions: Text | None = Field(None, title="条例の関係規定")
    request_content: Text | None = Field(None, title="諮問内容")
    materials: list[Text] = Field(default_factory=list, title="関係資料")
    file_names: list[Text] = Field(default_factory=list, title="特定個人情報ファイルの名称")
    systems: list[Text] = Field(default_factory=list, title="特定個人情報ファイルを取り扱うシステム")
    purpose: Text | None = Field(None, title="目的・理由")
    processing_summary: Text | None = Field(None, title="処理概要")
    protection_measures: Text | None = Field(None, title="保護措置")
    remarks: Text | None = Field(None, title="備考")
    deliberation_date: FactDate | None = Field(None, title="審議日")
    request_reference: Text | None = Field(
        None, title="諮問の日付・番号", description="答申が応える諮問（例: 令和４年１０月１３日付け高健予第２３８７号）"
    )
    assessments: list[str] = Field(default_factory=list, title="対象の評価書", description="この記録が扱う評価書の id")
    source: Source = Field(title="出典")
    transcription_notes: list[TranscriptionNote] = Field(default_factory=list, title="転記メモ")


Document = Assessment | CouncilRecord
DOCUMENT_TYPES: dict[str, type[BaseModel]] = {"assessment": Assessment, "council_record": CouncilRecord}


def _walk_annotation(annotation: Any):
    stack = [annotation]
    while stack:
        a = stack.pop()
        yield a
        stack.extend(typing.get_args(a))


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as list[X] or X | None, if any."""
    return next((a for a in _walk_annotation(annotation) if isinstance(a, type) and issubclass(a, BaseModel)), None)


def choice_options(annotation: Any) -> tuple[str, ...] | None:
    """The official options of a choice annotation (its Literal), if it is one."""
    lit = next((a for a in _walk_annotation(annotation) if typing.get_origin(a) is Literal), None)
    return tuple(typing.get_args(lit)) if lit is not None else None


def field_title(model: type[BaseModel], name: str) -> str | None:
    f = model.model_fields.get(name)
    return f.title if f else None

