"""Index documents from a validated corpus: one per answer item, 委託事項, file, 変更箇所 row, ….

Each document is a flat dict (see `FIELDS`) with the municipality, the assessment, the item's place
(section, part, file, anchor id from `hyoka.anchors`) and the printed text.  `content` is the
searchable text: the item's own label, answer and text as printed, joined with SEGMENT_SEP (no
context from parent items, so a hit names the item that says it).

The auditors' Whoosh index (`hyoka_search`) and the in-browser search (`hyoka.sitesearch`) index exactly
these documents.  No MkDocs and no Whoosh here.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal, get_args, get_origin

from pydantic import BaseModel

from . import anchors as A
from . import formkeys
from . import schema as S
from .companies import Registry, company_key
from .formlabels import path_label
from .loader import Corpus, Municipality
from .matching import SEGMENT_SEP

# Field → kind of value; every document has every key ("" / 0 when not applicable).
FIELDS = (
    "key", "hash", "kind", "kind_label", "doc_type", "aid", "city", "city_name", "slug", "form",
    "form_version", "title", "status", "as_of", "file_no", "file_name", "section", "part",
    "part_title", "anchor", "url", "label", "answer", "text", "content", "company", "subcontract",
    "retention", "retention_reason", "risk_key", "risk_title", "note_kind", "extra",
)

KIND_LABELS = {
    "cover": "表紙",
    "basic": "Ⅰ 基本情報の項目",
    "system": "システム",
    "attachment": "別添1 事務の内容",
    "file": "特定個人情報ファイル",
    "file_item": "Ⅱ ファイルの項目",
    "entrust": "委託事項",
    "provide": "提供先",
    "transfer": "移転先",
    "retention": "保管・消去",
    "threshold": "しきい値判断",
    "risk_section": "リスク対策の区分",
    "risk": "リスク",
    "risk_item": "リスク対策の項目",
    "section": "区分の見出し",
    "other": "Ⅳ その他のリスク対策の項目",
    "disclosure": "Ⅴ 開示請求、問合せの項目",
    "procedure": "Ⅵ 評価実施手続の項目",
    "change": "変更箇所",
    "note": "転記メモ",
    "council": "審議会の記録",
    "finding": "点検結果",
}

SECTION_ORDER = ("表紙", "Ⅰ", "別添1", "Ⅱ", "別添2", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "別添3", "転記メモ", "審議会", "点検結果")
SECTION_TITLES = {
    "表紙": "表紙",
    "Ⅰ": "Ⅰ 基本情報",
    "別添1": "別添1 事務の内容",
    "Ⅱ": "Ⅱ 特定個人情報ファイルの概要",
    "別添2": "別添2 特定個人情報ファイル記録項目",
    "Ⅲ": "Ⅲ リスク対策",
    "Ⅳ": "Ⅳ その他のリスク対策",
    "Ⅴ": "Ⅴ 開示請求、問合せ",
    "Ⅵ": "Ⅵ 評価実施手続",
    "別添3": "別添3 変更箇所",
    "転記メモ": "転記メモ",
    "審議会": "審議会の記録",
    "点検結果": "点検結果（ビルドが検出した事項）",
}
NO_RETENTION = "記載なし"

def risk_key(section_no: str, title: str) -> str:
    """The comparison key of a Ⅲ risk: its canonical risk id (`Ⅲ-2/R1`, `Ⅲ-4/R1-5`; hyoka.formkeys.risk_id)."""
    return formkeys.risk_id(section_no, title)


def risk_display_title(title: str, section_no: str = "") -> str:
    """The form's title of a printed risk (「リスク１：」 removed; a joined block named by its range)."""
    rid = formkeys.risk_id(section_no, title) if section_no else ""
    return formkeys.risk_label(rid) if rid and "/R" in rid else formkeys.risk_title_norm(title) or title


# ---- generic leaves of a sub-model ----------------------------------------------------------------


def _is_choice(model: type[BaseModel], name: str) -> bool:
    ann = model.model_fields[name].annotation
    stack = [ann]
    while stack:
        a = stack.pop()
        if get_origin(a) is Literal:
            return True
        stack.extend(get_args(a))
    return False


def _leaves(obj: BaseModel, path: str, prefix: str = "") -> Iterator[tuple[str, str, str, str]]:
    """(path, label, answer, text) for every filled scalar or tick field of a model, recursively."""
    cls = type(obj)
    for name, f in cls.model_fields.items():
        value = getattr(obj, name)
        if value is None or value == [] or value == {}:
            continue
        label = (prefix + " " if prefix else "") + (f.title or name)
        p = f"{path}.{name}"
        if isinstance(value, S.TickBase):
            ticked = "、".join(value.ticked)
            details = " ".join(f"{k}（{v}）" for k, v in value.details.items())
            yield p, label, ticked, details
        elif isinstance(value, BaseModel):
            yield from _leaves(value, p, f.title or name)
        elif isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                yield p, label, "", "\n".join(value)
            # lists of models are handled by the caller
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            if _is_choice(cls, name):
                yield p, label, str(value), ""
            else:
                yield p, label, "", str(value)
        elif hasattr(value, "isoformat"):
            yield p, label, "", value.isoformat()


def _content(*parts: str | None) -> str:
    return SEGMENT_SEP.join(p for p in parts if p)


def _title(model: type[BaseModel], name: str) -> str:
    """The official label of a model field (hyoka.schema's `Field(title=…)`), never typed again here."""
    return model.model_fields[name].title or name


@functools.lru_cache(maxsize=8)
def _name_pattern(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of every registered spelling's key, longest first (at a place where two names
    start, the longer one is the name: 「株式会社日立システムズ」, not a shorter spelling inside it)."""
    if not keys:
        return None
    return re.compile("|".join(map(re.escape, sorted(keys, key=lambda k: (-len(k), k)))))


def names_pattern(registry: Registry) -> re.Pattern[str] | None:
    """The pattern of `named_companies` for a registry (made once per registry's spellings)."""
    return _name_pattern(tuple(sorted(registry.spellings)))


def named_companies(registry: Registry, content: str, pattern: re.Pattern[str] | None | bool = False) -> list[str]:
    """The registered companies (ids) whose name or a listed spelling (site_config/companies.yaml)
    appears in an item's text, by the registry's matching key (NFKC, no spaces, ㈱/（株） unfolded);
    each segment of the content on its own, so a name never spans two printed cells.  `pattern`:
    `names_pattern(registry)`, if the caller has it."""
    if pattern is False:
        pattern = names_pattern(registry)
    if pattern is None or not content:
        return []
    found: dict[str, None] = {}
    for seg in content.split(SEGMENT_SEP):
        for m in pattern.finditer(company_key(seg)):
            found[registry.spellings[m.group(0)]] = None
    return list(found)


# ---- documents ------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, doc: S.Assessment | S.CouncilRecord, muni: Municipality, registry: Registry):
        self.doc = doc
        self.muni = muni
        self.registry = registry
        self.names = names_pattern(registry)
        self.out: list[dict[str, Any]] = []
        is_assessment = isinstance(doc, S.Assessment)
        self.base = {
            "doc_type": doc.type,
            "aid": doc.id,
            "city": muni.code,
            "city_name": muni.name,
            "slug": muni.slug,
            "form": doc.form if is_assessment else "",
            "form_version": doc.form_version if is_assessment else "",
            "title": doc.cover.title if is_assessment else doc.subject,
            "status": doc.status if is_assessment else doc.record_type,
            "as_of": doc.source.as_of.isoformat(),
        }

    def add(self, path: str, kind: str, section: str, anchor: str | None, *, label: str = "",
            answer: str = "", text: str = "", content: str | None = None, part: str = "",
            part_title: str = "", file_no: int = 0, file_name: str = "", **extra_fields: Any) -> dict:
        d: dict[str, Any] = dict.fromkeys(FIELDS, "")
        d.update(self.base)
        d.update(
            key=f"{self.doc.id}:{path}",
            kind=kind,
            kind_label=KIND_LABELS[kind],
            section=section,
            part=part or section,
            part_title=part_title or SECTION_TITLES[section],
            anchor=anchor or "",
            url=A.permalink(self.muni.slug, self.doc.id, anchor),
            label=label,
            answer=answer,
            text=text,
            content=content if content is not None else _content(answer, text),
            file_no=file_no,
            file_name=file_name,
        )
        extra = extra_fields.pop("extra", None)
        d.update(extra_fields)
        # 委託先名 (the facet): the contractors of a 委託事項, and on every item the registered companies it names
        named = named_companies(self.registry, d["content"], self.names)
        if named:
            d["company"] = ",".join(dict.fromkeys([*filter(None, d["company"].split(",")), *named]))
        d["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra is not None else ""
        self.out.append(d)
        return d

    # -- assessment ---------------------------------------------------------------------------------

    def risk_of(self, path: str, section_no: str, section_title: str) -> dict[str, Any]:
        """risk_key / risk_title of an item outside a risk block that answers for a risk (hyoka.formkeys): Ⅲ-4's
        shared 「リスクへの対策は十分か」 (Ⅲ-4/R1-5), 様式2 Ⅳ's 「…リスクへの対策は十分か」.  Such an answer is a cell of the
        risk matrix (extra.matrix)."""
        x = self.answers.get(path)
        if x is None or not x.risk:
            return {}
        out: dict[str, Any] = {"risk_key": x.risk, "risk_title": formkeys.risk_label(x.risk)}
        if x.key == f"{x.risk}/{formkeys.SUFFICIENCY_QUESTION}":
            out["extra"] = {"matrix": True, "section_no": x.risk.split("/")[0].split("-")[1],
                            "section_title": formkeys.SECTION_TITLES.get(x.risk.split("/")[0], section_title), "risk_no": 0}
        return out

    def assessment(self) -> list[dict]:
        a: S.Assessment = self.doc  # type: ignore[assignment]
        self.answers = {}
        for x in formkeys.answers(a):
            self.answers.setdefault(x.path, x)
        for p, label, answer, text in _leaves(a.cover, "cover"):
            self.add(p, "cover", "表紙", None, label=label, answer=answer, text=text, content=_content(answer, text))
        self.basic_info(a.basic_info)
        if a.attachment1:
            self.add("attachment1", "attachment", "別添1", None, label=_title(S.Assessment, "attachment1"), text=a.attachment1)
        for i, f in enumerate(a.files, start=1):
            self.file(i, f)
        if a.threshold:
            for p, label, answer, text in _leaves(a.threshold, "threshold"):
                self.add(p, "threshold", "Ⅱ", None, label=label, answer=answer, text=text, content=_content(answer, text), part_title="しきい値判断")
        for i, fr in enumerate(a.risks, start=1):
            self.file_risks(i, fr)
        for key, kind, roman, sections, anchor_fn in (("other_measures", "other", "Ⅳ", a.other_measures, A.other_measure),
                                                       ("disclosure", "disclosure", "Ⅴ", a.disclosure, A.disclosure)):
            for s, sec in enumerate(sections, start=1):
                part = f"{roman}-{formkeys.ascii_no(sec.no or s)}"
                part_title = f"{roman} {sec.no or ''} {sec.title}".replace("  ", " ")
                self.add(f"{key}[{s-1}]", "section", roman, f"{key}-{s}", label=f"{sec.no or ''} {sec.title}".strip(),
                         content=_content(sec.title), part=part, part_title=part_title)
                for q, item in enumerate(sec.items, start=1):
                    path = f"{key}[{s-1}].items[{q-1}]"
                    self.item(path, kind, roman, anchor_fn(s, q), item, part=part, part_title=part_title,
                              **self.risk_of(path, sec.no or str(s), sec.title))
        if a.procedures:
            for p, label, answer, text in _leaves(a.procedures, "procedures"):
                self.add(p, "procedure", "Ⅵ", "s6", label=label, answer=answer, text=text, content=_content(answer, text))
        for n, ch in enumerate(a.changes, start=1):
            text = _content(ch.before and f"変更前: {ch.before}", ch.after and f"変更後: {ch.after}", ch.reason)
            self.add(f"changes[{n-1}]", "change", "別添3", A.change(n), label=ch.item or "", answer=ch.timing or "",
                     text=text.replace(SEGMENT_SEP, "\n"),
                     content=_content(ch.date, ch.item, ch.before, ch.after, ch.timing, ch.reason))
        for n, note in enumerate(a.transcription_notes, start=1):  # the note's kind is no answer: a facet of its own
            # titled where the note is, in the form's own labels (「Ⅱ ファイル1 6．②保管期間 期間」), never its YAML path
            self.add(f"transcription_notes[{n-1}]", "note", "転記メモ", "notes", label=path_label(a, note.path), note_kind=note.kind,
                     text=note.note, content=_content(note.kind, note.note))
        return self.out

    def basic_info(self, b: S.BasicInfo) -> None:
        for p, label, answer, text in _leaves(b, "basic_info"):
            self.add(p, "basic", "Ⅰ", "s1", label=label, answer=answer, text=text, content=_content(answer, text))
        for i, sysm in enumerate(b.systems):
            parts = [f"システム{sysm.no}", sysm.name, sysm.functions]
            ticks = ""
            if sysm.connections:
                ticks = "、".join(sysm.connections.ticked)
                parts += [ticks, *sysm.connections.details.values()]
            self.add(f"basic_info.systems[{i}]", "system", "Ⅰ", A.system(sysm.no), label=f"システム{sysm.no} {sysm.name}",
                     answer=ticks, text=sysm.functions or "", content=_content(*parts), part="Ⅰ-2",
                     part_title="2．特定個人情報ファイルを取り扱う事務において使用するシステム")
        for q, item in enumerate(b.extra_items, start=1):
            self.item(f"basic_info.extra_items[{q-1}]", "basic", "Ⅰ", "s1", item)

    def item(self, path: str, kind: str, section: str, anchor: str | None, item: S.Item, **kw: Any) -> dict:
        label = f"{item.no}{item.label}" if item.no and not item.label.startswith(item.no) else item.label
        return self.add(path, kind, section, anchor, label=label, answer=item.answer or "", text=item.text or "",
                        content=_content(label, item.answer, item.text), **kw)

    def file(self, f: int, pf: S.PersonalInfoFile) -> None:
        fpath = f"files[{f-1}]"
        ret = pf.retention.period if pf.retention else None
        period = ret.period if ret and ret.period else NO_RETENTION
        reason = ret.reason if ret and ret.reason else ""
        common = {"file_no": f, "file_name": pf.name}
        self.add(fpath, "file", "Ⅱ", A.file(f), label=_title(S.PersonalInfoFile, "name"), text=pf.name, content=pf.name,
                 retention=period, retention_reason=reason, part="Ⅱ-1", **common,
                 extra={"retention_anchor": A.retention(f), "retention_location": pf.retention.location if pf.retention else None})
        parts = {"basics": ("Ⅱ-2", A.file(f)), "acquisition": ("Ⅱ-3", A.file(f))}
        for name, (part, anchor) in parts.items():
            sub = getattr(pf, name)
            if sub is None:
                continue
            title = S.PersonalInfoFile.model_fields[name].title
            for p, label, answer, text in _leaves(sub, f"{fpath}.{name}"):
                self.add(p, "file_item", "Ⅱ", anchor, label=label, answer=answer, text=text, content=_content(answer, text), part=part, part_title=title, **common)
        ent = pf.entrustment
        if ent:
            title = S.PersonalInfoFile.model_fields["entrustment"].title
            if ent.status:
                self.add(f"{fpath}.entrustment.status", "file_item", "Ⅱ", A.file(f), label=_title(S.Entrustments, "status"), answer=ent.status,
                         text=f"（{ent.count}）件" if ent.count is not None else "", part="Ⅱ-4", part_title=title, **common)
            for i, e in enumerate(ent.items):
                self.entrustment(f, e, f"{fpath}.entrustment.items[{i}]", title, common)
        prov = pf.provision
        if prov:
            title = S.PersonalInfoFile.model_fields["provision"].title
            if prov.status:
                self.add(f"{fpath}.provision.status", "file_item", "Ⅱ", A.file(f), label=_title(S.Provisions, "status"),
                         answer="、".join(prov.status.ticked), part="Ⅱ-5", part_title=title, **common)
            for kind, items, anchor_fn in (("provide", prov.provisions, A.provision), ("transfer", prov.transfers, A.transfer)):
                for i, p in enumerate(items):
                    leaves = list(_leaves(p, "x"))
                    content = _content(*(x for _, label, a_, t in leaves if label != "番号" for x in (a_, t)))
                    self.add(f"{fpath}.provision.{kind}[{i}]", kind, "Ⅱ", anchor_fn(f, p.no),
                             label=f"{'提供先' if kind == 'provide' else '移転先'}{p.no}", text=p.recipient,
                             content=content, part="Ⅱ-5", part_title=title, **common)
        if pf.retention:
            title = S.PersonalInfoFile.model_fields["retention"].title
            r = pf.retention
            if r.location:
                self.add(f"{fpath}.retention.location", "retention", "Ⅱ", A.retention(f), label=_title(S.Retention, "location"), text=r.location,
                         part="Ⅱ-6", part_title=title, **common)
            if r.period:
                self.add(f"{fpath}.retention.period", "retention", "Ⅱ", A.retention(f), label=_title(S.Retention, "period"),
                         answer=r.period.period or "", text=r.period.reason or "", part="Ⅱ-6", part_title=title,
                         retention=period, retention_reason=reason, **common)
            if r.erasure:
                self.add(f"{fpath}.retention.erasure", "retention", "Ⅱ", A.retention(f), label=_title(S.Retention, "erasure"), text=r.erasure,
                         part="Ⅱ-6", part_title=title, **common)
        if pf.notes:
            self.add(f"{fpath}.notes", "file_item", "Ⅱ", A.file(f), label=_title(S.PersonalInfoFile, "notes"), text=pf.notes, part="Ⅱ-7", **common)
        if pf.record_items:
            self.add(f"{fpath}.record_items", "file_item", "別添2", A.file(f), label=_title(S.PersonalInfoFile, "record_items"),
                     text=pf.record_items, **common)
        for q, item in enumerate(pf.extra_items, start=1):
            self.item(f"{fpath}.extra_items[{q-1}]", "file_item", "Ⅱ", A.file(f), item, **common)

    def entrustment(self, f: int, e: S.Entrustment, path: str, part_title: str, common: dict) -> None:
        mentions = self.registry.mentions(e.contractor)
        leaves = list(_leaves(e, "x"))
        content = _content(*(x for _, label, a_, t in leaves if label != "委託事項番号" for x in (a_, t)))
        companies = [m for m in mentions if not m.not_a_name]
        self.add(path, "entrust", "Ⅱ", A.entrustment(f, e.no), label=f"委託事項{e.no}", answer=e.subcontract or "",
                 text=_content(e.title, e.contractor and f"委託先: {e.contractor}").replace(SEGMENT_SEP, "\n"),
                 content=content, part="Ⅱ-4", part_title=part_title, subcontract=e.subcontract or "",
                 company=",".join(dict.fromkeys(m.group_id for m in companies)),
                 extra={
                     "entrust_title": e.title,
                     "contractor": e.contractor,
                     "subcontract_items": e.subcontract_items,
                     "mentions": [
                         {"original": m.original, "group": m.group_id, "name": m.display_name, "branch": m.branch,
                          "known": m.company is not None, "corporate_number": m.company.corporate_number if m.company else None,
                          "not_a_name": m.not_a_name}
                         for m in mentions
                     ],
                 },
                 **common)

    def file_risks(self, f: int, fr: S.FileRisks) -> None:
        common = {"file_no": f, "file_name": fr.file_name}
        for s_idx, sec in enumerate(fr.sections):
            spath = f"risks[{f-1}].sections[{s_idx}]"
            part = f"Ⅲ-{A._part(sec.no)}"
            part_title = f"Ⅲ {sec.no} {sec.title}"
            self.add(spath, "risk_section", "Ⅲ", A.risk_section(f, sec.no), label=f"{sec.no} {sec.title}",
                     answer=sec.not_applicable or "", content=_content(sec.title, sec.not_applicable),
                     part=part, part_title=part_title, **common)
            for k, risk in enumerate(sec.risks, start=1):
                rkey = risk_key(sec.no, risk.title)
                rtitle = risk_display_title(risk.title, sec.no)
                suff = next(((q, it) for q, it in enumerate(risk.items, start=1)
                             if formkeys.question_id(it.label) == formkeys.SUFFICIENCY_QUESTION), None)
                choices = [
                    {"label": it.label, "answer": it.answer, "anchor": A.risk_item(f, sec.no, k, q)}
                    for q, it in enumerate(risk.items, start=1) if it.answer
                ]
                self.add(f"{spath}.risks[{k-1}]", "risk", "Ⅲ", A.risk(f, sec.no, k), label=risk.title,
                         answer=(suff[1].answer or "") if suff else "", part=part, part_title=part_title,
                         content=_content(risk.title), risk_key=rkey, risk_title=rtitle,
                         extra={"answer_anchor": A.risk_item(f, sec.no, k, suff[0]) if suff else None,
                                "section_no": sec.no, "section_title": sec.title, "risk_no": k, "choices": choices},
                         **common)
                for q, it in enumerate(risk.items, start=1):
                    self.item(f"{spath}.risks[{k-1}].items[{q-1}]", "risk_item", "Ⅲ", A.risk_item(f, sec.no, k, q), it,
                              part=part, part_title=part_title, risk_key=rkey, risk_title=rtitle, **common)
            for q, it in enumerate(sec.items, start=1):
                self.item(f"{spath}.items[{q-1}]", "risk_item", "Ⅲ", A.risk_section_item(f, sec.no, q), it,
                          part=part, part_title=part_title, **self.risk_of(f"{spath}.items[{q-1}]", sec.no, sec.title), **common)

    # -- council record -------------------------------------------------------------------------------

    def council(self) -> list[dict]:
        r: S.CouncilRecord = self.doc  # type: ignore[assignment]
        leaves = list(_leaves(r, "record"))
        skip = {"種類", "ID", "全国地方公共団体コード", "出典 出典資料", "出典 出典 URL", "出典 該当ページ・行", "出典 データの時点"}
        content = _content(*(x for _, label, a_, t in leaves if label not in skip for x in (a_, t)))
        self.add("record", "council", "審議会", None, label=f"{r.record_type} {r.number or ''}".strip(), answer=r.result or "",
                 text=r.text or r.subject, content=content)
        return self.out


    # -- auditor findings (hyoka.findings) ---------------------------------------------------------

    def findings(self, found: list) -> list[dict]:
        """One document per finding, at the item it concerns: searchable by its statement and evidence."""
        for n, f in enumerate(found):
            r = f.rule
            self.add(f"findings[{n}]", "finding", "点検結果", f.anchor, label=f"{r.id} {r.title}", text=f"{f.statement}\n{f.evidence}",
                     content=_content(r.title, f.statement, f.evidence),
                     extra={"rule_id": r.id, "severity": r.severity, "basis": r.basis, "path": f.path})
        return self.out


def corpus_documents(corpus: Corpus, registry: Registry, findings: list | None = None) -> list[dict[str, Any]]:
    """Every index document of the corpus, each with its content hash in `hash`, in a list (see
    `stream_documents` for the build, which must not hold them all).

    `findings`: the build's auditor findings (hyoka.findings.run_rules); None runs the rules for today.
    With `corpus.cache` (hyoka.cache), a document's items are read from the disk cache when its source, its
    municipality entry, the company registry and its findings are those of a cached entry.
    """
    return [d for items in _each_document(corpus, registry, findings) for d in items]


def stream_documents(corpus: Corpus, registry: Registry, findings: list | None, path) -> DocStream:
    """`corpus_documents` written as JSON lines into the file `path` (a source document's items at a time)
    and handed back as a DocStream, which reads them from there on every pass."""
    return DocStream.write(path, _each_document(corpus, registry, findings))


def _each_document(corpus: Corpus, registry: Registry, findings: list | None) -> Iterator[list[dict[str, Any]]]:
    """The index documents of each source document (assessments, then council records), one list at a time."""
    cache = corpus.cache
    if findings is None:
        import datetime as dt

        from .findings import run_rules

        findings = run_rules(corpus.assessments, today=dt.date.today(), cache=cache)
    found_by: dict[str, list] = {}
    for f in findings:
        found_by.setdefault(f.assessment_id, []).append(f)
    reg_digest = registry_digest(registry) if cache is not None else ""
    for doc in itertools.chain(corpus.assessments, corpus.council_records):  # one at a time (a lazy corpus)
        muni = corpus.municipalities[doc.municipality]
        src = cache.source(doc.id) if cache is not None else None
        key = None
        docs = None
        if src is not None:
            key = cache.key("docs", src, repr(muni), reg_digest, repr(found_by.get(doc.id)))
            docs = _from_cache(cache, key, doc.id)
        if docs is None:
            docs = document_items(doc, muni, registry, found_by.get(doc.id))
            if key is not None:
                cache.put("docs", key, docs)
        seen: set[str] = set()
        for d in docs:  # defensive: two items with one path would hide each other (a key starts with its
            if d["key"] in seen:  # document's id, so keys can only clash within one document)
                raise ValueError(f"duplicate index key {d['key']}")
            if not d["key"].startswith(f"{doc.id}:"):
                raise ValueError(f"index key {d['key']} outside its document {doc.id}")
            seen.add(d["key"])
        yield docs


# ---- which documents changed: one digest per source document -------------------------------------
#
# The Whoosh index records, per source document (`aid`), how many index documents it holds and a digest of
# their keys and hashes; an update compares those (one entry per assessment) instead of every item's hash
# (≈ 145 per assessment, ≈ 270 bytes each in a dict: 1.2 GB at 30,000 assessments).  The digest is of the
# set, not the sequence (a sum of the items' own digests, modulo 2¹²⁸), so it is computed one item at a time
# in any order: from a stream, from the index's stored fields, or from documents in search order.

_DIGEST_MASK = (1 << 128) - 1


def _item_digest(key: str, hash_: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{key}\t{hash_}".encode("utf-8"), digest_size=16).digest(), "big")


def items_sum(items: Iterable[dict[str, Any]]) -> int:
    """The summed digest of these index documents (DigestSum.add_sum)."""
    return sum(_item_digest(d["key"], d["hash"]) for d in items) & _DIGEST_MASK


class DigestSum:
    """Per source document: the count and the summed digest of its index documents, added one at a time."""

    def __init__(self) -> None:
        self.acc: dict[str, list[int]] = {}

    def add(self, aid: str, key: str, hash_: str) -> None:
        self.add_sum(aid, 1, _item_digest(key, hash_))

    def add_sum(self, aid: str, n: int, total: int) -> None:
        """`n` documents of `aid` whose digests sum to `total` (`items_sum`)."""
        a = self.acc.setdefault(aid, [0, 0])
        a[0] += n
        a[1] = (a[1] + total) & _DIGEST_MASK

    def result(self) -> dict[str, str]:
        """aid → "count:digest"."""
        return {aid: f"{n}:{t:032x}" for aid, (n, t) in self.acc.items()}


def document_digests(docs: Iterable[dict[str, Any]]) -> dict[str, str]:
    """aid → digest of its index documents (see above), for a list or a DocStream (which has them already)."""
    if isinstance(docs, DocStream):
        return docs.digests()
    acc = DigestSum()
    for d in docs:
        acc.add(d["aid"], d["key"], d["hash"])
    return acc.result()


def documents_of(docs: Iterable[dict[str, Any]], aids: set[str]) -> Iterator[dict[str, Any]]:
    """The index documents of the source documents `aids` (from a DocStream, only their lines are read)."""
    if isinstance(docs, DocStream):
        yield from docs.of(aids)
    else:
        yield from (d for d in docs if d["aid"] in aids)


class _Runs:
    """Some source documents' index documents in a DocStream's file, read on each pass."""

    def __init__(self, path, runs: list[tuple[str, str, int, int, int, int]]):
        self.path = Path(path)
        self.runs = runs  # (city, aid, byte offset, byte length, documents, digest sum) of each source document

    def __len__(self) -> int:
        return sum(r[4] for r in self.runs)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with open(self.path, "rb") as fh:  # (bytes: JSON escapes every control character but not U+2028,
            for _city, _aid, offset, length, _n, _t in self.runs:  # which str.splitlines would split on)
                fh.seek(offset)
                for line in fh.read(length).split(b"\n")[:-1]:
                    yield json.loads(line)


class DocStream(_Runs):
    """The index documents of a corpus as JSON lines in one file, written once (`write`) and read back one
    document at a time on every pass over them (the Whoosh plan and its segment processes, the site search,
    the build's check of the two): the build never holds them all (≈ 145 per assessment, ≈ 3 KB each).

    Iterating gives them as written (corpus order); `ordered()` in search order (municipality code, then as
    written: hyoka.sitesearch.order) without sorting them in memory, since a source document's items are one
    run of lines with one `city`: the runs are sorted, not the items.  It pickles as its path and runs (a
    process that reads it needs the file, which the caller removes with its work folder)."""

    @classmethod
    def write(cls, path, documents: Iterable[list[dict[str, Any]]]) -> DocStream:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        runs: list[tuple[str, str, int, int, int, int]] = []
        offset = 0
        with open(path, "wb") as fh:
            for items in documents:
                if not items:
                    continue
                data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in items).encode("utf-8")
                fh.write(data)
                runs.append((items[0]["city"], items[0]["aid"], offset, len(data), len(items), items_sum(items)))
                offset += len(data)
        return cls(path, runs)

    def ordered(self) -> _Runs:
        """The documents in search order (re-iterable, read from the file on each pass)."""
        return _Runs(self.path, sorted(self.runs, key=lambda r: r[0]))  # (stable: as written within a city)

    def of(self, aids: set[str]) -> _Runs:
        """The documents of the source documents `aids`, as written."""
        return _Runs(self.path, [r for r in self.runs if r[1] in aids])

    def split(self, parts: int) -> list[_Runs]:
        """The documents cut in order, at source documents, into `parts` runs of about equal bytes (each read
        by an index process from this file: nothing is copied)."""
        total = sum(r[3] for r in self.runs)
        out: list[list] = [[]]
        acc = 0
        for r in self.runs:
            out[-1].append(r)
            acc += r[3]
            if len(out) < parts and acc >= total * len(out) / parts:
                out.append([])
        return [_Runs(self.path, runs) for runs in out if runs]

    def digests(self) -> dict[str, str]:
        acc = DigestSum()
        for _city, aid, _offset, _length, n, total in self.runs:
            acc.add_sum(aid, n, total)
        return acc.result()


def document_items(doc: S.Assessment | S.CouncilRecord, muni: Municipality, registry: Registry,
                   found: list | None = None) -> list[dict[str, Any]]:
    """The index documents of one assessment or council record (with its findings), each with its `hash`."""
    b = _Builder(doc, muni, registry)
    docs = b.assessment() if isinstance(doc, S.Assessment) else b.council()
    if found:
        docs = b.findings(found)
    for d in docs:
        d["hash"] = doc_hash(d)
    return docs


_FIELD_SET = frozenset(FIELDS)


def _from_cache(cache, key: str, doc_id: str) -> list[dict[str, Any]] | None:
    """A document's cached items, if they have exactly the fields of FIELDS and belong to `doc_id`."""
    docs = cache.get("docs", key)
    if docs is None:
        return None
    if not (isinstance(docs, list) and all(isinstance(d, dict) and d.keys() == _FIELD_SET and d["aid"] == doc_id
                                            and isinstance(d["key"], str) and d["key"].startswith(f"{doc_id}:") for d in docs)):
        cache.reject("docs")
        return None
    return docs


def registry_digest(registry: Registry) -> str:
    """A digest of the company registry (site_config/companies.yaml as validated): part of the cache keys of
    everything that names companies."""
    state = (registry.companies, registry.spellings, sorted(registry.not_names), registry.problems)  # (a set's repr has no fixed order)
    return hashlib.blake2b(repr(state).encode("utf-8"), digest_size=20).hexdigest()


def doc_hash(d: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in d.items() if k != "hash"}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def entrustment_cells(corpus: Corpus) -> list[str | None]:
    """Every 「⑥委託先名」 cell of the corpus (for the unknown-spelling report)."""
    return [e.contractor for a in corpus.assessments for pf in a.files if pf.entrustment for e in pf.entrustment.items]

