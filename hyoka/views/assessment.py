"""The assessment view: one page per assessment (Markdown headings + raw HTML blocks), in the form's order.

The page follows the form's own order and numbering (表紙, Ⅰ…Ⅵ, 別添) for 様式2/3/4, opens with a
summary for a citizen, shows every choice answer among the form's official options, every tick box
as ☑/☐, repeated blocks as cards and tables, and gives every item its stable anchor from
`hyoka.anchors` with a visible permalink (¶).  Where anchors.py names no anchor for an item (most
fields of Ⅰ, Ⅱ and Ⅵ), the id is derived from the field's model path, the same path that
transcription notes use: `files[0].basics.persons` → `files-1-basics-persons` (lists count from 1).

This module prepares the page as plain values (hyoka.nodes) in the form's order; the markup is in
hyoka/templates/ (assessment.md, macros.html), which escape every text from content/
(hyoka.templating): it is never read as Markdown or HTML.

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from pydantic import BaseModel

from .. import anchors as A
from .. import schema as S
from .. import nodes as N
from ..htmlkit import rel_url, safe_title
from ..loader import Corpus
from ..site import Page, SiteContext, progress_of
from ..glossary import PAGE_URL as GLOSSARY, mark_terms
from ..templating import render
from .dataflow import section as dataflow_section
from .pagecache import cached
from .parts import (CONCERN_ANSWERS, Fields, Links, NoteBoard, external_link, field_title, inner_model, item_label, item_value,
                    ja_date, joined, path_id, site_links, source_fields, unnumbered)

NAME = "assessment"


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


class AssessmentPage:
    """The view of one assessment page: header, summary, then the form's sections in its order.

    Building the view places every transcription note (NoteBoard) in the page's order; the template
    assessment.md renders it."""

    def __init__(self, a: S.Assessment, links: Links, findings: list | None = None):
        self.a = a
        self.links = links
        self.findings = findings or []  # this assessment's auditor findings (hyoka.findings)
        self.notes = NoteBoard(a.transcription_notes)
        self.muni = links.municipality(a.municipality)
        self.url = links.doc_url(a.id)
        self.parts: list[N.Heading | N.Block] = []

    # -- assembly --

    def md(self) -> str:
        a = self.a
        header, summary = self.header(), self.summary()
        box = None
        if self.findings:
            from .findings import assessment_box

            box = assessment_box(self.findings, self.muni.slug, self.url)
        self.parts = []
        for key, label in LAYOUTS[a.form]:
            getattr(self, f"sec_{key}")(label, SECTION_ANCHORS[key])
        self.sec_notes()
        return mark_terms(render(
            "assessment.md",
            front={"title": safe_title(f"{a.cover.title}（{self.muni.name}）"), "hide": ["navigation"]},
            header=header, summary=summary, findings_box=box, parts=self.parts,
            dataflow=dataflow_section(a, self.url),  # the data-flow picture and the terms (hyoka.dataflow, hyoka.glossary)
        ), rel_url(GLOSSARY, self.url))

    def add(self, level: int, title: str, anchor: str, body: N.Node) -> None:
        self.parts.append(N.Heading(level, title, anchor))
        self.block(body)

    def block(self, body: N.Node) -> None:
        if not N.is_empty(body):
            self.parts.append(N.Block(body))

    # -- header and summary --

    def header(self) -> dict:
        a, m = self.a, self.muni
        return {
            "home": rel_url("", self.url),
            "municipality_url": rel_url(self.links.municipality_url(a.municipality), self.url),
            "municipality": m.name,
            "prefecture": m.prefecture,
            "form": a.form,
            "form_name": a.form_name,
            "form_version": a.form_version,
            "ended": a.status == "終了",
            "status": a.status,
            "title": a.cover.title,
            "number": a.cover.number,
            "organization": N.Text(a.cover.organization or m.name),
            "published": ja_date(a.cover.published),
            "as_of": ja_date(a.source.as_of),
        }

    def summary(self) -> list[tuple[str, N.Node]]:
        """(label, value) rows of the summary box."""
        a = self.a
        rows: list[tuple[str, N.Node]] = []
        bi = a.basic_info
        rows.append(("事務", N.Link(f"#{path_id('basic_info.affair.name')}", bi.affair.name)))
        people = bi.affair.target_people or (a.threshold.target_people if a.threshold else None)
        if people:
            rows.append(("対象人数", people))
        if bi.systems:
            rows.append(("システム", joined([N.Link(f"#{A.system(s.no)}", s.name) for s in bi.systems])))
        elif bi.system_names:
            rows.append(("システム", N.Text(bi.system_names)))
        if a.files:
            trs = []
            for f, pf in enumerate(a.files, 1):
                persons = pf.basics.persons if pf.basics and pf.basics.persons else None
                ent = pf.entrustment
                if ent is None:
                    ent_node: N.Node = N.Text(None)
                elif ent.status == "委託する":
                    n = ent.count if ent.count is not None else len(ent.items)
                    ent_node = N.Link(f"#{path_id(f'files[{f - 1}].entrustment')}", f"委託する（{n}件）")
                else:
                    ent_node = ent.status or "（記載なし）"
                period = pf.retention.period.period if pf.retention and pf.retention.period else None
                period_node = N.Link(f"#{A.retention(f)}", period or "（記載なし）") if period or pf.retention else N.Text(None)
                trs.append(N.TRow([
                    N.Cell("ファイル", N.Link(f"#{A.file(f)}", f"（{f}）{pf.name}")),
                    N.Cell("対象となる本人の数", persons if persons else N.Text(None)),
                    N.Cell("委託", ent_node),
                    N.Cell("保管期間", period_node),
                ]))
            rows.append(("ファイル", N.Table(["特定個人情報ファイル", "対象となる本人の数", "委託", "保管期間"], trs)))
        elif bi.file_names:
            rows.append(("ファイル", "、".join(bi.file_names)))
        concerns = self.concerns()
        rows.append(("「課題が残されている」等の回答", {"concerns": concerns} if concerns else "ありません"))
        records = self.links.records_of.get(a.id, [])
        if records:
            rows.append(("第三者点検の審議会記録", self.record_links(records)))
        if self.findings:
            rows.append(("点検結果", N.Link("#findings", f"{len(self.findings)} 件（記載の確認が必要と思われる箇所）")))
        if a.transcription_notes:
            rows.append(("転記メモ", N.Link("#notes", f"{len(a.transcription_notes)} 件（判読できない・曖昧な箇所など）")))
        src: list[N.Node] = [a.source.document]
        if a.source.url:
            src += ["（", external_link(a.source.url), "）"]
        rows.append(("出典", src))
        rows.append(("データ", [
            N.Link(rel_url(f"data/assessments/{a.id}.json", self.url), "この評価書のデータ（JSON）", cls="hy-data-link"),
            "（", N.Link(rel_url("data/", self.url), "オープンデータ"), "）",
        ]))
        return rows

    def record_links(self, ids: list[str]) -> N.Bullets:
        items = []
        for rid in ids:
            r = self.links.docs[rid]
            assert isinstance(r, S.CouncilRecord)
            label = " ".join(x for x in [r.number or r.record_type, r.subject] if x)
            items.append(N.Item(N.Link(rel_url(self.links.doc_url(rid), self.url), label)))
        return N.Bullets(items)

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
        fl.row("様式の版", f"［{self.a.form_version}］", "form_version", "form_version")
        self.add(2, label, anchor, [fl.node(), self.notes.at("cover", anchor, deep=True)])

    def sec_basic_info(self, label: str, anchor: str) -> None:
        a, bi = self.a, self.a.basic_info
        nums = BASIC_NUMBERS[a.form]
        out: list[N.Node] = []

        def numbered(name: str) -> str:
            n = nums.get(name)
            t = unnumbered(field_title(S.BasicInfo, name))
            return f"{n}．{t}" if n else t

        # 1. 事務 (様式2: ③システムの名称 is printed here)
        fl = Fields(self.notes)
        labels = {"description": "②事務の概要"} if a.form == "様式2" else {}
        for name in S.Affair.model_fields:
            fl.field(bi.affair, name, "basic_info.affair", label=labels.get(name), always=name == "name")
            if name == "description" and a.form == "様式2":
                fl.field(bi, "system_names", "basic_info")
        out.append(self.part(numbered("affair"), "basic_info-affair", "basic_info.affair", fl.node()))
        # 2. システム
        if bi.systems or a.form != "様式2" or self.noted("basic_info.systems"):
            cards: list[N.Node] = []
            for i, s in enumerate(bi.systems):
                p = f"basic_info.systems[{i}]"
                sf = Fields(self.notes).fields(s, p, skip=("no",), always=("name",))
                cards.append(self.card(f"システム{s.no}", A.system(s.no), p, sf.node(), level=4))
            if a.form != "様式2" and bi.system_names:
                cards.append(Fields(self.notes).fields(bi, "basic_info", skip=[n for n in S.BasicInfo.model_fields if n != "system_names"]).node())
            inner = N.Cards(cards) if cards else N.Text(None)
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
                items = N.Bullets([N.Item(f"（{i + 1}）{n}", path_id(f"{p}[{i}]")) for i, n in enumerate(bi.file_names)], cls="hy-list hy-plain")
                fl = Fields(self.notes)
                fl.row(numbered(name), items, path_id(p), p)
                out.append(fl.node())
            elif isinstance(value, BaseModel) or value is None and isinstance(inner_model(S.BasicInfo, name), type):
                fl = Fields(self.notes)
                if value is not None:
                    fl.fields(value, p)
                out.append(self.part(numbered(name), path_id(p), p, fl.node()))
            else:
                fl = Fields(self.notes)
                fl.field(bi, name, "basic_info", label=numbered(name))
                out.append(fl.node())
        out.append(self.extra_items(bi.extra_items, "basic_info.extra_items"))
        out.append(self.notes.at("basic_info", anchor, deep=True))
        self.add(2, label, anchor, out)

    def part(self, title: str, anchor: str, path: str, inner: N.Node, level: int = 3) -> N.Section:
        """A numbered part of a section; the anchor is on the whole part, its heading carries the ¶."""
        note = self.notes.at(path, anchor, deep=True)
        return N.Section("hy-part", anchor, level, title, note, inner)

    def card(self, title: str, anchor: str, path: str, inner: N.Node, level: int = 4, cls: str = "") -> N.Section:
        note = self.notes.at(path, anchor, deep=True)
        return N.Section(f"hy-card {cls}".strip(), anchor, level, title, note, inner)

    def extra_items(self, items: list[S.Item], path: str) -> N.Node:
        if not items:
            return ""
        fl = Fields(self.notes)
        for q, item in enumerate(items):
            p = f"{path}[{q}]"
            fl.row(item_label(item), item_value(item), path_id(p), p)
        return fl.node()

    def sec_attachment1(self, label: str, anchor: str) -> None:
        if self.a.attachment1 is None and not self.noted("attachment1"):
            return
        self.add(2, label, anchor, [self.notes.at("attachment1", anchor, deep=True), N.Div("hy-longtext", N.Text(self.a.attachment1))])

    def sec_files(self, label: str, anchor: str) -> None:
        if not self.a.files and not self.noted("files"):
            return
        self.parts.append(N.Heading(2, label, anchor))
        for f, pf in enumerate(self.a.files, 1):
            self.file_section(f, pf)
        self.block(self.notes.at("files", "files", deep=True))

    def file_section(self, f: int, pf: S.PersonalInfoFile) -> None:
        p = f"files[{f - 1}]"
        out: list[N.Node] = []
        fl = Fields(self.notes)
        fl.field(pf, "name", p, label=field_title(S.PersonalInfoFile, "name"), always=True)
        out.append(fl.node())
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
                    out.append(self.part(field_title(S.PersonalInfoFile, name), A.retention(f), np, fl.node(), level=4))
            elif name == "extra_items":
                out.append(self.extra_items(pf.extra_items, np))
            elif isinstance(value, BaseModel) or (value is None and self.noted(np) and inner_model(S.PersonalInfoFile, name)):
                fl = Fields(self.notes)
                if value is not None:
                    fl.fields(value, np)
                out.append(self.part(field_title(S.PersonalInfoFile, name), path_id(np), np, fl.node(), level=4))
            elif name not in special:
                fl = Fields(self.notes)
                fl.field(pf, name, p)
                out.append(fl.node())
        note = self.notes.at(p, A.file(f), deep=True, exclude=(f"{p}.record_items",))
        self.add(3, f"（{f}）{pf.name}", A.file(f), [note, out])

    def entrustment(self, f: int, e: S.Entrustments | None, path: str) -> N.Section:
        inner: list[N.Node] = []
        if e is not None:
            fl = Fields(self.notes)
            fl.fields(e, path, skip=("items",), always=("status",), labels={"count": "委託事項の件数（ ）件"})
            inner.append(fl.node())
        if e is not None and e.items:
            trs = [
                N.TRow([
                    N.Cell("番号", str(it.no)),
                    N.Cell("委託事項", N.Link(f"#{A.entrustment(f, it.no)}", it.title)),
                    N.Cell("委託先名", it.contractor if it.contractor is not None else N.Text(None)),
                    N.Cell("再委託", it.subcontract if it.subcontract else N.Text(None)),
                ])
                for it in e.items
            ]
            inner.append(N.Table(["番号", "委託事項", "委託先名", "再委託"], trs, caption="委託事項の一覧"))
            cards = []
            for n, it in enumerate(e.items):
                ip = f"{path}.items[{n}]"
                cf = Fields(self.notes).fields(it, ip, skip=("no", "title"), always=("contractor",))
                cards.append(self.card(f"委託事項{it.no}　{it.title}", A.entrustment(f, it.no), ip, cf.node(), level=5))
            inner.append(N.Cards(cards))
        return self.part(field_title(S.PersonalInfoFile, "entrustment"), path_id(path), path, inner, level=4)

    def provision(self, f: int, pv: S.Provisions | None, path: str) -> N.Section:
        inner: list[N.Node] = []
        if pv is not None:
            lists = [n for n in S.Provisions.model_fields if isinstance(getattr(pv, n), list)]
            fl = Fields(self.notes)
            fl.fields(pv, path, skip=lists, always=("status",))
            inner.append(fl.node())
            for kind, anchor_fn, word in (("provisions", A.provision, "提供先"), ("transfers", A.transfer, "移転先")):
                items = getattr(pv, kind)
                if not items:
                    continue
                trs = [
                    N.TRow([
                        N.Cell("番号", str(it.no)),
                        N.Cell(word, N.Link(f"#{anchor_fn(f, it.no)}", it.recipient)),
                        N.Cell("用途", N.Text(it.purpose)),
                    ])
                    for it in items
                ]
                inner.append(N.Table(["番号", word, "用途"], trs, caption=f"{word}の一覧"))
                cards = []
                for n, it in enumerate(items):
                    ip = f"{path}.{kind}[{n}]"
                    cf = Fields(self.notes).fields(it, ip, skip=("no", "recipient"))
                    cards.append(self.card(f"{word}{it.no}　{it.recipient}", anchor_fn(f, it.no), ip, cf.node(), level=5))
                inner.append(N.Cards(cards))
            # other lists (別紙の一覧 …) as tables
            fl = Fields(self.notes)
            fl.fields(pv, path, skip=[n for n in S.Provisions.model_fields if n not in lists or n in ("provisions", "transfers")])
            inner.append(fl.node())
        return self.part(field_title(S.PersonalInfoFile, "provision"), path_id(path), path, inner, level=4)

    def sec_record_items(self, label: str, anchor: str) -> None:
        files = [(f, pf) for f, pf in enumerate(self.a.files, 1) if pf.record_items is not None or self.noted(f"files[{f - 1}].record_items")]
        if not files:
            return
        out = []
        for f, pf in files:
            p = f"files[{f - 1}].record_items"
            out.append(self.part(f"（{f}）{pf.name}", path_id(p), p, N.Div("hy-longtext", N.Text(pf.record_items))))
        self.add(2, label, anchor, out)

    def sec_risks(self, label: str, anchor: str) -> None:
        if not self.a.risks and not self.noted("risks"):
            return
        self.parts.append(N.Heading(2, label, anchor))
        for f, fr in enumerate(self.a.risks, 1):
            p = f"risks[{f - 1}]"
            out: list[N.Node] = []
            fl = Fields(self.notes)
            fl.field(fr, "file_name", p, always=True)
            out.append(fl.node())
            for si, sec in enumerate(fr.sections):
                sp = f"{p}.sections[{si}]"
                sa = A.risk_section(f, sec.no)
                inner: list[N.Node] = []
                if sec.not_applicable is not None:
                    na = path_id(sp + ".not_applicable")
                    inner.append(N.NotApplicable(na, sec.not_applicable, self.notes.at(sp + ".not_applicable", na)))
                for k, risk in enumerate(sec.risks, 1):
                    rp = f"{sp}.risks[{k - 1}]"
                    rf = Fields(self.notes)
                    for q, item in enumerate(risk.items, 1):
                        cls = "is-concern" if item.answer in CONCERN_ANSWERS else ""
                        rf.row(item_label(item), item_value(item), A.risk_item(f, sec.no, k, q), f"{rp}.items[{q - 1}]", cls=cls)
                    inner.append(self.card(risk.title, A.risk(f, sec.no, k), rp, rf.node(), level=5, cls="hy-risk"))
                if sec.items:
                    rf = Fields(self.notes)
                    for q, item in enumerate(sec.items, 1):
                        cls = "is-concern" if item.answer in CONCERN_ANSWERS else ""
                        rf.row(item_label(item), item_value(item), A.risk_section_item(f, sec.no, q), f"{sp}.items[{q - 1}]", cls=cls)
                    inner.append(rf.node())
                out.append(self.part(f"{sec.no}．{sec.title}", sa, sp, inner, level=4))
            note = self.notes.at(p, A.risk_file(f), deep=True)
            self.add(3, f"（{f}）{fr.file_name}", A.risk_file(f), [note, out])
        self.block(self.notes.at("risks", "risks", deep=True))

    def _sections(self, label: str, anchor: str, key: str, sections: list[S.Section], anchor_fn) -> None:
        if not sections and not self.noted(key):
            return
        out: list[N.Node] = []
        for s, sec in enumerate(sections, 1):
            sp = f"{key}[{s - 1}]"
            fl = Fields(self.notes)
            for q, item in enumerate(sec.items, 1):
                cls = "is-concern" if item.answer in CONCERN_ANSWERS else ""
                fl.row(item_label(item), item_value(item), anchor_fn(s, q), f"{sp}.items[{q - 1}]", cls=cls)
            title = f"{sec.no}．{sec.title}" if sec.no else sec.title
            out.append(self.part(title, path_id(sp), sp, fl.node()))
        out.append(self.notes.at(key, anchor, deep=True))
        self.add(2, label, anchor, out)

    def sec_other_measures(self, label: str, anchor: str) -> None:
        self._sections(label, anchor, "other_measures", self.a.other_measures, A.other_measure)

    def sec_disclosure(self, label: str, anchor: str) -> None:
        self._sections(label, anchor, "disclosure", self.a.disclosure, A.disclosure)

    def sec_threshold(self, label: str, anchor: str) -> None:
        t = self.a.threshold
        if t is None:
            return
        fl = Fields(self.notes).fields(t, "threshold", skip=("result",), always=("target_people", "handlers", "serious_accident"))
        self.add(2, label, anchor, fl.node())

    def sec_threshold_result(self, label: str, anchor: str) -> None:
        t = self.a.threshold
        if t is None:
            return
        fl = Fields(self.notes)
        fl.field(t, "result", "threshold", label="しきい値判断結果", always=True)
        self.add(2, label, anchor, [fl.node(), self.notes.at("threshold", anchor, deep=True)])

    def sec_procedures(self, label: str, anchor: str) -> None:
        pr = self.a.procedures
        records = self.links.records_of.get(self.a.id, [])
        if pr is None and not records and not self.noted("procedures"):
            return
        out: list[N.Node] = []
        if pr is not None:
            for name in S.Procedures.model_fields:
                obj = getattr(pr, name)
                p = f"procedures.{name}"
                if obj is None and not self.noted(p):
                    continue
                fl = Fields(self.notes)
                if obj is not None:
                    fl.fields(obj, p, skip=("council_records",))
                inner: list[N.Node] = [fl.node()]
                if name == "third_party_review" and records:
                    inner.append(N.Related(self.record_links(records)))
                    records = []
                out.append(self.part(field_title(S.Procedures, name), path_id(p), p, inner))
        if records:  # a record names this assessment, but Ⅵ has no 第三者点検 block
            out.append(self.part("審議会の記録", "council-records", "procedures.third_party_review.council_records", self.record_links(records)))
        out.append(self.notes.at("procedures", anchor, deep=True))
        self.add(2, label, anchor, out)

    def sec_changes(self, label: str, anchor: str) -> None:
        if not self.a.changes and not self.noted("changes"):
            return
        trs = []
        for n, c in enumerate(self.a.changes, 1):
            p = f"changes[{n - 1}]"
            note = self.notes.at(p, A.change(n), deep=True)
            trs.append(N.TRow([
                N.Cell("番号", [str(n), N.Permalink(A.change(n), f"変更箇所{n}")]),
                N.Cell("変更日", ja_date(c.date)),
                N.Cell("項目", N.Text(c.item)),
                N.Cell("変更前の記載", N.Text(c.before)),
                N.Cell("変更後の記載", N.Text(c.after)),
                N.Cell("提出時期", N.Text(c.timing)),
                N.Cell("提出時期に係る説明", [N.Text(c.reason), note]),
            ], A.change(n)))
        table = N.Table(
            ["番号", "変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明"], trs,
            cls="hy-table hy-stack hy-changes",
        ) if trs else ""
        self.add(2, label, anchor, [table, self.notes.at("changes", anchor, deep=True)])

    def sec_notes(self) -> None:
        # Provenance first (it can carry notes too), then the list of all notes.
        self.add(2, "出典", "source", source_fields(self.a.source, self.notes))
        # anything still unplaced (a path to the document itself) is shown here
        rest = self.notes.at("", "notes", deep=True, everything=True)
        if not self.a.transcription_notes:
            self.add(2, "転記メモ", "notes", N.Muted("この評価書の転記メモはありません。"))
            return
        self.add(2, "転記メモ", "notes", [rest, self.notes.entries()])



def render_assessment(a: S.Assessment, links: Links, findings: list | None = None) -> str:
    return AssessmentPage(a, links, findings).md()




def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    """One page per assessment, with its findings (re-rendered only when its digest changed)."""
    from .findings import by_assessment, ensure_findings

    links = site_links(corpus, ctx)
    found = by_assessment(ensure_findings(corpus, ctx))
    progress, every = progress_of(ctx)
    total = len(corpus.assessments)
    for i, a in enumerate(corpus.assessments, 1):
        fs = found.get(a.id, [])
        yield Page(links.doc_path(a.id), a.cover.title, cached(a, links, fs, lambda: render_assessment(a, links, fs)))
        if progress and (i % every == 0 or i == total):
            progress(i, total)
