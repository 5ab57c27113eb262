"""The side-by-side view (issue 16): two to four assessments item by item, differences marked.

One page, `compare/side-by-side/`, holds a picker (市区町村 → 評価書) and an empty table; the script
(`assets/hyoka-sidebyside.js`) fetches, per chosen assessment, one small JSON of its items and lines them up.
Nothing on the page grows with the number of assessments (national scale: 30,000):

    compare/side-by-side/index.md              the page (a city list: one option per municipality)
    compare/side-by-side/cities/<slug>.json    that city's assessments, for the picker
    compare/side-by-side/items/<id>.json       one assessment's rows (`rows`), fetched when chosen

A row is one item of the form: every choice and tick answer (hyoka.formkeys.answers, with its canonical `key`:
the same key is the same question across cities, forms and versions) and the free-text items that matter (Ⅰ・Ⅱ
text fields such as ②保管期間 その妥当性, 委託事項, ⑥委託先名, ⑨再委託事項, 提供先, 移転先; each risk's 措置;
Ⅳ・Ⅴ texts), in the page's order, each with its anchor on the assessment page.  Rows of two assessments are
aligned by `row_id` (key + file number + repeated entry such as 委託事項2).  Values are as in the YAML; a value
left out with a transcription note says so (`notes`: its kinds, e.g. 非公表).

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from typing import Any, Iterator

from pydantic import BaseModel

from .. import anchors as A
from .. import choices as C
from .. import formkeys as K
from .. import schema as S
from ..htmlkit import rel_url, url_of
from ..loader import Corpus
from ..site import Asset, Page, SiteContext
from ..templating import render
from .parts import unnumbered
from .twin import plain

NAME = "sidebyside"
PAGE = "compare/side-by-side.md"
BASE = url_of(PAGE)  # compare/side-by-side/
ITEMS_DIR = f"{BASE}items"
CITIES_DIR = f"{BASE}cities"
CSS = "assets/hyoka-sidebyside.css"
JS = "assets/hyoka-sidebyside.js"
MAX_CHOSEN = 4

_NUMBERED = re.compile(r"^([0-9０-９]+)[．.]")
_CARD_LISTS = {"systems": "システム", "items": "委託事項", "provisions": "提供先", "transfers": "移転先"}
_ANNEXES = ("provision_annex", "transfer_annex")
# a card's title field is shown as the card's heading, whose anchor is hyoka.anchors'
_CARD_HEADINGS = {"systems": ("name", lambda f, n: A.system(n)), "items": ("title", A.entrustment),
                  "provisions": ("recipient", A.provision), "transfers": ("recipient", A.transfer)}
_ENTRUST_Q = {K.question_id(q): n for q, n in C.ENTRUST_QUESTION_RISK.items()}
_PARTS = {"basic_info": "Ⅰ", "files": "Ⅱ", "threshold": "しきい値", "risks": "Ⅲ", "other_measures": "Ⅳ",
          "disclosure": "Ⅴ", "procedures": "Ⅵ"}


@dataclasses.dataclass(frozen=True)
class Row:
    """One item of one assessment as the side-by-side table shows it."""

    row_id: str  # alignment id across assessments: key, file number, repeated entry (unique within a document)
    key: str  # canonical key (hyoka.formkeys): the same question in every city, form and version
    file_no: int  # 特定個人情報ファイルの番号 (Ⅱ・Ⅲ), 0 otherwise
    item: str  # the repeated entry (委託事項1, 提供先2 …), "" if none
    group: str  # the section it is shown under (様式4's section: 「Ⅲ-2 特定個人情報の入手（…）」)
    label: str  # the item's official label, as printed
    kind: str  # choice / tick / check / text
    value: str  # as in the YAML: the chosen option, ticked options joined by " / ", the text; "" if blank
    notes: tuple[str, ...]  # kinds of the transcription notes on this item (曖昧, 非公表 …)
    anchor: str  # the item's anchor on the assessment page
    path: str  # model path (as transcription notes name it)


# ---- page order of model paths -----------------------------------------------------------------

_TOKEN = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


@functools.lru_cache(maxsize=None)
def _field(cls: type[BaseModel] | None, name: str) -> tuple[int, type[BaseModel] | None]:
    """A field's place in its model and the model inside it."""
    fields = list(cls.model_fields) if cls is not None else []
    if name not in fields:
        return len(fields), None
    return fields.index(name), S.inner_model(cls.model_fields[name].annotation)


def path_order(path: str) -> tuple:
    """Sort key of a model path in the page's (= the model's) order: each field by its place in its model,
    each list element by its index (`files[0].retention` before `files[1].basics`, `risks[…]` after `files`)."""
    cls: type[BaseModel] | None = S.Assessment
    out: list[int] = []
    for name, index in _TOKEN.findall(path):
        if index:
            out.append(int(index))
        else:
            place, cls = _field(cls, name)
            out.append(place)
    return tuple(out)


# ---- rows of one assessment --------------------------------------------------------------------


def _group(part: str, key: str, section_title: str) -> str:
    canon = key.split("/", 1)[0]
    if part == "しきい値":
        return "しきい値判断"
    title = K.SECTION_TITLES.get(canon) or unnumbered(section_title)
    return f"{canon} {title}" if title and title != canon else canon


class _Notes:
    """The kinds of the transcription notes on a path (or below it), indexed once per document."""

    def __init__(self, notes: list[S.TranscriptionNote]):
        self.exact: dict[str, list[str]] = {}
        self.below: dict[str, list[str]] = {}
        for n in notes:
            self.exact.setdefault(n.path, []).append(n.kind)
            for m in re.finditer(r"[.\[]", n.path):  # every ancestor: files[0] and files[0].retention of files[0].retention.x
                self.below.setdefault(n.path[: m.start()], []).append(n.kind)

    def kinds(self, path: str, deep: bool = False) -> tuple[str, ...]:
        found = self.exact.get(path, []) + (self.below.get(path, []) if deep else [])
        return tuple(dict.fromkeys(found))

    def names(self, path: str) -> bool:
        return path in self.exact


def _text_rows(a: S.Assessment, notes: _Notes) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, row fields) of every free-text item: Ⅰ・Ⅱ text fields, Ⅲ measures, Ⅳ・Ⅴ texts."""

    def walk(obj: BaseModel, path: str, part: str, file_no: int, sec: str, sec_title: str, rel: str,
             labels: list[str], item: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for name, f in type(obj).model_fields.items():
            value = getattr(obj, name)
            p = f"{path}.{name}"
            title = f.title or name
            s, st, r, lab = sec, sec_title, f"{rel}.{name}" if rel else name, [*labels, title]
            if not sec:
                m = _NUMBERED.match(title)
                if m:
                    s, st, r, lab = f"{part}-{K.ascii_no(m.group(1))}", title, "", []
            ks = s or part
            if isinstance(value, (S.TickBase,)) or S.choice_options(f.annotation) is not None:
                continue  # choices and ticks: hyoka.formkeys.answers
            if isinstance(value, list) and value and isinstance(value[0], S.Item):
                for q, it in enumerate(value):
                    if it.text is not None:
                        qk = K.question_id(it.label)
                        key = f"{ks}/{qk}" + ("/text" if it.answer is not None else "")
                        yield f"{p}[{q}].text", dict(key=key, file_no=file_no, item=item, group=_group(part, key, st),
                                                     label=it.label, value=it.text, anchor=K.path_id(f"{p}[{q}]"))
            elif isinstance(value, BaseModel):
                yield from walk(value, p, part, file_no, s, st, r, lab, item)
            elif name in _ANNEXES and value:
                # 別紙の一覧 (58 提供先 …): one row of the names; its rows by position would not line up across cities
                key = f"{ks}/{name}.recipient"
                yield p, dict(key=key, file_no=file_no, item=item, group=_group(part, key, st), label=title,
                              value="\n".join(f"{el.no}. {el.recipient}" for el in value), anchor=K.path_id(f"{p}[0]"))
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                word = _CARD_LISTS.get(name, unnumbered(title))
                for i, el in enumerate(value):
                    no = getattr(el, "no", None)
                    rows_ = walk(el, f"{p}[{i}]", part, file_no, s, st, r, [] if name in _CARD_LISTS else lab,
                                 f"{word}{no if isinstance(no, int) else i + 1}")
                    heading = _CARD_HEADINGS.get(name)
                    for ep, d in rows_:
                        if heading and ep == f"{p}[{i}].{heading[0]}":  # the card's title is its heading's anchor
                            d = {**d, "anchor": heading[1](file_no, no if isinstance(no, int) else i + 1)}
                        yield ep, d
            elif isinstance(value, list) and value and isinstance(value[0], str):
                key = f"{ks}/{r}" if r else ks
                yield p, dict(key=key, file_no=file_no, item=item, group=_group(part, key, st), label=" ".join(lab) or title,
                              value="\n".join(value), anchor=K.path_id(p))
            elif isinstance(value, str) or (value is None and notes.names(p)):
                key = f"{ks}/{r}" if r else ks
                yield p, dict(key=key, file_no=file_no, item=item, group=_group(part, key, st),
                              label=" ".join(x for x in ([item] if item and not labels else []) + (lab or [title])),
                              value="" if value is None else str(value), anchor=K.path_id(p))

    yield from walk(a.basic_info, "basic_info", "Ⅰ", 0, "", "", "", [], "")
    for fi, pf in enumerate(a.files):
        yield from walk(pf, f"files[{fi}]", "Ⅱ", fi + 1, "", "", "", [], "")
    for fi, fr in enumerate(a.risks):
        for si, sec in enumerate(fr.sections):
            n = K.ascii_no(sec.no)
            canon = f"Ⅲ-{n}" if n in C.RISK_TITLES else K.canonical_section("Ⅲ", n, sec.title)
            sp = f"risks[{fi}].sections[{si}]"
            for k, rk in enumerate(sec.risks, 1):
                rid = K.risk_id(n, rk.title)
                for q, it in enumerate(rk.items, 1):
                    if it.text is None:
                        continue
                    qk = K.question_id(it.label)
                    prefix = f"Ⅲ-4/R{_ENTRUST_Q[qk]}" if n == "4" and qk in _ENTRUST_Q else rid
                    key = f"{prefix}/{qk}" + ("/text" if it.answer is not None else "")
                    yield f"{sp}.risks[{k - 1}].items[{q - 1}].text", dict(
                        key=key, file_no=fi + 1, item="", group=_group("Ⅲ", key, sec.title),
                        label=f"{rk.title}　{it.label}",
                        value=it.text, anchor=A.risk_item(fi + 1, sec.no, k, q))
            for q, it in enumerate(sec.items, 1):
                if it.text is None:
                    continue
                key = f"{canon}/{K.question_id(it.label)}" + ("/text" if it.answer is not None else "")
                yield f"{sp}.items[{q - 1}].text", dict(key=key, file_no=fi + 1, item="", group=_group("Ⅲ", key, sec.title),
                                                        label=it.label, value=it.text, anchor=A.risk_section_item(fi + 1, sec.no, q))
    for part, attr, anchor_fn in (("Ⅳ", "other_measures", A.other_measure), ("Ⅴ", "disclosure", A.disclosure)):
        for s, sec in enumerate(getattr(a, attr), 1):
            canon = K.canonical_section(part, sec.no or s, sec.title)
            for q, it in enumerate(sec.items, 1):
                if it.text is None:
                    continue
                key = f"{canon}/{K.question_id(it.label)}" + ("/text" if it.answer is not None else "")
                yield f"{attr}[{s - 1}].items[{q - 1}].text", dict(key=key, file_no=0, item="", group=_group(part, key, sec.title),
                                                                   label=it.label, value=it.text, anchor=anchor_fn(s, q))


def rows(a: S.Assessment) -> list[Row]:
    """Every row of one assessment, in the page's order: choice and tick answers (their formkeys key and
    anchor) and free-text items.  別添3 変更箇所 is left out (the history of one document, not an item)."""
    notes = _Notes(a.transcription_notes)
    found: list[tuple[str, dict[str, Any]]] = []
    for x in K.answers(a):
        if x.section == "別添3" or any(f".{n}[" in x.path for n in _ANNEXES):
            continue  # 変更箇所: the history of one document; 別紙の一覧: one row of names (_text_rows)
        value = x.answer + (f"\n{x.detail}" if x.detail else "")
        part = _PARTS.get(re.split(r"[.\[]", x.path, maxsplit=1)[0], "")
        label = f"{x.risk_title}　{x.question}" if x.risk_title and x.key.startswith("Ⅲ-") and x.risk else x.question
        if x.item and not label.startswith(x.item):
            label = f"{x.item} {label}"
        found.append((x.path, dict(key=x.key, file_no=x.file_no, item=x.item, group=_group(part, x.key, x.section_title),
                                   label=label, value=value, anchor=x.anchor, kind=x.kind)))
    found.extend((p, {**d, "kind": "text"}) for p, d in _text_rows(a, notes))
    found.sort(key=lambda pd: path_order(pd[0]))
    out: list[Row] = []
    seen: dict[str, int] = {}
    for p, d in found:
        if d["key"].startswith("Ⅲ-") and d["file_no"] == 0:  # 様式2 Ⅳ: one answer for the affair, not per file
            d = {**d, "group": f"{d['group']}（事務全体の回答）"}
        base = f"{d['key']}|f{d['file_no']}|{d['item']}"
        seen[base] = seen.get(base, 0) + 1
        rid = base if seen[base] == 1 else f"{base}|{seen[base]}"
        deep = d["kind"] != "text"  # a choice item's notes sit on the item or its answer
        out.append(Row(row_id=rid, notes=notes.kinds(p, deep=deep) or notes.kinds(p.removesuffix(".text")), path=p, **d))
    return out


# ---- the page and its data files -----------------------------------------------------------------


def _doc_head(a: S.Assessment, corpus: Corpus) -> dict[str, Any]:
    m = corpus.municipalities[a.municipality]
    return {"id": a.id, "title": a.cover.title, "municipality": m.name, "prefecture": m.prefecture, "code": a.municipality,
            "form": a.form, "form_version": a.form_version, "affair": a.basic_info.affair.name,
            "published": a.cover.published or "", "status": a.status, "url": A.page_url(m.slug, a.id)}


COLUMNS = ("row_id", "key", "file_no", "item", "group", "label", "kind", "value", "notes", "anchor")


def items_data(a: S.Assessment, corpus: Corpus) -> dict[str, Any]:
    """The JSON the script fetches for one assessment: its head, and its rows as arrays of `COLUMNS`
    (one file per assessment, fetched only when chosen; compact, since there is one per assessment)."""
    return {**_doc_head(a, corpus), "columns": list(COLUMNS),
            "rows": [[getattr(r, c) for c in COLUMNS] for r in rows(a)]}


def _compact_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


FORM_NAMES = {"様式2": "基礎項目評価書", "様式3": "重点項目評価書", "様式4": "全項目評価書"}


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    by_city: dict[str, list[S.Assessment]] = {}
    for a in corpus.assessments:
        by_city.setdefault(a.municipality, []).append(a)
        yield Asset(f"{ITEMS_DIR}/{a.id}.json", _compact_json(items_data(a, corpus)))
    cities = []
    for code, docs in sorted(by_city.items()):
        m = corpus.municipalities[code]
        docs = sorted(docs, key=lambda d: (d.form, d.basic_info.affair.name, d.id))
        yield Asset(f"{CITIES_DIR}/{m.slug}.json", _compact_json([_doc_head(d, corpus) for d in docs]))
        cities.append({"code": code, "name": m.name, "prefecture": m.prefecture, "slug": m.slug, "count": len(docs),
                       "href": rel_url(url_of(A.municipality_path(m.slug)), BASE)})
    context = {
        "cities": cities,
        "max_chosen": MAX_CHOSEN,
        "forms": FORM_NAMES,
        "css": rel_url(CSS, BASE),
        "js": rel_url(JS, BASE),
        "root": rel_url("", BASE),
        "home": rel_url("", BASE),
        "answers_csv": rel_url("data/answers.csv", BASE),
        "data_page": rel_url("data/", BASE),
    }
    yield Page(PAGE, "並べて比べる", render("sidebyside.md", **context), in_nav=True, data=plain(context))
