"""One assessment or council record → one Markdown page (Markdown headings + raw HTML blocks).

The page follows the form's own order and numbering (表紙, Ⅰ…Ⅵ, 別添) for 様式2/3/4, opens with a
summary for a citizen, shows every choice answer among the form's official options, every tick box
as ☑/☐, repeated blocks as cards and tables, and gives every item its stable anchor from
`hyoka.anchors` with a visible permalink (¶).  Where anchors.py names no anchor for an item (most
fields of Ⅰ, Ⅱ and Ⅵ), the id is derived from the field's model path, the same path that
transcription notes use: `files[0].basics.persons` → `files-1-basics-persons` (lists count from 1).

Text from content/ is never read as Markdown or HTML: see `hyoka.htmlkit`.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, Iterable

from pydantic import BaseModel

from . import anchors as A
from . import choices as C
from . import schema as S
from .htmlkit import block, esc, external_link, front_matter, md_inline, permalink, rel_url, safe_title, text, url_of
from .loader import Corpus, Municipality

# Answers that a citizen should see first: the form's "not enough" levels of its graded scales.
CONCERN_ANSWERS = ("課題が残されている", "十分に行っていない")


# ---- links across the site ----------------------------------------------------------------------


@dataclasses.dataclass
class Links:
    """Where every document and municipality lives; built once per corpus."""

    corpus: Corpus

    def __post_init__(self) -> None:
        self.docs: dict[str, S.Assessment | S.CouncilRecord] = {
            d.id: d for d in [*self.corpus.assessments, *self.corpus.council_records]
        }
        # council records ↔ assessments, both directions, whichever side names the link
        self.records_of: dict[str, list[str]] = {}
        self.assessments_of: dict[str, list[str]] = {}
        for a in self.corpus.assessments:
            tpr = a.procedures.third_party_review if a.procedures else None
            for rid in tpr.council_records if tpr else []:
                self._pair(a.id, rid)
        for r in self.corpus.council_records:
            for aid in r.assessments:
                self._pair(aid, r.id)

    def _pair(self, aid: str, rid: str) -> None:
        if aid in self.docs and rid in self.docs:
            if rid not in self.records_of.setdefault(aid, []):
                self.records_of[aid].append(rid)
            if aid not in self.assessments_of.setdefault(rid, []):
                self.assessments_of[rid].append(aid)

    def municipality(self, code: str) -> Municipality:
        return self.corpus.municipalities[code]

    def doc_path(self, doc_id: str) -> str:
        d = self.docs[doc_id]
        return A.page_path(self.municipality(d.municipality).slug, d.id)

    def doc_url(self, doc_id: str, anchor: str | None = None) -> str:
        d = self.docs[doc_id]
        return A.permalink(self.municipality(d.municipality).slug, d.id, anchor)

    def municipality_url(self, code: str) -> str:
        return url_of(A.municipality_path(self.municipality(code).slug))


# ---- small helpers ------------------------------------------------------------------------------


def path_id(path: str) -> str:
    """Anchor id from a model path: `files[0].basics.persons` → `files-1-basics-persons`."""
    return re.sub(r"\[(\d+)\]", lambda m: f"-{int(m.group(1)) + 1}", path).replace(".", "-")


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def _unnumbered(title: str) -> str:
    return re.sub(r"^[0-9０-９]+[．.]\s*", "", title)


def _inner_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    return S.inner_model(model.model_fields[name].annotation)


def _options(model: type[BaseModel], name: str) -> tuple[str, ...] | None:
    """The official options of a choice field (its Literal), if the field is a choice."""
    return S.choice_options(model.model_fields[name].annotation)


def ja_date(value: S.JaDate | str | dt.date | None) -> str:
    """A date as printed, with its Gregorian date when it is one."""
    if value is None:
        return text(None)
    if isinstance(value, dt.date):
        return f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'
    if isinstance(value, S.JaDate):
        try:
            iso = value.iso
        except Exception:  # pragma: no cover - validated already
            return text(value)
        same = str(value) == iso
        extra = "" if same else f'<span class="hy-iso">（{iso}）</span>'
        return f'<time datetime="{esc(iso)}">{esc(value)}</time>{extra}'
    return text(value)


def date_key(value: S.JaDate | None) -> str:
    try:
        return value.iso if value is not None else ""
    except Exception:  # pragma: no cover
        return ""


def choice(value: str | None, options: Iterable[str] | None) -> str:
    """A choice answer the way the form prints it: ［ answer ］ and the numbered options, chosen one marked."""
    opts = list(options or [])
    answer = (
        f'<span class="hy-answer">［ {esc(value)} ］</span>'
        if value is not None
        else '<span class="hy-answer hy-empty">［ 　 ］（回答なし）</span>'
    )
    if not opts:
        return f'<div class="hy-choice">{answer}</div>'
    lis = []
    for i, opt in enumerate(opts, 1):
        chosen = opt == value
        cls = "hy-opt is-chosen" if chosen else "hy-opt"
        if chosen and opt in CONCERN_ANSWERS:
            cls += " is-concern"
        mark = "◉" if chosen else "○"
        tag = '<span class="hy-chosen-tag">← 回答</span>' if chosen else ""
        lis.append(f'<li class="{cls}"><span class="hy-mark" aria-hidden="true">{mark}</span>{i}） {esc(opt)}{tag}</li>')
    return (
        f'<div class="hy-choice">{answer}<span class="hy-options-label">＜選択肢＞</span>'
        f'<ol class="hy-options">{"".join(lis)}</ol></div>'
    )


def ticks(value: S.TickBase | None) -> str:
    """A tick-box group: every official option, ☑ when ticked (○ on paper), ☐ otherwise."""
    if value is None:
        return text(None)
    lis = []
    for opt in value.OPTIONS:
        on = opt in value.ticked
        detail = value.details.get(opt)
        det = f'<span class="hy-detail">（{esc(detail)}）</span>' if detail else ""
        state = "選択あり" if on else "選択なし"
        box = "☑" if on else "☐"
        cls = "is-ticked" if on else "is-unticked"
        lis.append(
            f'<li class="{cls}"><span class="hy-box" aria-hidden="true">{box}</span>'
            f'<span class="hy-sr">{state}：</span>{esc(opt)}{det}</li>'
        )
    return f'<ul class="hy-ticks">{"".join(lis)}</ul>'


# ---- transcription notes ------------------------------------------------------------------------


class NoteBoard:
    """Shows each transcription note at the item it names, and remembers where, for the list at the end."""

    def __init__(self, notes: list[S.TranscriptionNote]):
        self.notes = notes
        self.where: dict[int, str] = {}

    def at(self, path: str, anchor: str, deep: bool = False, exclude: tuple[str, ...] = (), everything: bool = False) -> str:
        """Markers for the notes on `path` (and, if deep, below it) not shown yet; they are shown here."""
        out = []
        for i, n in enumerate(self.notes):
            if i in self.where:
                continue
            if any(n.path == x or n.path.startswith(x + ".") or n.path.startswith(x + "[") for x in exclude):
                continue
            if everything or n.path == path or (deep and (n.path.startswith(path + ".") or n.path.startswith(path + "["))):
                self.where[i] = anchor
                out.append(self.marker(i, n))
        return "".join(out)

    @staticmethod
    def marker(i: int, n: S.TranscriptionNote) -> str:
        lines = f'<span class="hy-note-src">（出典の行: {esc(n.source_lines)}）</span>' if n.source_lines else ""
        return (
            f'<div class="hy-note" role="note"><span class="hy-note-kind">⚠ {esc(n.kind)}</span> '
            f'<span class="hy-text">{esc(n.note)}</span>{lines} '
            f'<a class="hy-note-ref" href="#{esc(path_id(f"transcription_notes[{i}]"))}">転記メモ {i + 1}</a></div>'
        )

    def concern_count(self) -> int:
        return len(self.notes)


# ---- a definition list of fields ----------------------------------------------------------------


class Fields:
    """Rows of 「label | value」 for one model object; each row has an id and a permalink."""

    def __init__(self, notes: NoteBoard):
        self.notes = notes
        self.rows: list[str] = []

    def row(self, label: str, value_html: str, anchor: str, path: str | None = None, deep: bool = True, cls: str = "") -> None:
        note = self.notes.at(path, anchor, deep=deep) if path else ""
        c = f" {cls}" if cls else ""
        self.rows.append(
            f'<div class="hy-row{c}" id="{esc(anchor)}"><dt>{esc(label)}{permalink(anchor, label)}</dt>'
            f"<dd>{value_html}{note}</dd></div>"
        )

    def field(self, obj: BaseModel, name: str, path: str, label: str | None = None, anchor: str | None = None, always: bool = False) -> None:
        """One model field, rendered by its type; skipped when empty unless a note names it.

        A nested model (not a tick group) is shown as its own rows, labelled 「parent child」;
        a list of models (別紙 tables) as a table in one row.
        """
        fpath = f"{path}.{name}" if path else name
        value = getattr(obj, name)
        model = type(obj)
        title = label or _title(model, name)
        if isinstance(value, BaseModel) and not isinstance(value, S.TickBase):
            self.fields(value, fpath, prefix=title)
            return
        noted = any(n.path == fpath or n.path.startswith(fpath + ".") or n.path.startswith(fpath + "[") for n in self.notes.notes)
        if (value is None or value == [] or value == {}) and not noted and not always:
            return
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            html_value = model_table(value, fpath, self.notes)
        else:
            html_value = value_html(model, name, value)
        self.row(title, html_value, anchor or path_id(fpath), fpath)

    def fields(self, obj: BaseModel, path: str, skip: Iterable[str] = (), prefix: str = "", always: Iterable[str] = (), labels: dict[str, str] | None = None) -> "Fields":
        """Every field of `obj` in the model's (= the form's) order."""
        labels = labels or {}
        for name in type(obj).model_fields:
            if name in skip:
                continue
            label = labels.get(name) or (f"{prefix} {_title(type(obj), name)}" if prefix else None)
            self.field(obj, name, path, label=label, always=name in always)
        return self

    def html(self) -> str:
        if not self.rows:
            return ""
        return f'<dl class="hy-fields">{"".join(self.rows)}</dl>'


def value_html(model: type[BaseModel], name: str, value: Any) -> str:
    if isinstance(value, S.TickBase):
        return ticks(value)
    opts = _options(model, name)
    if opts is not None and (value is None or isinstance(value, str)):
        return choice(value, opts)
    if isinstance(value, (S.JaDate, dt.date)):
        return ja_date(value)
    if isinstance(value, list):
        if not value:
            return text(None)
        return '<ul class="hy-list">' + "".join(f"<li>{text(v)}</li>" for v in value) + "</ul>"
    if isinstance(value, bool):
        return text("はい" if value else "いいえ")
    return text(value)


def model_table(rows: list[BaseModel], path: str, notes: NoteBoard) -> str:
    """A list of models (e.g. 別紙の提供先一覧) as a table: one column per field that has a value."""
    model = type(rows[0])
    cols = [n for n in model.model_fields if any(getattr(r, n) not in (None, [], {}) for r in rows)]
    head = "".join(f'<th scope="col">{esc(_title(model, n))}</th>' for n in cols)
    trs = []
    for i, r in enumerate(rows):
        rp = f"{path}[{i}]"
        rid = path_id(rp)
        cells = []
        for j, n in enumerate(cols):
            v = getattr(r, n)
            cell = value_html(model, n, v) if v is not None else text(None)
            if j == 0:
                cell += permalink(rid, f"{i + 1}行目")
            cells.append(f'<td data-label="{esc(_title(model, n))}">{cell}</td>')
        note = notes.at(rp, rid, deep=True)
        if note:
            cells[-1] = cells[-1][: -len("</td>")] + note + "</td>"
        trs.append(f'<tr id="{esc(rid)}">{"".join(cells)}</tr>')
    return f'<div class="hy-scroll"><table class="hy-table hy-stack"><thead><tr>{head}</tr></thead><tbody>{"".join(trs)}</tbody></table></div>'


def item_value(item: S.Item, notes: NoteBoard | None = None) -> str:
    parts = []
    allowed = C.choices_for_question(item.label)
    if item.answer is not None or (allowed is not None and item.text is None and not item.options):
        parts.append(choice(item.answer, allowed))
    if item.options:
        lis = []
        for opt in item.options:
            on = opt in item.ticked
            lis.append(
                f'<li class="{"is-ticked" if on else "is-unticked"}"><span class="hy-box" aria-hidden="true">{"☑" if on else "☐"}</span>'
                f'<span class="hy-sr">{"選択あり" if on else "選択なし"}：</span>{esc(opt)}</li>'
            )
        parts.append(f'<ul class="hy-ticks">{"".join(lis)}</ul>')
    if item.text is not None:
        parts.append(f'<div class="hy-item-text">{text(item.text)}</div>')
    return "".join(parts) or text(None)


def item_label(item: S.Item) -> str:
    return f"{item.no}{item.label}" if item.no else item.label


# ---- the assessment page ------------------------------------------------------------------------

# Section headings per form: (key, printed heading, anchor).  Anchors are tied to the model part, not
# to the numeral, so that Ⅵ of 様式4 and Ⅴ of 様式3 (both 評価実施手続) share `s6`.
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


def heading(level: int, title: str, anchor: str) -> str:
    """A Markdown heading (it feeds the table of contents); the text is fully entity-escaped."""
    return f"{'#' * level} {md_inline(title)} {{ #{anchor} }}"


def h(level: int, title: str, link: str | None = None) -> str:
    """An HTML heading inside a block (not in the table of contents), with a ¶ to `link` (the id of
    the section or card it heads)."""
    pl = permalink(link, title) if link else ""
    return f'<h{level} class="hy-h">{esc(title)}{pl}</h{level}>'


class AssessmentPage:
    def __init__(self, a: S.Assessment, links: Links, findings: list | None = None):
        self.a = a
        self.links = links
        self.findings = findings or []  # this assessment's auditor findings (hyoka.findings)
        self.notes = NoteBoard(a.transcription_notes)
        self.muni = links.municipality(a.municipality)
        self.url = links.doc_url(a.id)
        self.parts: list[str] = []

    # -- assembly --

    def md(self) -> str:
        a = self.a
        title = f"{a.cover.title}"
        self.parts = [front_matter(title=safe_title(f"{title}（{self.muni.name}）"), hide=["navigation"])]
        self.parts.append(block(self.header()))
        self.parts.append(block(self.summary()))
        if self.findings:
            from .findings_pages import assessment_box

            self.parts.append(block(assessment_box(self.findings, self.muni.slug, self.url)))
        for key, label in LAYOUTS[a.form]:
            getattr(self, f"sec_{key}")(label, SECTION_ANCHORS[key])
        self.sec_notes()
        return "\n\n".join(p for p in self.parts if p) + "\n"

    def add(self, level: int, title: str, anchor: str, body: str) -> None:
        self.parts.append(heading(level, title, anchor))
        if body:
            self.parts.append(block(body))

    # -- header and summary --

    def header(self) -> str:
        a, m = self.a, self.muni
        home = rel_url("", self.url)
        muni = rel_url(self.links.municipality_url(a.municipality), self.url)
        crumbs = (
            f'<nav class="hy-crumbs" aria-label="現在位置"><a href="{esc(home)}">ホーム</a> › '
            f'<a href="{esc(muni)}">{esc(m.name)}</a> › <span>{esc(a.form_name)}</span></nav>'
        )
        banner = ""
        if a.status == "終了":
            banner = (
                '<div class="hy-ended" role="note"><strong>【終了】</strong> この評価書の事務は終了しています。'
                "記載は終了時点のものです。</div>"
            )
        meta = [
            ("評価実施機関", text(a.cover.organization or m.name)),
            ("評価書の種類", f"{esc(a.form)}（{esc(a.form_name)}）"),
            ("様式の版", f"［{esc(a.form_version)}］"),
            ("公表日", ja_date(a.cover.published)),
            ("データの時点", ja_date(a.source.as_of)),
            ("状態", "【終了】" if a.status == "終了" else esc(a.status)),
        ]
        meta_html = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta)
        number = f'<span class="hy-docno">評価書番号 {esc(a.cover.number)}</span>' if a.cover.number else ""
        return (
            f'<header class="hy-head">{crumbs}{banner}'
            f'<p class="hy-kicker">{esc(m.prefecture)} {esc(m.name)}・特定個人情報保護評価書（{esc(a.form_name)}）</p>'
            f'<h1 class="hy-title">{esc(a.cover.title)}</h1>{number}'
            f'<dl class="hy-meta">{meta_html}</dl></header>'
        )

    def summary(self) -> str:
        a = self.a
        rows: list[tuple[str, str]] = []
        bi = a.basic_info
        rows.append(("事務", f'<a href="#{esc(path_id("basic_info.affair.name"))}">{esc(bi.affair.name)}</a>'))
        people = bi.affair.target_people or (a.threshold.target_people if a.threshold else None)
        if people:
            rows.append(("対象人数", esc(people)))
        if bi.systems:
            rows.append(("システム", "、".join(f'<a href="#{esc(A.system(s.no))}">{esc(s.name)}</a>' for s in bi.systems)))
        elif bi.system_names:
            rows.append(("システム", text(bi.system_names)))
        if a.files:
            trs = []
            for f, pf in enumerate(a.files, 1):
                persons = pf.basics.persons if pf.basics and pf.basics.persons else None
                ent = pf.entrustment
                if ent is None:
                    ent_html = text(None)
                elif ent.status == "委託する":
                    n = ent.count if ent.count is not None else len(ent.items)
                    ent_html = f'<a href="#{esc(path_id(f"files[{f - 1}].entrustment"))}">委託する（{n}件）</a>'
                else:
                    ent_html = esc(ent.status or "（記載なし）")
                period = pf.retention.period.period if pf.retention and pf.retention.period else None
                period_html = (
                    f'<a href="#{esc(A.retention(f))}">{esc(period)}</a>' if period else f'<a href="#{esc(A.retention(f))}">（記載なし）</a>' if pf.retention else text(None)
                )
                trs.append(
                    f'<tr><td data-label="ファイル"><a href="#{esc(A.file(f))}">（{f}）{esc(pf.name)}</a></td>'
                    f'<td data-label="対象となる本人の数">{esc(persons) if persons else text(None)}</td>'
                    f'<td data-label="委託">{ent_html}</td><td data-label="保管期間">{period_html}</td></tr>'
                )
            table = (
                '<div class="hy-scroll"><table class="hy-table hy-stack"><thead><tr><th scope="col">特定個人情報ファイル</th>'
                '<th scope="col">対象となる本人の数</th><th scope="col">委託</th><th scope="col">保管期間</th></tr></thead>'
                f'<tbody>{"".join(trs)}</tbody></table></div>'
            )
            rows.append(("ファイル", table))
        elif bi.file_names:
            rows.append(("ファイル", "、".join(esc(n) for n in bi.file_names)))
        concerns = self.concerns()
        if concerns:
            lis = "".join(
                f'<li><a href="#{esc(anc)}">{esc(where)}</a>：<strong class="hy-concern">［ {esc(ans)} ］</strong></li>' for anc, where, ans in concerns
            )
            rows.append(("「課題が残されている」等の回答", f'<ul class="hy-list">{lis}</ul>'))
        else:
            rows.append(("「課題が残されている」等の回答", "ありません"))
        records = self.links.records_of.get(a.id, [])
        if records:
            rows.append(("第三者点検の審議会記録", self.record_links(records)))
        if self.findings:
            rows.append(("点検結果", f'<a href="#findings">{len(self.findings)} 件（記載の確認が必要と思われる箇所）</a>'))
        if a.transcription_notes:
            rows.append(("転記メモ", f'<a href="#notes">{len(a.transcription_notes)} 件（判読できない・曖昧な箇所など）</a>'))
        src = esc(a.source.document)
        if a.source.url:
            src += "（" + external_link(a.source.url) + "）"
        rows.append(("出典", src))
        data = rel_url(f"data/assessments/{a.id}.json", self.url)
        rows.append(("データ", f'<a class="hy-data-link" href="{esc(data)}">この評価書のデータ（JSON）</a>'
                               f'（<a href="{esc(rel_url("data/", self.url))}">オープンデータ</a>）'))
        body = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in rows)
        return (
            f'<section class="hy-summary" id="summary" aria-labelledby="summary-h">'
            f'<h2 id="summary-h" class="hy-h">概要{permalink("summary", "概要")}</h2><dl class="hy-sumlist">{body}</dl></section>'
        )

    def record_links(self, ids: list[str]) -> str:
        lis = []
        for rid in ids:
            r = self.links.docs[rid]
            assert isinstance(r, S.CouncilRecord)
            label = " ".join(x for x in [r.number or r.record_type, r.subject] if x)
            lis.append(f'<li><a href="{esc(rel_url(self.links.doc_url(rid), self.url))}">{esc(label)}</a></li>')
        return f'<ul class="hy-list">{"".join(lis)}</ul>'

    def concerns(self) -> list[tuple[str, str, str]]:
        out = []
        for f, fr in enumerate(self.a.risks, 1):
            for sec in fr.sections:
                for k, risk in enumerate(sec.risks, 1):
                    for q, item in enumerate(risk.items, 1):
                        if item.answer in CONCERN_ANSWERS:
                            out.append((A.risk_item(f, sec.no, k, q), f"Ⅲ（{f}）{sec.no}．{risk.title}　{item_label(item)}", item.answer))
                for q, item in enumerate(sec.items, 1):
                    if item.answer in CONCERN_ANSWERS:
                        out.append((A.risk_section_item(f, sec.no, q), f"Ⅲ（{f}）{sec.no}．{sec.title}　{item_label(item)}", item.answer))
        for key, sections, anchor in (("Ⅳ", self.a.other_measures, A.other_measure), ("Ⅴ", self.a.disclosure, A.disclosure)):
            for s, sec in enumerate(sections, 1):
                for q, item in enumerate(sec.items, 1):
                    if item.answer in CONCERN_ANSWERS:
                        out.append((anchor(s, q), f"{sec.title}　{item_label(item)}", item.answer))
        return out

    # -- sections --

    # Every container claims the notes left under its path *after* its children have claimed theirs,
    # so a note shows at the nearest rendered item (a note on a list or on a heading's text lands on
    # the block that holds it).

    def noted(self, path: str) -> bool:
        return any(n.path == path or n.path.startswith(path + ".") or n.path.startswith(path + "[") for n in self.notes.notes)

    def sec_cover(self, label: str, anchor: str) -> None:
        fl = Fields(self.notes).fields(self.a.cover, "cover", always=("title",))
        fl.row("様式の版", f"［{esc(self.a.form_version)}］", "form_version", "form_version")
        body = fl.html()
        self.add(2, label, anchor, body + self.notes.at("cover", anchor, deep=True))

    def sec_basic_info(self, label: str, anchor: str) -> None:
        a, bi = self.a, self.a.basic_info
        nums = BASIC_NUMBERS[a.form]
        out = []

        def numbered(name: str) -> str:
            n = nums.get(name)
            t = _unnumbered(_title(S.BasicInfo, name))
            return f"{n}．{t}" if n else t

        # 1. 事務 (様式2: ③システムの名称 is printed here)
        fl = Fields(self.notes)
        labels = {"description": "②事務の概要"} if a.form == "様式2" else {}
        for name in S.Affair.model_fields:
            fl.field(bi.affair, name, "basic_info.affair", label=labels.get(name), always=name == "name")
            if name == "description" and a.form == "様式2":
                fl.field(bi, "system_names", "basic_info")
        out.append(self.part(numbered("affair"), "basic_info-affair", "basic_info.affair", fl.html()))
        # 2. システム
        if bi.systems or a.form != "様式2" or self.noted("basic_info.systems"):
            cards = []
            for i, s in enumerate(bi.systems):
                p = f"basic_info.systems[{i}]"
                sf = Fields(self.notes).fields(s, p, skip=("no",), always=("name",))
                cards.append(self.card(f"システム{s.no}", A.system(s.no), p, sf.html(), level=4))
            if a.form != "様式2" and bi.system_names:
                cards.append(Fields(self.notes).fields(bi, "basic_info", skip=[n for n in S.BasicInfo.model_fields if n != "system_names"]).html())
            inner = f'<div class="hy-cards">{"".join(cards)}</div>' if cards else text(None)
            out.append(self.part(numbered("systems"), "basic_info-systems", "basic_info.systems", inner))
        # 3.– 8. in the form's order
        for name in S.BasicInfo.model_fields:
            if name in ("affair", "systems", "system_names", "extra_items"):
                continue
            value = getattr(bi, name)
            p = f"basic_info.{name}"
            if value is None or value == []:
                if not self.noted(p):
                    continue
            if name == "file_names":
                items = "".join(f'<li id="{esc(path_id(f"{p}[{i}]"))}">（{i + 1}）{esc(n)}</li>' for i, n in enumerate(bi.file_names))
                fl = Fields(self.notes)
                fl.row(numbered(name), f'<ul class="hy-list hy-plain">{items}</ul>', path_id(p), p)
                out.append(fl.html())
            elif isinstance(value, BaseModel) or value is None and isinstance(_inner_model(S.BasicInfo, name), type):
                fl = Fields(self.notes)
                if value is not None:
                    fl.fields(value, p)
                out.append(self.part(numbered(name), path_id(p), p, fl.html()))
            else:
                fl = Fields(self.notes)
                fl.field(bi, name, "basic_info", label=numbered(name))
                out.append(fl.html())
        out.append(self.extra_items(bi.extra_items, "basic_info.extra_items"))
        out.append(self.notes.at("basic_info", anchor, deep=True))
        self.add(2, label, anchor, "".join(out))

    def part(self, title: str, anchor: str, path: str, inner: str, level: int = 3) -> str:
        """A numbered part of a section; the anchor is on the whole part, its heading carries the ¶."""
        note = self.notes.at(path, anchor, deep=True)
        return f'<section class="hy-part" id="{esc(anchor)}">{h(level, title, link=anchor)}{note}{inner}</section>'

    def card(self, title: str, anchor: str, path: str, inner: str, level: int = 4, cls: str = "") -> str:
        note = self.notes.at(path, anchor, deep=True)
        return f'<section class="hy-card {cls}" id="{esc(anchor)}">{h(level, title, link=anchor)}{note}{inner}</section>'

    def extra_items(self, items: list[S.Item], path: str) -> str:
        if not items:
            return ""
        fl = Fields(self.notes)
        for q, item in enumerate(items):
            p = f"{path}[{q}]"
            fl.row(item_label(item), item_value(item), path_id(p), p)
        return fl.html()

    def sec_attachment1(self, label: str, anchor: str) -> None:
        if self.a.attachment1 is None and not self.noted("attachment1"):
            return
        body = self.notes.at("attachment1", anchor, deep=True) + f'<div class="hy-longtext">{text(self.a.attachment1)}</div>'
        self.add(2, label, anchor, body)

    def sec_files(self, label: str, anchor: str) -> None:
        if not self.a.files and not self.noted("files"):
            return
        self.parts.append(heading(2, label, anchor))
        for f, pf in enumerate(self.a.files, 1):
            self.file_section(f, pf)
        self.parts.append(block(self.notes.at("files", "files", deep=True)))

    def file_section(self, f: int, pf: S.PersonalInfoFile) -> None:
        p = f"files[{f - 1}]"
        out = []
        fl = Fields(self.notes)
        fl.field(pf, "name", p, label=_title(S.PersonalInfoFile, "name"), always=True)
        out.append(fl.html())
        special = {"name", "entrustment", "provision", "retention", "record_items", "extra_items"}
        for name in S.PersonalInfoFile.model_fields:
            if name in ("name", "record_items"):
                continue
            value = getattr(pf, name)
            np = f"{p}.{name}"
            if name == "entrustment":
                if value is not None or self.noted(np):
                    out.append(self.entrustment(f, value, np))
            elif name == "provision":
                if value is not None or self.noted(np):
                    out.append(self.provision(f, value, np))
            elif name == "retention":
                if value is not None or self.noted(np):
                    fl = Fields(self.notes)
                    if value is not None:
                        fl.fields(value, np)
                    out.append(self.part(_title(S.PersonalInfoFile, name), A.retention(f), np, fl.html(), level=4))
            elif name == "extra_items":
                out.append(self.extra_items(pf.extra_items, np))
            elif isinstance(value, BaseModel) or (value is None and self.noted(np) and _inner_model(S.PersonalInfoFile, name)):
                fl = Fields(self.notes)
                if value is not None:
                    fl.fields(value, np)
                out.append(self.part(_title(S.PersonalInfoFile, name), path_id(np), np, fl.html(), level=4))
            elif name not in special:
                fl = Fields(self.notes)
                fl.field(pf, name, p)
                out.append(fl.html())
        note = self.notes.at(p, A.file(f), deep=True, exclude=(f"{p}.record_items",))
        self.add(3, f"（{f}）{pf.name}", A.file(f), note + "".join(out))

    def entrustment(self, f: int, e: S.Entrustments | None, path: str) -> str:
        inner = []
        if e is not None:
            fl = Fields(self.notes)
            fl.fields(e, path, skip=("items",), always=("status",), labels={"count": "委託事項の件数（ ）件"})
            inner.append(fl.html())
        if e is not None and e.items:
            trs = []
            for n, it in enumerate(e.items, 1):
                contractor = esc(it.contractor) if it.contractor is not None else '<span class="hy-empty">（記載なし）</span>'
                trs.append(
                    f'<tr><td data-label="番号">{it.no}</td><td data-label="委託事項"><a href="#{esc(A.entrustment(f, it.no))}">{esc(it.title)}</a></td>'
                    f'<td data-label="委託先名">{contractor}</td><td data-label="再委託">{esc(it.subcontract) if it.subcontract else text(None)}</td></tr>'
                )
            inner.append(
                '<div class="hy-scroll"><table class="hy-table hy-stack"><caption>委託事項の一覧</caption><thead><tr>'
                '<th scope="col">番号</th><th scope="col">委託事項</th><th scope="col">委託先名</th><th scope="col">再委託</th>'
                f'</tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
            )
            cards = []
            for n, it in enumerate(e.items):
                ip = f"{path}.items[{n}]"
                cf = Fields(self.notes).fields(it, ip, skip=("no", "title"), always=("contractor",))
                cards.append(self.card(f"委託事項{it.no}　{it.title}", A.entrustment(f, it.no), ip, cf.html(), level=5))
            inner.append(f'<div class="hy-cards">{"".join(cards)}</div>')
        return self.part(_title(S.PersonalInfoFile, "entrustment"), path_id(path), path, "".join(inner), level=4)

    def provision(self, f: int, pv: S.Provisions | None, path: str) -> str:
        inner = []
        if pv is not None:
            lists = [n for n in S.Provisions.model_fields if isinstance(getattr(pv, n), list)]
            fl = Fields(self.notes)
            fl.fields(pv, path, skip=lists, always=("status",))
            inner.append(fl.html())
            for kind, anchor_fn, word in (("provisions", A.provision, "提供先"), ("transfers", A.transfer, "移転先")):
                items = getattr(pv, kind)
                if not items:
                    continue
                trs = "".join(
                    f'<tr><td data-label="番号">{it.no}</td><td data-label="{esc(word)}"><a href="#{esc(anchor_fn(f, it.no))}">{esc(it.recipient)}</a></td>'
                    f'<td data-label="用途">{text(it.purpose)}</td></tr>'
                    for it in items
                )
                inner.append(
                    f'<div class="hy-scroll"><table class="hy-table hy-stack"><caption>{word}の一覧</caption><thead><tr>'
                    f'<th scope="col">番号</th><th scope="col">{word}</th><th scope="col">用途</th></tr></thead><tbody>{trs}</tbody></table></div>'
                )
                cards = []
                for n, it in enumerate(items):
                    ip = f"{path}.{kind}[{n}]"
                    cf = Fields(self.notes).fields(it, ip, skip=("no", "recipient"))
                    cards.append(self.card(f"{word}{it.no}　{it.recipient}", anchor_fn(f, it.no), ip, cf.html(), level=5))
                inner.append(f'<div class="hy-cards">{"".join(cards)}</div>')
            # other lists (別紙の一覧 …) as tables
            fl = Fields(self.notes)
            fl.fields(pv, path, skip=[n for n in S.Provisions.model_fields if n not in lists or n in ("provisions", "transfers")])
            inner.append(fl.html())
        return self.part(_title(S.PersonalInfoFile, "provision"), path_id(path), path, "".join(inner), level=4)

    def sec_record_items(self, label: str, anchor: str) -> None:
        files = [(f, pf) for f, pf in enumerate(self.a.files, 1) if pf.record_items is not None or self.noted(f"files[{f - 1}].record_items")]
        if not files:
            return
        out = []
        for f, pf in files:
            p = f"files[{f - 1}].record_items"
            out.append(self.part(f"（{f}）{pf.name}", path_id(p), p, f'<div class="hy-longtext">{text(pf.record_items)}</div>'))
        self.add(2, label, anchor, "".join(out))

    def sec_risks(self, label: str, anchor: str) -> None:
        if not self.a.risks and not self.noted("risks"):
            return
        self.parts.append(heading(2, label, anchor))
        for f, fr in enumerate(self.a.risks, 1):
            p = f"risks[{f - 1}]"
            out = []
            fl = Fields(self.notes)
            fl.field(fr, "file_name", p, always=True)
            out.append(fl.html())
            for si, sec in enumerate(fr.sections):
                sp = f"{p}.sections[{si}]"
                sa = A.risk_section(f, sec.no)
                inner = []
                if sec.not_applicable is not None:
                    na = path_id(sp + ".not_applicable")
                    inner.append(
                        f'<p class="hy-na" id="{esc(na)}"><span class="hy-box" aria-hidden="true">☑</span>'
                        f'<span class="hy-sr">選択あり：</span>{esc(sec.not_applicable)}{permalink(na, "該当なしのチェック")}'
                        f'{self.notes.at(sp + ".not_applicable", na)}</p>'
                    )
                for k, risk in enumerate(sec.risks, 1):
                    rp = f"{sp}.risks[{k - 1}]"
                    rf = Fields(self.notes)
                    for q, item in enumerate(risk.items, 1):
                        cls = "is-concern" if item.answer in CONCERN_ANSWERS else ""
                        rf.row(item_label(item), item_value(item), A.risk_item(f, sec.no, k, q), f"{rp}.items[{q - 1}]", cls=cls)
                    inner.append(self.card(risk.title, A.risk(f, sec.no, k), rp, rf.html(), level=5, cls="hy-risk"))
                if sec.items:
                    rf = Fields(self.notes)
                    for q, item in enumerate(sec.items, 1):
                        cls = "is-concern" if item.answer in CONCERN_ANSWERS else ""
                        rf.row(item_label(item), item_value(item), A.risk_section_item(f, sec.no, q), f"{sp}.items[{q - 1}]", cls=cls)
                    inner.append(rf.html())
                out.append(self.part(f"{sec.no}．{sec.title}", sa, sp, "".join(inner), level=4))
            note = self.notes.at(p, A.risk_file(f), deep=True)
            self.add(3, f"（{f}）{fr.file_name}", A.risk_file(f), note + "".join(out))
        self.parts.append(block(self.notes.at("risks", "risks", deep=True)))

    def _sections(self, label: str, anchor: str, key: str, sections: list[S.Section], anchor_fn) -> None:
        if not sections and not self.noted(key):
            return
        out = []
        for s, sec in enumerate(sections, 1):
            sp = f"{key}[{s - 1}]"
            fl = Fields(self.notes)
            for q, item in enumerate(sec.items, 1):
                cls = "is-concern" if item.answer in CONCERN_ANSWERS else ""
                fl.row(item_label(item), item_value(item), anchor_fn(s, q), f"{sp}.items[{q - 1}]", cls=cls)
            title = f"{sec.no}．{sec.title}" if sec.no else sec.title
            out.append(self.part(title, path_id(sp), sp, fl.html()))
        out.append(self.notes.at(key, anchor, deep=True))
        self.add(2, label, anchor, "".join(out))

    def sec_other_measures(self, label: str, anchor: str) -> None:
        self._sections(label, anchor, "other_measures", self.a.other_measures, A.other_measure)

    def sec_disclosure(self, label: str, anchor: str) -> None:
        self._sections(label, anchor, "disclosure", self.a.disclosure, A.disclosure)

    def sec_threshold(self, label: str, anchor: str) -> None:
        t = self.a.threshold
        if t is None:
            return
        fl = Fields(self.notes).fields(t, "threshold", skip=("result",), always=("target_people", "handlers", "serious_accident"))
        self.add(2, label, anchor, fl.html())

    def sec_threshold_result(self, label: str, anchor: str) -> None:
        t = self.a.threshold
        if t is None:
            return
        fl = Fields(self.notes)
        fl.field(t, "result", "threshold", label="しきい値判断結果", always=True)
        self.add(2, label, anchor, fl.html() + self.notes.at("threshold", anchor, deep=True))

    def sec_procedures(self, label: str, anchor: str) -> None:
        pr = self.a.procedures
        records = self.links.records_of.get(self.a.id, [])
        if pr is None and not records and not self.noted("procedures"):
            return
        out = []
        if pr is not None:
            for name in S.Procedures.model_fields:
                obj = getattr(pr, name)
                p = f"procedures.{name}"
                if obj is None and not self.noted(p):
                    continue
                fl = Fields(self.notes)
                if obj is not None:
                    fl.fields(obj, p, skip=("council_records",))
                inner = fl.html()
                if name == "third_party_review" and records:
                    inner += f'<div class="hy-related"><p class="hy-related-h"><strong>審議会の記録</strong></p>{self.record_links(records)}</div>'
                    records = []
                out.append(self.part(_title(S.Procedures, name), path_id(p), p, inner))
        if records:  # a record names this assessment, but Ⅵ has no 第三者点検 block
            out.append(self.part("審議会の記録", "council-records", "procedures.third_party_review.council_records", self.record_links(records)))
        out.append(self.notes.at("procedures", anchor, deep=True))
        self.add(2, label, anchor, "".join(out))

    def sec_changes(self, label: str, anchor: str) -> None:
        if not self.a.changes and not self.noted("changes"):
            return
        trs = []
        for n, c in enumerate(self.a.changes, 1):
            p = f"changes[{n - 1}]"
            note = self.notes.at(p, A.change(n), deep=True)
            trs.append(
                f'<tr id="{esc(A.change(n))}"><td data-label="番号">{n}{permalink(A.change(n), f"変更箇所{n}")}</td>'
                f'<td data-label="変更日">{ja_date(c.date)}</td><td data-label="項目">{text(c.item)}</td>'
                f'<td data-label="変更前の記載">{text(c.before)}</td><td data-label="変更後の記載">{text(c.after)}</td>'
                f'<td data-label="提出時期">{text(c.timing)}</td><td data-label="提出時期に係る説明">{text(c.reason)}{note}</td></tr>'
            )
        table = (
            '<div class="hy-scroll"><table class="hy-table hy-stack hy-changes"><thead><tr><th scope="col">番号</th><th scope="col">変更日</th>'
            '<th scope="col">項目</th><th scope="col">変更前の記載</th><th scope="col">変更後の記載</th><th scope="col">提出時期</th>'
            f'<th scope="col">提出時期に係る説明</th></tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
        ) if trs else ""
        self.add(2, label, anchor, table + self.notes.at("changes", anchor, deep=True))

    def sec_notes(self) -> None:
        # Provenance first (it can carry notes too), then the list of all notes.
        src = self.a.source
        fl = Fields(self.notes)
        for name in S.Source.model_fields:
            if name == "url" and src.url:
                fl.row(_title(S.Source, "url"), external_link(src.url), "source-url", "source.url")
            else:
                fl.field(src, name, "source", always=name in ("document", "as_of"))
        self.add(2, "出典", "source", fl.html() + self.notes.at("source", "source", deep=True))
        # anything still unplaced (a path to the document itself) is shown here
        rest = self.notes.at("", "notes", deep=True, everything=True)
        notes = self.a.transcription_notes
        if not notes:
            self.add(2, "転記メモ", "notes", '<p class="hy-muted">この評価書の転記メモはありません。</p>')
            return
        lis = []
        for i, n in enumerate(notes):
            at = self.notes.where.get(i)
            target = f'<a href="#{esc(at)}">該当の項目へ</a>' if at and at != "notes" else ""
            lines = f"（出典の行: {esc(n.source_lines)}）" if n.source_lines else ""
            lis.append(
                f'<li id="{esc(path_id(f"transcription_notes[{i}]"))}"><span class="hy-note-kind">⚠ {esc(n.kind)}</span> '
                f'<code class="hy-path">{esc(n.path)}</code>：<span class="hy-text">{esc(n.note)}</span>{lines} {target}</li>'
            )
        self.add(2, "転記メモ", "notes", rest + f'<ol class="hy-notes">{"".join(lis)}</ol>')


def render_assessment(a: S.Assessment, links: Links, findings: list | None = None) -> str:
    return AssessmentPage(a, links, findings).md()


# ---- the council record page --------------------------------------------------------------------


def render_council_record(r: S.CouncilRecord, links: Links) -> str:
    m = links.municipality(r.municipality)
    url = links.doc_url(r.id)
    notes = NoteBoard(r.transcription_notes)
    home = rel_url("", url)
    muni = rel_url(links.municipality_url(r.municipality), url)
    label = " ".join(x for x in [r.number or r.record_type, r.subject] if x)
    head = (
        f'<header class="hy-head"><nav class="hy-crumbs" aria-label="現在位置"><a href="{esc(home)}">ホーム</a> › '
        f'<a href="{esc(muni)}">{esc(m.name)}</a> › <span>審議会記録</span></nav>'
        f'<p class="hy-kicker">{esc(m.prefecture)} {esc(m.name)}・審議会の{esc(r.record_type)}</p>'
        f'<h1 class="hy-title">{esc(r.subject)}</h1>'
        f'<dl class="hy-meta"><div><dt>区分</dt><dd>{esc(r.record_type)}</dd></div>'
        f'<div><dt>番号</dt><dd>{text(r.number)}</dd></div><div><dt>日付</dt><dd>{ja_date(r.date)}</dd></div>'
        f'<div><dt>データの時点</dt><dd>{ja_date(r.source.as_of)}</dd></div></dl></header>'
    )
    aids = links.assessments_of.get(r.id, [])
    related = ""
    if aids:
        lis = []
        for aid in aids:
            a = links.docs[aid]
            assert isinstance(a, S.Assessment)
            lis.append(
                f'<li><a href="{esc(rel_url(links.doc_url(aid, "s6"), url))}">{esc(a.cover.title)}</a>'
                f'<span class="hy-muted">（{esc(a.form_name)}・公表日 {ja_date(a.cover.published)}）</span></li>'
            )
        related = f'<ul class="hy-list">{"".join(lis)}</ul>'
    fl = Fields(notes)
    for name in S.CouncilRecord.model_fields:
        if name in ("type", "id", "municipality", "text", "assessments", "source", "transcription_notes"):
            continue
        if name == "conditions":
            if r.conditions or any(n.path.startswith("conditions") for n in r.transcription_notes):
                lis = []
                for i, cnd in enumerate(r.conditions):
                    p = f"conditions[{i}]"
                    lis.append(f'<li id="{esc(path_id(p))}">{text(cnd)}{permalink(path_id(p), f"条件{i + 1}")}{notes.at(p, path_id(p))}</li>')
                fl.row(_title(S.CouncilRecord, "conditions"), f'<ol class="hy-list">{"".join(lis)}</ol>', "conditions", "conditions", deep=True)
            continue
        fl.field(r, name, "", always=name in ("record_type", "subject"))
    body = [fl.html()]
    parts = [
        front_matter(title=safe_title(f"{label}（{m.name}）"), hide=["navigation"]),
        block(head),
        heading(2, "記録の内容", "record"),
        block("".join(body)),
    ]
    if r.text is not None or any(n.path == "text" for n in r.transcription_notes):
        parts.append(heading(2, _title(S.CouncilRecord, "text"), "text"))
        parts.append(block(notes.at("text", "text") + f'<div class="hy-longtext">{text(r.text)}</div>'))
    parts.append(heading(2, "対象の評価書", "assessments"))
    parts.append(block(notes.at("assessments", "assessments", deep=True) + (related or '<p class="hy-muted">対象の評価書はこのサイトにありません。</p>')))
    sf = Fields(notes)
    for name in S.Source.model_fields:
        if name == "url" and r.source.url:
            sf.row(_title(S.Source, "url"), external_link(r.source.url), "source-url", "source.url")
        else:
            sf.field(r.source, name, "source", always=name in ("document", "as_of"))
    parts.append(heading(2, "出典", "source"))
    parts.append(block(sf.html() + notes.at("source", "source", deep=True)))
    parts.append(heading(2, "転記メモ", "notes"))
    rest = notes.at("", "notes", everything=True)
    if r.transcription_notes:
        lis = []
        for i, n in enumerate(r.transcription_notes):
            at = notes.where.get(i)
            target = f'<a href="#{esc(at)}">該当の項目へ</a>' if at and at != "notes" else ""
            lis.append(
                f'<li id="{esc(path_id(f"transcription_notes[{i}]"))}"><span class="hy-note-kind">⚠ {esc(n.kind)}</span> '
                f'<code class="hy-path">{esc(n.path)}</code>：<span class="hy-text">{esc(n.note)}</span> {target}</li>'
            )
        parts.append(block(rest + f'<ol class="hy-notes">{"".join(lis)}</ol>'))
    else:
        parts.append(block('<p class="hy-muted">この記録の転記メモはありません。</p>'))
    return "\n\n".join(p for p in parts if p) + "\n"
