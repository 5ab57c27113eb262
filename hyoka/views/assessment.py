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

import dataclasses
import re
from typing import Iterator

from pydantic import BaseModel

from .. import anchors as A
from .. import choices as C
from .. import schema as S
from ..formlabels import BASIC_NUMBERS, LAYOUTS, SECTION_ANCHORS, path_label
from .. import nodes as N
from ..htmlkit import rel_url, safe_title
from ..loader import Corpus
from ..site import Page, SiteContext, progress_of
from ..glossary import PAGE_URL as GLOSSARY, mark_terms
from ..templating import render
from .dataflow import section as dataflow_section
from .pagecache import cached
from .twin import plain
from .parts import (CONCERN_ANSWERS, Fields, Links, NoteBoard, external_link, field_title, inner_model, item_label, item_value,
                    ja_date, path_id, site_links, unnumbered)

NAME = "assessment"


# ---- the assessment page ------------------------------------------------------------------------

# The form's section headings (per 様式), their anchors and Ⅰ's numbering: hyoka.formlabels (one table, shared
# with the labels that name an item in the form's words).
# The levels of the form's graded answers (hyoka.choices): the 「十分」 middle, and the answers above and below it.
GRADED_MIDDLE = ("十分である", "十分に行っている", "十分に遵守している", "十分に整備している", "十分に周知している")
ABOVE = ("特に力を入れている", "特に力を入れて行っている", "特に力を入れて遵守している", "特に力を入れて整備している", "特に力を入れて周知している")
BELOW = ("課題が残されている", "十分に行っていない", "十分に遵守していない", "十分に整備していない", "十分に周知していない")


class AssessmentPage:
    """The view of one assessment page: header, summary, then the form's sections in its order.

    Building the view places every transcription note (NoteBoard) in the page's order; the template
    assessment.md renders it."""

    def __init__(self, a: S.Assessment, links: Links, findings: list | None = None):
        self.a = a
        self.links = links
        self.findings = findings or []  # this assessment's auditor findings (hyoka.findings)
        self.notes = NoteBoard(a.transcription_notes)
        self.notes_on: dict[str, list[S.TranscriptionNote]] = {}  # the notes on each path, in their order
        for n in a.transcription_notes:
            self.notes_on.setdefault(n.path, []).append(n)
        self.muni = links.municipality(a.municipality)
        self.url = links.doc_url(a.id)
        self.parts: list[N.Heading | N.Block] = []

    # -- assembly --

    def context(self) -> dict:
        """What the template gets; the page's JSON twin is this context as plain values (hyoka.views.twin)."""
        a = self.a
        header = self.header()
        box = None
        if self.findings:
            from .findings import assessment_box

            box = assessment_box(self.findings, self.muni.slug, self.url)
        self.parts = []
        self.section_of: dict[str, str] = {}  # heading anchor → its section key (for the fold summaries)
        for key, label in LAYOUTS[a.form]:
            before = len(self.parts)
            getattr(self, f"sec_{key}")(label, SECTION_ANCHORS[key])
            for p in self.parts[before:]:
                if isinstance(p, N.Heading):
                    self.section_of[p.anchor] = key
        self.sec_notes()
        brief = self.brief()
        return {
            "front": {"title": safe_title(f"{a.cover.title}（{self.muni.name}）"), "hide": ["navigation"]},
            "header": header, "brief": brief, "findings_box": box, "parts": self.folded(),
            "dataflow": dataflow_section(a, self.url),  # the data-flow picture (hyoka.views.dataflow)
        }

    def md(self) -> str:
        return self.markdown(self.context())

    def markdown(self, context: dict) -> str:
        """The page from its context, the form's terms linked to the glossary (hyoka.glossary.mark_terms)."""
        return mark_terms(render("assessment.md", **context), rel_url(GLOSSARY, self.url))

    def add(self, level: int, title: str, anchor: str, body: N.Node) -> None:
        self.parts.append(N.Heading(level, title, anchor))
        self.block(body)

    def block(self, body: N.Node) -> None:
        if not N.is_empty(body):
            self.parts.append(N.Block(body))

    # -- header --

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
            # the official document: a link only where the YAML records its address (never invented)
            "official": external_link(a.source.url, "公表された評価書を開く") if a.source.url else None,
            "transcribed_from": a.source.document,
        }

    # -- the first screen: who has my data, for how long, how safe --

    def missing(self, path: str) -> str:
        """How an empty value is shown: the kind of the note on it (判読不能, 非公表 …), else 空欄."""
        for n in self.notes_on.get(path, ()):
            if n.kind in ("判読不能", "非公表", "空欄", "曖昧"):
                return "判読不能" if n.kind == "判読不能" else ("非公表" if n.kind == "非公表" else "空欄")
        return "空欄"

    def value_or_missing(self, value, path: str) -> dict:
        """A short value of the brief: {"text": …} or {"missing": 空欄 / 判読不能 / 非公表}, and the ⚠ kind if noted."""
        kinds = sorted({n.kind for n in self.notes_on.get(path, ()) if n.kind != "補足"})
        if value is None or value == "":
            return {"text": None, "missing": self.missing(path), "flag": kinds}
        return {"text": str(value), "missing": None, "flag": kinds}

    def brief(self) -> dict:
        a, bi = self.a, self.a.basic_info
        people = bi.affair.target_people
        people_path = "basic_info.affair.target_people"
        if people is None and a.threshold is not None:
            people, people_path = a.threshold.target_people, "threshold.target_people"
        files, contractors, flows = [], [], []
        for f, pf in enumerate(a.files, 1):
            p = f"files[{f - 1}]"
            basics = pf.basics
            ent, pv, rt = pf.entrustment, pf.provision, pf.retention
            period = rt.period.period if rt and rt.period else None
            if ent is None:
                ent_text = self.value_or_missing(None, f"{p}.entrustment")
            elif ent.status == "委託する":
                n = ent.count if ent.count is not None else len(ent.items)
                ent_text = {"text": f"委託する（{n}件）", "missing": None, "flag": []}
            else:
                ent_text = self.value_or_missing(ent.status, f"{p}.entrustment.status")
            prov = self.flows(f, pf) if pv is not None else None
            files.append({
                "n": f, "name": pf.name, "href": f"#{A.file(f)}",
                "persons": self.value_or_missing(basics.persons if basics else None, f"{p}.basics.persons"),
                "scope": self.value_or_missing(basics.persons_scope if basics else None, f"{p}.basics.persons_scope"),
                "period": self.value_or_missing(period, f"{p}.retention.period.period"),
                "period_href": f"#{A.retention(f)}",
                "entrustment": ent_text, "entrustment_href": f"#{path_id(p + '.entrustment')}",
                "provision": prov,
            })
            if prov and prov["lists"]:  # a file that provides nothing has no list to open
                flows.append(prov)
            for k, it in enumerate(ent.items if ent else []):
                ip = f"{p}.entrustment.items[{k}]"
                contractors.append({
                    "file": f, "no": it.no, "title": it.title, "href": f"#{A.entrustment(f, it.no)}",
                    "contractor": self.value_or_missing(it.contractor, f"{ip}.contractor"),
                    "subcontract": self.value_or_missing(it.subcontract, f"{ip}.subcontract"),
                })
        records = [
            {"href": rel_url(self.links.doc_url(rid), self.url), "label": " ".join(x for x in [r.number or r.record_type, r.subject] if x)}
            for rid in self.links.records_of.get(a.id, []) for r in [self.links.docs[rid]]
        ]
        findings = []
        if self.findings:
            from .findings import _order, finding_view

            findings = [finding_view(x, self.muni.slug, self.url) for x in _order(self.findings)]
        concerns, strong = self.standouts()
        self.concerns_, self.strong_ = concerns, strong
        if bi.systems:
            systems = [{"href": f"#{A.system(s.no)}", "name": s.name} for s in bi.systems]
        elif bi.system_names:
            systems = [{"href": f"#{path_id('basic_info.system_names')}", "name": bi.system_names}]
        else:
            systems = []
        return {
            "affair": {"name": bi.affair.name, "href": f"#{path_id('basic_info.affair.name')}"},
            "people": self.value_or_missing(people, people_path),
            "systems": systems,
            "files": files,
            "file_names": [] if a.files else list(bi.file_names),
            "several_files": len(a.files) > 1,
            "contractors": contractors,
            "flows": flows,
            "provide_total": sum(x["provide"] for x in flows),
            "transfer_total": sum(x["transfer"] for x in flows),
            "concerns": concerns,
            "strong": strong,
            "blank": self.blank_,
            "systems_href": f"#{path_id('basic_info.systems')}" if bi.systems else f"#{path_id('basic_info.system_names')}",
            "graded": self.graded_count,
            "findings": findings,
            "records": records,
            "notes": len(a.transcription_notes),
            "data_href": rel_url(f"data/assessments/{a.id}.json", self.url),
            "open_data_href": rel_url("data/", self.url),
        }

    def flows(self, f: int, pf: S.PersonalInfoFile) -> dict:
        """提供先・移転先 of one file: counts (as printed, else the listed ones) and the list, each linked to its item."""
        pv = pf.provision
        p = f"files[{f - 1}].provision"
        out: dict = {"file": f, "name": pf.name, "status": list(pv.status.ticked) if pv.status else [], "lists": []}
        for kind, count, items, annex, anchor_fn, word in (
            ("provide", pv.provision_count, pv.provisions, pv.provision_annex, A.provision, "提供先"),
            ("transfer", pv.transfer_count, pv.transfers, pv.transfer_annex, A.transfer, "移転先"),
        ):
            rows = []
            if annex:
                field = "provision_annex" if kind == "provide" else "transfer_annex"
                rows = [{"href": f"#{path_id(f'{p}.{field}[{i}]')}", "no": it.no, "recipient": it.recipient} for i, it in enumerate(annex)]
            else:
                rows = [{"href": f"#{anchor_fn(f, it.no)}", "no": it.no, "recipient": it.recipient} for it in items]
            n = count if count is not None else len(rows)
            out[kind] = n
            if rows or n:
                out["lists"].append({"word": word, "count": n, "rows": rows})
        return out

    def items_with_answers(self) -> Iterator[tuple[str, str, S.Item]]:
        """(anchor, model path, item) of every question of Ⅲ, Ⅳ and Ⅴ, in the page's order."""
        for f, fr in enumerate(self.a.risks, 1):
            for si, sec in enumerate(fr.sections):
                for k, risk in enumerate(sec.risks, 1):
                    for q, item in enumerate(risk.items, 1):
                        yield A.risk_item(f, sec.no, k, q), f"risks[{f - 1}].sections[{si}].risks[{k - 1}].items[{q - 1}]", item
                for q, item in enumerate(sec.items, 1):
                    yield A.risk_section_item(f, sec.no, q), f"risks[{f - 1}].sections[{si}].items[{q - 1}]", item
        for key, sections, anchor in (("other_measures", self.a.other_measures, A.other_measure), ("disclosure", self.a.disclosure, A.disclosure)):
            for s, sec in enumerate(sections, 1):
                for q, item in enumerate(sec.items, 1):
                    yield anchor(s, q), f"{key}[{s - 1}].items[{q - 1}]", item

    def standouts(self) -> tuple[list[dict], list[dict]]:
        """Every answer of a graded question (十分か …) that is not its 「十分である」 level: the ones below it
        (課題が残されている, 十分に行っていない …, and a graded question left unanswered) and the ones above it
        (特に力を入れている …)."""
        concerns, strong, blank = [], [], []
        self.graded_count = 0
        for anchor, path, item in self.items_with_answers():
            opts = C.choices_for_question(item.label) or ()
            if not any(o in GRADED_MIDDLE for o in opts) and item.answer not in BELOW:
                continue
            if item.answer is None and item.text is not None:
                continue  # a measure's text under a graded question's label: no answer expected
            self.graded_count += 1
            row = {"href": f"#{anchor}", "where": path_label(self.a, path), "answer": item.answer,
                   "missing": self.missing(f"{path}.answer") if item.answer is None else None,
                   "flag": sorted({n.kind for q in (path, f"{path}.answer") for n in self.notes_on.get(q, ()) if n.kind != "補足"})}
            if item.answer in ABOVE:
                strong.append(row)
            elif item.answer is None:
                blank.append(row)
            elif item.answer in BELOW:
                concerns.append(row)
        self.blank_ = blank
        return concerns, strong

    # -- the form below the first screen: each heading's block folded, with its own short summary --

    def folded(self) -> list:
        """The page's parts for the template: headings as they are (they feed the table of contents), each
        heading's first block as a fold (`<details>`, open in the HTML so that a reader without JavaScript
        sees the whole form; hyoka-page.js folds them and opens the one a permalink points into)."""
        out: list = []
        heading: N.Heading | None = None
        first = False
        for p in self.parts:
            if isinstance(p, N.Heading):
                heading, first = p, True
                out.append(p)
                continue
            summary = self.fold_summary(heading, p.body) if heading is not None and first and heading.anchor != "source" else None
            out.append({"tpl": "block", "body": p.body, "fold": summary})
            first = False
        return out

    def fold_summary(self, h: N.Heading, body: N.Node) -> str:
        a = self.a
        rows, notes = _count(body)
        key = self.section_of.get(h.anchor, h.anchor)
        m = re.fullmatch(r"file-(\d+)", h.anchor) or re.fullmatch(r"risk-(\d+)", h.anchor)
        if m and key == "files":
            f = int(m.group(1))
            pf = a.files[f - 1]
            ent = pf.entrustment
            parts = []
            if pf.basics and pf.basics.persons:
                parts.append(f"対象となる本人の数 {pf.basics.persons}")
            if ent is not None:
                parts.append(f"委託 {ent.count if ent.count is not None else len(ent.items)}件" if ent.status == "委託する" else (ent.status or "委託 空欄"))
            if pf.provision is not None:
                fl = self.flows(f, pf)
                parts.append(f"提供 {fl['provide']}件・移転 {fl['transfer']}件")
            period = pf.retention.period.period if pf.retention and pf.retention.period else None
            parts.append(f"保管期間 {period or '空欄'}")
            text = "・".join(parts)
        elif m and key == "risks":
            f = int(m.group(1))
            fr = a.risks[f - 1]
            n_risks = sum(len(sec.risks) for sec in fr.sections)
            text = f"{len(fr.sections)} 区分・リスク {n_risks} 件・{rows} 項目"
            def mine(rows: list[dict]) -> int:
                return sum(1 for c in rows if c["href"].startswith(f"#risk-{f}-"))
            text += f"（「十分である」に届かない回答 {mine(self.concerns_)} 件・回答が空欄 {mine(self.blank_)} 件・「特に力を入れている」等 {mine(self.strong_)} 件）"
        elif key == "cover":
            text = f"評価書名・公表日など {rows} 項目"
        elif key == "basic_info":
            text = f"事務の名称・内容、システム {len(a.basic_info.systems)} 件、ファイル名など {rows} 項目"
        elif key in ("other_measures", "disclosure"):
            sections = a.other_measures if key == "other_measures" else a.disclosure
            text = "・".join(sec.title for sec in sections) + f"（{rows} 項目）"
        elif key == "procedures" and a.procedures is not None:
            names = [unnumbered(field_title(S.Procedures, n)) for n in S.Procedures.model_fields if getattr(a.procedures, n) is not None]
            text = "・".join(names) if names else f"{rows} 項目"
        elif key == "changes":
            text = f"変更箇所 {len(a.changes)} 件"
        elif key == "threshold_result" and a.threshold is not None:
            text = f"しきい値判断結果 {a.threshold.result or '空欄'}"
        elif h.anchor == "notes":
            text = f"転記メモ {len(a.transcription_notes)} 件（判読できない・曖昧な箇所など。どの項目のものかを様式の番号で示します）"
        elif key == "record_items":
            text = f"ファイル {sum(1 for pf in a.files if pf.record_items is not None)} 件の記録項目"
        elif key == "attachment1":
            text = f"事務の内容の説明（{len(a.attachment1 or '')} 字）"
        else:
            text = f"{rows} 項目"
        if notes and h.anchor != "notes":
            text += f"・⚠ 転記メモ {notes} 件"
        return text

    def record_links(self, ids: list[str]) -> N.Bullets:
        items = []
        for rid in ids:
            r = self.links.docs[rid]
            assert isinstance(r, S.CouncilRecord)
            label = " ".join(x for x in [r.number or r.record_type, r.subject] if x)
            items.append(N.Item(N.Link(rel_url(self.links.doc_url(rid), self.url), label)))
        return N.Bullets(items)

    # -- sections --

    # Every container claims the notes left under its path *after* its children have claimed theirs,
    # so a note shows at the nearest rendered item (a note on a list or on a heading's text lands on
    # the block that holds it).

    def noted(self, path: str) -> bool:
        return self.notes.noted(path)

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
        self.add(2, "出典", "source", self.source())
        # anything still unplaced (a path to the document itself) is shown here
        rest = self.notes.at("", "notes", deep=True, everything=True)
        if not self.a.transcription_notes:
            self.add(2, "転記メモ", "notes", N.Muted("この評価書の転記メモはありません。"))
            return
        self.add(2, "転記メモ", "notes", [rest, labelled(self.notes.entries(), self.a)])

    def source(self) -> N.Node:
        """出典: the official document (title, 評価実施機関, 公表日, 評価書番号, its address when the YAML records
        one); the text file the data was transcribed from only in small print (「転記元」)."""
        a, src = self.a, self.a.source
        fl = Fields(self.notes)
        fl.row("評価書", N.Text(a.cover.title), "source-title")
        fl.row("評価実施機関", N.Text(a.cover.organization or self.muni.name), "source-organization")
        fl.row("公表日", ja_date(a.cover.published), "source-published")
        fl.row("評価書番号", N.Text(a.cover.number), "source-number")
        if src.url:
            fl.row("公表元", external_link(src.url), "source-url", "source.url")
        else:
            fl.row("公表元", N.Muted("公表元の URL はこのデータに記録されていません。"), "source-url", "source.url")
        if src.pages:
            fl.row(field_title(S.Source, "pages"), N.Text(src.pages), "source-pages", "source.pages")
        fl.row(field_title(S.Source, "as_of"), ja_date(src.as_of), "source-as_of", "source.as_of")
        fl.row("転記元", N.Div("hy-transcribed", ["転記元: ", N.Text(src.document)]), "source-document", "source.document", cls="hy-small")
        return [fl.node(), self.notes.at("source", "source", deep=True)]



def labelled(notes: N.NoteList, doc: S.Assessment | S.CouncilRecord) -> N.NoteList:
    """The list of notes, each saying where it is in the form's own labels and numbers (hyoka.formlabels)."""
    return N.NoteList([dataclasses.replace(e, where=path_label(doc, e.path)) for e in notes.items])


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a node class → its fields' names (none: not a node)
# nodes whose fields hold only texts, numbers and these same leaves (never a row or a note): not walked
_LEAVES = (N.Date, N.Choice, N.Option, N.Ticks, N.Tick, N.Permalink, N.External, N.Muted)


def _field_names(cls: type) -> tuple[str, ...]:
    got = _FIELD_NAMES.get(cls)
    if got is None:
        walk = dataclasses.is_dataclass(cls) and cls not in _LEAVES
        got = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if walk else ()
    return got


def _count(node: N.Node) -> tuple[int, int]:
    """(rows of fields, note markers) inside a node."""
    rows = notes = 0
    stack = [node]
    while stack:
        n = stack.pop()
        cls = type(n)
        if cls is str:
            continue
        if cls is list or cls is tuple or isinstance(n, (list, tuple)):
            stack.extend(n)
        elif cls is N.Row:
            rows += 1
            stack.extend([n.value, list(n.notes)])
        elif cls is N.Note:
            notes += 1
        else:
            stack.extend(getattr(n, name) for name in _field_names(cls))
    return rows, notes


def render_assessment(a: S.Assessment, links: Links, findings: list | None = None) -> str:
    return AssessmentPage(a, links, findings).md()


def page_and_twin(a: S.Assessment, links: Links, findings: list | None = None) -> tuple[str, object]:
    """The page's Markdown and its JSON twin, from one context."""
    page = AssessmentPage(a, links, findings)
    context = page.context()
    return page.markdown(context), plain(context)




def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    """One page per assessment, with its findings (re-rendered only when its digest changed)."""
    from .findings import by_assessment, ensure_findings

    links = site_links(corpus, ctx)
    found = by_assessment(ensure_findings(corpus, ctx))
    progress, every = progress_of(ctx)
    total = len(corpus.assessments)
    for i, a in enumerate(corpus.assessments, 1):
        fs = found.get(a.id, [])
        md, data = cached(a, links, fs, lambda: page_and_twin(a, links, fs))
        yield Page(links.doc_path(a.id), a.cover.title, md, data=data)
        if progress and (i % every == 0 or i == total):
            progress(i, total)
