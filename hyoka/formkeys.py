"""One canonical key per form item, across 様式2/3/4 and their versions; every choice and tick answer of an assessment.

The key is what the open-data table `answers`, the risk × assessment matrix (compare/risks), the Whoosh index
(`risk_key`) and the browser's facets use, so that the same question lines up across cities and forms.

Sections are written with ASCII digits: `Ⅳ-1`, never `Ⅳ-１` (the 様式2 prints full-width numbers).

Risk ids (`risk_id`): `Ⅲ-{section}/R{n}`, n = the risk's place in 様式4's fixed list of titles
(`hyoka.choices.RISK_TITLES`), found by the printed title (「リスク１：」 removed, NFKC, no spaces), never by the
printed number: 様式3 Ⅲ6 prints 様式4's リスク1 and リスク5 as its リスク１・２, and both get `Ⅲ-6/R1`, `Ⅲ-6/R5`.
Where a version joins several risks into one printed item, the id is a range, `Ⅲ-4/R1-5`:

    printed                                                      risk id      covers
    様式4 Ⅲ4, five blocks (越谷・金沢・高槻 予防接種)                Ⅲ-4/R1 … R5  one risk each; their shared
                                                                               「リスクへの対策は十分か」 → Ⅲ-4/R1-5
    様式4 Ⅲ4, one block of the five titles (横浜市・高槻市 住基)       Ⅲ-4/R1-5    R1 … R5
    様式3 Ⅲ4 「リスク：委託先における不正な使用等のリスク」          Ⅲ-4/R1-5    R1 … R5
    様式2 Ⅳ4 「委託先における不正な使用等のリスクへの対策は十分か」   Ⅲ-4/R1-5    R1 … R5

A question keeps its key whichever way its risk is printed: Ⅲ4's measure questions carry the risk they are printed
under in 様式4 (`hyoka.choices.ENTRUST_QUESTION_RISK`: 「特定個人情報の提供ルール」 is `Ⅲ-4/R2/…` in the joint block
too), and 「リスクへの対策は十分か」 of the whole of 委託 is `Ⅲ-4/R1-5/リスクへの対策は十分か` in all four layouts.

Question keys (`Answer.key`):
    Ⅲ-{s}/R{n}/{question}        a question of a risk (question = printed label, NFKC, no spaces, no leading ①)
    Ⅲ-{s}/{question}             a question of a Ⅲ section outside its risks (様式3 Ⅲ8 監査 …)
    Ⅲ-{s}/not_applicable         the section's 該当なし check (委託しない / 提供・移転しない / 接続しない …)
    Ⅳ-{s}/{question}, Ⅴ-{s}/{question}
    Ⅰ-1/target_people, Ⅱ-4/items.subcontract …   a field of the model: 様式4's number (the field's official label)
                                 and the field names below it (stable across versions; list positions dropped)
    Ⅰ/{question}, Ⅱ/{question}   an item printed only in some version (the model's extra_items)
    しきい値/target_people …      様式2 Ⅱ しきい値判断項目 and Ⅲ しきい値判断結果
    別添3/timing                 提出時期 of a 変更箇所 row
The section of a key is 様式4's wherever 様式4 has the item (`canonical_section`, by the printed section title):
様式2 Ⅳ2…Ⅳ7 are 様式4's Ⅲ2…Ⅲ7 (「目的外の入手が行われるリスクへの対策は十分か」 = `Ⅲ-2/R1/リスクへの対策は十分か`),
様式2 Ⅳ8・Ⅳ9 and 様式3 Ⅲ8…Ⅲ10 are 様式4's Ⅳ1…Ⅳ3; an item only one form has keeps its printed section
(様式2 `Ⅳ-1/提出する特定個人情報保護評価書の種類`).  `Answer.section` is the section as printed on that form.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Iterator

from pydantic import BaseModel

from . import anchors as A
from . import choices as C
from . import schema as S

TICK_SEP = " / "  # ticked options in one cell (no option of any form contains it)
assert not any(TICK_SEP in o for t in (S.SystemConnections, S.AcquisitionSources, S.AcquisitionMethods, S.TransferMethods,
                                     S.MainRecordItems, S.ProvisionKinds) for o in t.OPTIONS)

SUFFICIENCY_QUESTION = "リスクへの対策は十分か"

# Printed variants of one question (see the comments in hyoka.choices.QUESTION_CHOICES) → the 様式4 wording.
QUESTION_ALIASES = {
    "特定個人情報ファイルの閲覧者・更新者の制限": "委託先による特定個人情報ファイルの閲覧者・更新者の制限",  # 令和7年5月 様式4
    "再委託先による特定個人情報ファイルの適切な取扱いの担保": "再委託先による特定個人情報ファイルの適切な取扱いの確保",  # 様式3 令和６年10月
}
assert all(k in C.QUESTION_CHOICES and v in C.QUESTION_CHOICES for k, v in QUESTION_ALIASES.items())

# 様式4's section titles of Ⅲ, Ⅳ and Ⅴ: the canonical section of a printed section, found by its title.
SECTION_TITLES: dict[str, str] = {
    "Ⅲ-2": "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
    "Ⅲ-3": "特定個人情報の使用",
    "Ⅲ-4": "特定個人情報ファイルの取扱いの委託",
    "Ⅲ-5": "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
    "Ⅲ-6": "情報提供ネットワークシステムとの接続",
    "Ⅲ-7": "特定個人情報の保管・消去",
    "Ⅳ-1": "監査",
    "Ⅳ-2": "従業者に対する教育・啓発",
    "Ⅳ-3": "その他のリスク対策",
    "Ⅴ-1": "特定個人情報の開示・訂正・利用停止請求",
    "Ⅴ-2": "特定個人情報ファイルの取扱いに関する問合せ",
}

_RISK_PREFIX = re.compile(r"^リスク[0-9]*[:：]")
_LEADING_NO = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|^[0-9]+[.)）]")
_NUMBERED = re.compile(r"^([0-9０-９]+)[．.]")


def ascii_no(no: str | int | None) -> str:
    """A printed number as ASCII digits: 「１」 → "1", "10" → "10"."""
    return unicodedata.normalize("NFKC", str(no if no is not None else "")).strip()


def _norm(text: str) -> str:
    return C.norm_label(text)


def question_id(label: str) -> str:
    """The comparison form of a printed question: NFKC, no spaces, no leading ① / 1., the 様式4 wording."""
    q = _LEADING_NO.sub("", _norm(label))
    return _ALIASES.get(q, q)


_ALIASES = {_norm(k): _norm(v) for k, v in QUESTION_ALIASES.items()}
_TITLES = {sec: [_norm(t) for t in titles] for sec, titles in C.RISK_TITLES.items()}
_JOINT = {sec: {_norm(t) for t in titles} for sec, titles in C.JOINT_RISK_TITLES.items()}
_ENTRUST_Q = {_ALIASES.get(_norm(q), _norm(q)): n for q, n in C.ENTRUST_QUESTION_RISK.items()}
_SECTION_BY_TITLE = {_norm(t): key for key, t in SECTION_TITLES.items()}


def risk_title_norm(title: str) -> str:
    """A printed risk title for matching: NFKC, no spaces, 「リスク１：」 removed."""
    return _RISK_PREFIX.sub("", _norm(title))


def joint_risk_id(section_no: str | int) -> str:
    """The id of all of a section's risks at once (`Ⅲ-4/R1-5`)."""
    n = ascii_no(section_no)
    return f"Ⅲ-{n}/R1-{len(_TITLES.get(n, ())) or 1}"


def risk_id(section_no: str | int, title: str) -> str:
    """The stable id of a printed Ⅲ risk title in Ⅲ section `section_no` (see the module docstring)."""
    n = ascii_no(section_no)
    t = risk_title_norm(title)
    titles = _TITLES.get(n, [])
    if t in titles:
        return f"Ⅲ-{n}/R{titles.index(t) + 1}"
    if t in _JOINT.get(n, set()):
        return joint_risk_id(n)
    for a in range(len(titles)):  # several titles printed as one block, in the form's order
        for b in range(len(titles), a + 1, -1):
            if "".join(titles[a:b]) == t:
                return f"Ⅲ-{n}/R{a + 1}-{b}"
    return f"Ⅲ-{n}/{t}"  # a title outside the form's list: its own key (same text, same key)


def risk_covers(rid: str) -> list[str]:
    """The single risks a risk id stands for: `Ⅲ-4/R1-5` → [`Ⅲ-4/R1`, …, `Ⅲ-4/R5`]."""
    m = re.fullmatch(r"(Ⅲ-\d+)/R(\d+)(?:-(\d+))?", rid)
    if not m:
        return [rid]
    a, b = int(m.group(2)), int(m.group(3) or m.group(2))
    return [f"{m.group(1)}/R{k}" for k in range(a, b + 1)]


def risk_label(rid: str) -> str:
    """The form's title of a risk id, from `hyoka.choices.RISK_TITLES` (a range joins its first and last title)."""
    m = re.fullmatch(r"Ⅲ-(\d+)/R(\d+)(?:-(\d+))?", rid)
    if not m:
        return rid.split("/", 1)[-1]
    titles = C.RISK_TITLES.get(m.group(1), ())
    a, b = int(m.group(2)), int(m.group(3) or m.group(2))
    if b > len(titles):
        return rid
    if a == b:
        return titles[a - 1]
    return f"リスク{a}〜{b}（{titles[a - 1]} 〜 {titles[b - 1]}）"


def risk_order(rid: str) -> tuple[int, int, int, str]:
    """Sort key: section, first risk, ranges after their single risks."""
    m = re.fullmatch(r"Ⅲ-(\d+)/R(\d+)(?:-(\d+))?", rid)
    if not m:
        s = re.match(r"Ⅲ-(\d+)", rid)
        return (int(s.group(1)) if s else 99, 99, 0, rid)
    return (int(m.group(1)), int(m.group(2)) if not m.group(3) else 90 + int(m.group(2)), int(m.group(3) or 0), rid)


def canonical_section(part: str, no: str | int | None, title: str) -> str:
    """様式4's section of a printed Ⅲ/Ⅳ/Ⅴ section (by its title), or the printed one (ASCII digits)."""
    return _SECTION_BY_TITLE.get(_norm(title)) or f"{part}-{ascii_no(no)}"


# ---- every answer of an assessment ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Answer:
    """One choice or tick question of an assessment and what was chosen."""

    file_no: int  # 1-based file number for Ⅱ/Ⅲ items, 0 otherwise
    file: str
    section: str  # as printed on this form, ASCII digits (様式2 `Ⅳ-2`, 様式3 `Ⅲ-8`)
    section_title: str
    key: str  # canonical, form-independent (module docstring)
    risk: str  # risk id of the risk the question is printed under (or answers for), "" if none
    risk_title: str  # the risk's printed title
    item: str  # the repeated entry the question belongs to (委託事項1, 提供先2, システム1, 変更箇所3), "" if none
    question: str  # the question's official label (printed label; for model fields, the model's labels)
    kind: str  # choice / tick / check (該当なし)
    answer: str  # the chosen option; ticked options joined with TICK_SEP; "" when left blank
    detail: str  # text printed in （ ） after a ticked option
    path: str  # model path, as transcription notes name it
    anchor: str  # in-page anchor of the question on the assessment page (hyoka.anchors / the render's path ids)


def path_id(path: str) -> str:
    """The page's anchor id of a model path (the same rule as hyoka.views.parts.path_id)."""
    return re.sub(r"\[(\d+)\]", lambda m: f"-{int(m.group(1)) + 1}", path).replace(".", "-")


# Lists of models that the page shows as cards, one row (and anchor) per field; other lists (別紙の一覧) are
# tables with one anchor per row.
_CARD_LISTS = {"systems", "items", "provisions", "transfers"}
_ITEM_WORDS = {"systems": "システム", "items": "委託事項", "provisions": "提供先", "transfers": "移転先"}


def _unnumbered(title: str) -> str:
    return _NUMBERED.sub("", title).strip()


def _item_rows(item: S.Item, *, file_no: int, file: str, section: str, section_title: str, key_prefix: str,
               risk: str, risk_title: str, path: str, anchor: str, item_word: str = "") -> Iterator[Answer]:
    """A generic printed item's choice answer and/or tick boxes (one row each that it has)."""
    q = question_id(item.label)
    label = f"{item.no}{item.label}" if item.no and not item.label.startswith(item.no) else item.label
    common = dict(file_no=file_no, file=file, section=section, section_title=section_title, risk=risk,
                  risk_title=risk_title, item=item_word, question=label, detail="", path=path, anchor=anchor)
    if "answer" in item.model_fields_set or item.answer is not None:
        yield Answer(key=f"{key_prefix}/{q}", kind="choice", answer=item.answer or "", **common)
    if item.options or "ticked" in item.model_fields_set:
        suffix = "/ticks" if "answer" in item.model_fields_set or item.answer is not None else ""
        yield Answer(key=f"{key_prefix}/{q}{suffix}", kind="tick", answer=TICK_SEP.join(item.ticked), **common)


def _model_rows(obj: BaseModel, path: str, *, file_no: int, file: str, section: str, section_title: str, rel: str,
                labels: list[str], item: str, anchor: str | None, key_section: str | None = None) -> Iterator[Answer]:
    """Every choice field and tick group below `obj`, walking the model generically."""
    cls = type(obj)
    for name, f in cls.model_fields.items():
        value = getattr(obj, name)
        if value is None:
            continue
        p = f"{path}.{name}"
        title = f.title or name
        sec, sec_title, r, lab = section, section_title, f"{rel}.{name}" if rel else name, [*labels, title]
        if not section:  # the first numbered level of the part decides the section
            m = _NUMBERED.match(title)
            if m:
                sec, sec_title, r, lab = f"{key_section}-{ascii_no(m.group(1))}", title, "", []
        ks = sec or key_section or ""
        common = dict(file_no=file_no, file=file, section=sec or key_section or "", section_title=sec_title, risk="",
                      risk_title="", item=item, path=p)
        if isinstance(value, S.TickBase):
            yield Answer(key=f"{ks}/{r}", question=" ".join(lab) or title, kind="tick", answer=TICK_SEP.join(value.ticked),
                         detail=" ".join(f"{k}（{v}）" for k, v in value.details.items()), anchor=anchor or path_id(p), **common)
        elif isinstance(value, S.Item):
            continue  # not a field of the model walk
        elif isinstance(value, BaseModel):
            yield from _model_rows(value, p, file_no=file_no, file=file, section=sec, section_title=sec_title, rel=r,
                                   labels=lab, item=item, anchor=anchor, key_section=key_section)
        elif isinstance(value, list) and value and isinstance(value[0], S.Item):
            for q, it in enumerate(value):
                ip = f"{p}[{q}]"
                yield from _item_rows(it, file_no=file_no, file=file, section=ks, section_title=sec_title,
                                      key_prefix=ks, risk="", risk_title="", path=ip, anchor=path_id(ip))
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            word = _ITEM_WORDS.get(name, _unnumbered(title))
            for i, el in enumerate(value):
                ep = f"{p}[{i}]"
                no = getattr(el, "no", None)
                yield from _model_rows(el, ep, file_no=file_no, file=file, section=sec, section_title=sec_title, rel=r,
                                       labels=[] if name in _CARD_LISTS else lab, item=f"{word}{no if isinstance(no, int) else i + 1}",
                                       anchor=None if name in _CARD_LISTS else path_id(ep), key_section=key_section)
        elif isinstance(value, str) and S.choice_options(f.annotation) is not None:
            yield Answer(key=f"{ks}/{r}", question=" ".join(lab) or title, kind="choice", answer=value, detail="",
                         anchor=anchor or path_id(p), **common)


def answers(a: S.Assessment) -> Iterator[Answer]:
    """Every choice and tick question of the assessment, in the page's order (Ⅰ, Ⅱ, しきい値, Ⅲ, Ⅳ, Ⅴ, Ⅵ, 別添3)."""
    none = dict(file_no=0, file="", item="")
    yield from _model_rows(a.basic_info, "basic_info", section="", section_title="", rel="", labels=[], anchor=None,
                           key_section="Ⅰ", **none)
    for fi, pf in enumerate(a.files):
        yield from _model_rows(pf, f"files[{fi}]", file_no=fi + 1, file=pf.name, item="", section="", section_title="",
                               rel="", labels=[], anchor=None, key_section="Ⅱ")
    if a.threshold:
        t = a.threshold
        for name, f in S.Threshold.model_fields.items():
            value = getattr(t, name)
            if value is None or S.choice_options(f.annotation) is None:
                continue
            title = f.title or name
            printed = "Ⅲ" if title.startswith("Ⅲ") else f"Ⅱ-{ascii_no(m.group(1))}" if (m := _NUMBERED.match(title)) else "Ⅱ"
            yield Answer(section=printed, section_title=title, key=f"しきい値/{name}", risk="", risk_title="",
                         question=title, kind="choice", answer=value, detail="", path=f"threshold.{name}",
                         anchor=path_id(f"threshold.{name}"), **none)
    for fi, fr in enumerate(a.risks):
        f = fi + 1
        for si, sec in enumerate(fr.sections):
            sp = f"risks[{fi}].sections[{si}]"
            n = ascii_no(sec.no)
            printed = f"Ⅲ-{n}"
            canon = canonical_section("Ⅲ", n, sec.title) if n not in _TITLES else printed
            common = dict(file_no=f, file=fr.file_name, section=printed, section_title=sec.title)
            if sec.not_applicable is not None:
                yield Answer(key=f"{canon}/not_applicable", risk="", risk_title="", item="", question="該当なしのチェック",
                             kind="check", answer=sec.not_applicable, detail="", path=f"{sp}.not_applicable",
                             anchor=path_id(f"{sp}.not_applicable"), **common)
            for k, rk in enumerate(sec.risks, 1):
                rid = risk_id(n, rk.title)
                for q, it in enumerate(rk.items, 1):
                    yield from _item_rows(it, key_prefix=_question_prefix(n, rid, it.label), risk=rid, risk_title=rk.title,
                                          path=f"{sp}.risks[{k - 1}].items[{q - 1}]", anchor=A.risk_item(f, sec.no, k, q), **common)
            for q, it in enumerate(sec.items, 1):
                joint = question_id(it.label) == SUFFICIENCY_QUESTION and len(sec.risks) > 1 and n in _TITLES
                rid = joint_risk_id(n) if joint else ""
                yield from _item_rows(it, key_prefix=_question_prefix(n, rid, it.label) if joint else canon, risk=rid,
                                      risk_title="", path=f"{sp}.items[{q - 1}]", anchor=A.risk_section_item(f, sec.no, q), **common)
    for part, attr, anchor_fn in (("Ⅳ", "other_measures", A.other_measure), ("Ⅴ", "disclosure", A.disclosure)):
        for s, sec in enumerate(getattr(a, attr), 1):
            printed = f"{part}-{ascii_no(sec.no or s)}"
            canon = canonical_section(part, sec.no or s, sec.title)
            for q, it in enumerate(sec.items, 1):
                prefix, rid = canon, ""
                if canon.startswith("Ⅲ-"):  # 様式2 Ⅳ2…Ⅳ7: 様式4's Ⅲ risks, asked as one question each
                    n = canon[2:]
                    qn = question_id(it.label)
                    if qn == _norm(sec.title) and (it.options or it.ticked):
                        yield from (dataclasses.replace(x, key=f"{canon}/not_applicable", kind="check")
                                    for x in _item_rows(it, file_no=0, file="", section=printed, section_title=sec.title,
                                                        key_prefix=canon, risk="", risk_title="", path=f"{attr}[{s - 1}].items[{q - 1}]",
                                                        anchor=anchor_fn(s, q)))
                        continue
                    if qn.endswith(_norm("への対策は十分か")):
                        rid = risk_id(n, qn[: -len(_norm("への対策は十分か"))])
                        prefix = f"{rid}/{SUFFICIENCY_QUESTION}"
                        yield from (dataclasses.replace(x, key=prefix) for x in _item_rows(
                            it, file_no=0, file="", section=printed, section_title=sec.title, key_prefix=prefix, risk=rid,
                            risk_title=it.label, path=f"{attr}[{s - 1}].items[{q - 1}]", anchor=anchor_fn(s, q)))
                        continue
                yield from _item_rows(it, file_no=0, file="", section=printed, section_title=sec.title, key_prefix=prefix,
                                      risk=rid, risk_title="", path=f"{attr}[{s - 1}].items[{q - 1}]", anchor=anchor_fn(s, q))
    if a.procedures:
        yield from _model_rows(a.procedures, "procedures", section="", section_title="", rel="", labels=[], anchor=None,
                               key_section="Ⅵ", **none)
    for n, ch in enumerate(a.changes, 1):
        if ch.timing is not None:
            yield Answer(section="別添3", section_title="（別添３）変更箇所", key="別添3/timing", risk="", risk_title="",
                         item=f"変更箇所{n}", question=S.Change.model_fields["timing"].title or "timing", kind="choice",
                         answer=ch.timing, detail="", path=f"changes[{n - 1}].timing", anchor=A.change(n), file_no=0, file="")


def _question_prefix(section_no: str, rid: str, label: str) -> str:
    """The key of a question printed under risk `rid` (without the question): Ⅲ4's measure questions keep
    the risk they have in 様式4 (ENTRUST_QUESTION_RISK), whichever block they are printed in."""
    q = question_id(label)
    if section_no == "4" and q in _ENTRUST_Q:
        return f"Ⅲ-4/R{_ENTRUST_Q[q]}"
    return rid


# ---- documentation (data/index.md) ------------------------------------------------------------------

KEY_SCHEME: list[tuple[str, str]] = [
    ("`Ⅲ-2/R1/リスクへの対策は十分か`", "Ⅲ のリスクの設問: 区分（様式4の番号）／リスクの ID／設問（NFKC・空白なし・先頭の①などを除く）"),
    ("`Ⅲ-4/R1-5/リスクへの対策は十分か`", "委託（Ⅲ-4）全体の「リスクへの対策は十分か」: 5つのリスクをまとめた回答"),
    ("`Ⅲ-{n}/{設問}`", "Ⅲ の区分の、リスクの外の設問"),
    ("`Ⅲ-5/not_applicable`", "区分の「該当なし」のチェック（提供・移転しない、接続しない（入手） …）。様式2 Ⅳ の同じチェックも同じキー"),
    ("`Ⅳ-1/自己点検`、`Ⅴ-1/手数料等`", "Ⅳ・Ⅴ の設問。区分は様式4の見出しで決める（様式3 Ⅲ8 監査・様式2 Ⅳ8 監査 → Ⅳ-1）"),
    ("`Ⅰ-1/target_people`、`Ⅱ-4/items.subcontract`", "モデルの項目: 様式4の番号（公式の項目名の番号）とその下の項目名（版によらず同じ。繰り返しの番号は item 列）"),
    ("`しきい値/target_people` …", "様式2 Ⅱ しきい値判断項目・Ⅲ しきい値判断結果"),
    ("`Ⅰ/{設問}`、`Ⅱ/{設問}`", "その版の様式にだけある Ⅰ・Ⅱ の印刷項目（モデルの extra_items）"),
    ("`別添3/timing`", "変更箇所の提出時期（事前／事後）。行は item 列の 変更箇所n"),
]


def risk_table() -> list[tuple[str, str, str]]:
    """(risk id, 様式4's title, what it covers) for every risk id of the form, ranges last per section."""
    out = []
    for sec, titles in C.RISK_TITLES.items():
        for k, t in enumerate(titles, 1):
            out.append((f"Ⅲ-{sec}/R{k}", t, ""))
        if sec in C.JOINT_RISK_TITLES:
            rid = joint_risk_id(sec)
            printed = "、".join(f"「{t}」" for t in C.JOINT_RISK_TITLES[sec])
            out.append((rid, risk_label(rid),
                        f"{'・'.join(risk_covers(rid))} をまとめた項目: 平成30年 様式4 で5つの名称を1つの欄に印刷したもの、"
                        f"様式3 の {printed}、様式2 Ⅳ の「…への対策は十分か」、5つに分けて印刷した版の区分共通の「リスクへの対策は十分か」"))
    return out
