"""Where an item is, in the form's own words: a model path → the form's labels and numbers.

    path_label(a, "files[0].retention.period.period")          → "Ⅱ ファイル1 6．②保管期間 期間"
    path_label(a, "changes[70].date")                           → "別添３ 変更箇所 71 変更日"
    path_label(a, "risks[0].sections[0].risks[0].items[1].answer")
        → "Ⅲ ファイル1 2．リスク１：目的外の入手が行われるリスク リスクへの対策は十分か"

A transcription note names its item by a model path (`files[0].retention.period`); a reader knows the
paper form, whose items are numbered per section (Ⅰ…Ⅵ, 別添) and per file.  The labels come from the
model's field titles (hyoka.schema: each is the official label), the printed numbers of the list items
(システム1, 委託事項2, 提供先3, the Ⅲ section's 「2．」 …), the form's section headings (`LAYOUTS`, per
様式: 様式3's Ⅲ is 様式4's Ⅲ and Ⅳ) and Ⅰ's numbering per 様式 (`BASIC_NUMBERS`).  An intermediate
numbered part is shortened to its number (「6．特定個人情報の保管・消去」 → 「6．」) so the label stays short;
the last part is printed whole.

Pure: no page code, no MkDocs (the assessment view and the search titles use it).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pydantic import BaseModel

from . import schema as S

# Section headings per form: (key, printed heading).  Anchors are tied to the model part, not to the
# numeral, so that Ⅵ of 様式4 and Ⅴ of 様式3 (both 評価実施手続) share `s6`.
LAYOUTS: dict[str, list[tuple[str, str]]] = {
    "様式4": [
        ("cover", "表紙"),
        ("basic_info", "Ⅰ 基本情報"),
        ("attachment1", "（別添１）事務の内容"),
        ("files", "Ⅱ 特定個人情報ファイルの概要"),
        ("record_items", "（別添２）特定個人情報ファイル記録項目"),
        ("risks", "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"),
        ("other_measures", "Ⅳ その他のリスク対策"),
        ("disclosure", "Ⅴ 開示請求、問合せ"),
        ("procedures", "Ⅵ 評価実施手続"),
        ("changes", "（別添３）変更箇所"),
    ],
    "様式3": [
        ("cover", "表紙"),
        ("basic_info", "Ⅰ 基本情報"),
        ("attachment1", "事務の内容（図）"),
        ("files", "Ⅱ 特定個人情報ファイルの概要"),
        ("risks", "Ⅲ リスク対策"),
        ("other_measures", "Ⅲ リスク対策（監査・従業者に対する教育・啓発・その他）"),
        ("disclosure", "Ⅳ 開示請求、問合せ"),
        ("procedures", "Ⅴ 評価実施手続"),
        ("record_items", "（別添１）特定個人情報ファイル記録項目"),
        ("changes", "（別添２）変更箇所"),
    ],
    "様式2": [
        ("cover", "表紙"),
        ("basic_info", "Ⅰ 関連情報"),
        ("disclosure", "Ⅰ 関連情報（開示請求、問合せ）"),
        ("threshold", "Ⅱ しきい値判断項目"),
        ("threshold_result", "Ⅲ しきい値判断結果"),
        ("other_measures", "Ⅳ リスク対策"),
        ("attachment1", "事務の内容（図）"),
        ("files", "特定個人情報ファイルの概要"),
        ("record_items", "特定個人情報ファイル記録項目"),
        ("risks", "リスク対策"),
        ("procedures", "評価実施手続"),
        ("changes", "（別添）変更箇所"),
    ],
}
SECTION_ANCHORS = {
    "cover": "cover",
    "basic_info": "s1",
    "attachment1": "attachment1",
    "files": "files",
    "record_items": "record_items",
    "risks": "risks",
    "other_measures": "s4",
    "disclosure": "s5",
    "threshold": "threshold",
    "threshold_result": "threshold-decision",
    "procedures": "s6",
    "changes": "changes",
}

# Ⅰ: (field, number per form); None = not printed on that form (shown unnumbered if present).
BASIC_NUMBERS: dict[str, dict[str, int | None]] = {
    "様式4": {"affair": 1, "systems": 2, "file_names": 3, "file_reasons": 4, "my_number_legal_basis": 5, "network_linkage": 6, "department": 7, "other_bodies": 8},
    "様式3": {"affair": 1, "systems": 2, "file_names": 3, "file_reasons": None, "my_number_legal_basis": 4, "network_linkage": 5, "department": 6, "other_bodies": 7},
    "様式2": {"affair": 1, "systems": None, "file_names": 2, "file_reasons": None, "my_number_legal_basis": 3, "network_linkage": 4, "department": 5, "other_bodies": 6},
}

# Parts of a document outside the form's sections.
OTHER_HEADINGS = {"source": "出典", "transcription_notes": "転記メモ", "form_version": "様式の版", "status": "状態"}

_NUMBERED = re.compile(r"^([0-9０-９]+[．.])\s*")
_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


def unnumbered(title: str) -> str:
    return _NUMBERED.sub("", title)


def basic_title(form: str, name: str) -> str:
    """The printed title of a field of Ⅰ on this form: its number on that form (Ⅰ is numbered per 様式)."""
    n = BASIC_NUMBERS.get(form, {}).get(name)
    t = unnumbered(S.BasicInfo.model_fields[name].title or name)
    return f"{n}．{t}" if n else t


def section_heading(form: str, key: str) -> str:
    """The form's heading of a top-level part, as the page prints it (「Ⅱ 特定個人情報ファイルの概要」)."""
    for k, label in LAYOUTS.get(form, []):
        if k == key:
            return label
    if key == "threshold":
        return dict(LAYOUTS["様式2"])["threshold"]
    return OTHER_HEADINGS.get(key) or (S.Assessment.model_fields[key].title if key in S.Assessment.model_fields else key)


@functools.lru_cache(maxsize=1024)  # pure: the form's tables
def section_label(form: str, key: str) -> str:
    """The short name of a top-level part: its numeral (「Ⅱ」), or its heading without brackets (「別添３ 変更箇所」)."""
    h = section_heading(form, key)
    m = re.match(r"^([ⅠⅡⅢⅣⅤⅥⅦ]+)(\s|$)", h)
    if m:
        return m.group(1)
    m2 = re.match(r"^（(別添[^）]*)）(.*)$", h)
    if m2:
        return f"{m2.group(1)} {m2.group(2)}".strip()
    return h


@functools.lru_cache(maxsize=1 << 14)  # pure; the same paths on every page of a form
def _parse(path: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    out = []
    for part in path.split("."):
        m = _TOKEN.fullmatch(part)
        if not m:
            raise ValueError(f"not a model path: {path!r}")
        out.append((m.group(1), tuple(int(i) for i in re.findall(r"\d+", m.group(2)))))
    return tuple(out)


def _element_label(kind: str, name: str, value: Any, i: int) -> str:
    """The printed name of the i-th element (from 0) of the list field `name`."""
    n = i + 1
    if isinstance(value, S.PersonalInfoFile) or isinstance(value, S.FileRisks):
        return f"ファイル{n}"
    if isinstance(value, S.System):
        return f"システム{value.no}"
    if isinstance(value, S.Entrustment):
        return f"委託事項{value.no}"
    if isinstance(value, S.Provision):
        if name == "provisions":
            return f"提供先{value.no}"
        if name == "transfers":
            return f"移転先{value.no}"
        return f"{kind} {n}行目"
    if isinstance(value, S.RiskSection):
        return f"{value.no}．{value.title}" if value.no else value.title
    if isinstance(value, S.Section):
        return f"{value.no}．{value.title}" if value.no else value.title
    if isinstance(value, S.Risk):  # a joint block prints several titles, one a line: kept, joined by 「／」
        return "／".join(re.sub(r"：\s+", "：", t.strip()) for t in value.title.splitlines() if t.strip())
    if isinstance(value, S.Item):
        return f"{value.no}{value.label}" if value.no else value.label
    if isinstance(value, S.Change):
        return f"{n}"
    if isinstance(value, S.TranscriptionNote):
        return f"{n}"
    return f"{kind}（{n}）"


def _short(title: str) -> str:
    """An intermediate part: a numbered title shortened to its number (「6．特定個人情報の保管・消去」 → 「6．」)."""
    m = _NUMBERED.match(title)
    return m.group(1) if m else title


def path_label(doc: S.Assessment | S.CouncilRecord, path: str) -> str:
    """Where `path` (a transcription note's path, e.g. `files[0].retention.period`) is in the form, in its own labels.

    Raises ValueError for a path that names nothing of the document's model (the loader refuses such notes)."""
    if path == "":
        return "文書全体"
    form = getattr(doc, "form", None)
    tokens = _parse(path)
    if len(tokens) == 1 and not tokens[0][1] and isinstance(doc, S.Assessment) and tokens[0][0] in S.Assessment.model_fields:
        key = tokens[0][0]
        return section_heading(form, key) if section_label(form, key) != section_heading(form, key) and not section_heading(form, key).startswith("（") else section_label(form, key)
    parts: list[tuple[str, bool]] = []  # (label, numbered-intermediate-shortenable)
    obj: Any = doc
    model: type[BaseModel] = type(doc)
    for depth, (name, idx) in enumerate(tokens):
        if not isinstance(obj, BaseModel) or name not in type(obj).model_fields:
            # a key inside a plain value (tick details, a dict): its own name is the label
            if isinstance(obj, dict) and name in obj:
                parts.append((name, False))
                obj = obj[name]
                continue
            raise ValueError(f"{path!r}: {name!r} is not an item here")
        model = type(obj)
        field = model.model_fields[name]
        title = field.title or name
        value = getattr(obj, name)
        if depth == 0 and isinstance(doc, S.Assessment):
            if name == "files" and idx and len(tokens) > 1 and tokens[1][0] == "record_items":
                title = section_label(form, "record_items")
            elif name == "threshold" and len(tokens) > 1 and tokens[1][0] == "result":
                title = section_label(form, "threshold_result")
            else:
                title = section_label(form, name)
            parts.append((title, False))
        elif isinstance(obj, S.BasicInfo) and form:
            parts.append((basic_title(form, name), True))
        elif isinstance(obj, S.PersonalInfoFile) and name == "record_items":
            pass  # the file is named; （別添２） is the section already
        elif idx and isinstance(value, list):
            pass  # the element's own label names the list
        else:
            parts.append((title, True))
        for i in idx:
            if not isinstance(value, list) or i >= len(value):
                raise ValueError(f"{path!r}: {name}[{i}] does not exist")
            el = value[i]
            parts.append((_element_label(title, name, el, i), isinstance(el, (S.RiskSection, S.Section))))
            value = value[i]
        obj = value
    labels = [p for p, _ in parts]
    out = [(_short(lab) if short and k < len(labels) - 1 else lab) for k, (lab, short) in enumerate(parts)]
    # 「6．」 then 「②保管期間」 read as one: 「6．②保管期間」
    text = ""
    for k, lab in enumerate(out):
        if k and not text.endswith("．"):
            text += " "
        text += lab
    return text
