"""The compare view: cross-city comparison pages, computed from the open data's rows (hyoka.export.Rows: the
same `entrustments`, `retention` and `answers` rows as data/*.csv, one source for both).

    compare/index.md        overview: key figures and charts (SVG, bars link to the filtered tables)
    compare/contractors.md  委託先: company → cities, assessments, 委託事項, 再委託; city → companies
    compare/retention.md    保管期間: every file grouped by the official choices, with a chart
    compare/risks.md        リスク対策: risk × assessment matrix, counts per answer per city, issues list

Pages that do not grow with the corpus: the assessments are cut into parts of at most `ctx.compare_part`
(PART_ASSESSMENTS) assessments, whole municipalities in code order (prefecture by prefecture; a municipality
with more is cut into slices of its own).  With one part the four pages are as above.  With more, the
contractors, retention and risks pages are national summaries (per company, per period, per city: bounded by
the number of companies, choices and cities, not of assessments) that link the part pages
(`compare/contractors-<k>.md` …, not in the navigation), each the page above for its part's assessments; each
part's rows are read, shown and let go before the next (`Totals` keeps the national counts).

Data preparation is here; the markup is in templates/compare_*.md and compare.html.  Each page's JSON twin
(`Page.data`, `compare/<page>/index.json`) is its context.  Every filterable table names the open-data
table its rows come from (`csv`: columns and rows, embedded once per page) and each of its rows the indices
of its underlying rows, so 「表示中の行を CSV でダウンロード」 writes those rows (permalinks included) by
the one CSV rule (hyoka/csvout.py, its twin in static/hyoka-filter.js), never screen text.

No MkDocs and no Whoosh here.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any, Iterator

from markupsafe import Markup

from .. import anchors as A
from .. import fields
from .. import formkeys
from ..choices import EFFORT, RETENTION, SUBCONTRACT_EFFORT, SUFFICIENCY
from ..documents import NO_RETENTION, risk_display_title, risk_key
from ..export import TABLES, Rows
from ..filterform import filter_form, select
from ..filterform import head as filter_head
from ..htmlkit import rel_url, url_of
from ..loader import Corpus
from ..site import Page, SiteContext
from ..templating import render
from .twin import plain

NAME = "compare"
INDEX = "compare/index.md"
CONTRACTORS = "compare/contractors.md"
RETENTION_PAGE = "compare/retention.md"
RISKS = "compare/risks.md"

PART_ASSESSMENTS = 50  # assessments per comparison part page (SiteContext.compare_part; mkdocs.yml `compare_part`)

# answer → (css class, symbol): colour is never the only cue
STRONG = {"特に力を入れている", "特に力を入れて行っている"}
ISSUE = {"課題が残されている", "十分に行っていない"}
NO_ANSWER = "記載なし"
_ANSWER_ORDER = [*SUFFICIENCY, *EFFORT, *SUBCONTRACT_EFFORT, NO_ANSWER]


def answer_style(answer: str | None) -> tuple[str, str]:
    if not answer:
        return "hyoka-ans-none", "－"
    if answer in STRONG or answer.startswith("特に力を入れて"):
        return "hyoka-ans-strong", "◎"
    if answer in ISSUE or answer.startswith("十分に") and answer.endswith("ない"):
        return "hyoka-ans-issue", "▲"
    return "hyoka-ans-ok", "○"


def badge(answer: str | None, href: str | None = None, title: str = "", prefix: str = "") -> dict:
    cls, sym = answer_style(answer)
    return {"cls": cls, "text": f"{prefix}{sym} {answer or NO_ANSWER}", "answer": answer or NO_ANSWER, "href": href, "title": title}


def answer_order(a: str) -> tuple[int, str]:
    return (_ANSWER_ORDER.index(a) if a in _ANSWER_ORDER else len(_ANSWER_ORDER), a)


# ---- shared ----------------------------------------------------------------------------------------


class _Site:
    """The corpus as the compare pages need it: assessments by id, links relative to one page."""

    def __init__(self, corpus: Corpus, ctx: SiteContext):
        self.corpus = corpus
        self.site_url = ctx.site_url or ""
        self.docs = corpus.doc_map()  # (a lazy corpus reads each when it is looked up)

    def slug(self, aid: str) -> str:
        code = self.corpus.municipality_of(aid)  # (no model read)
        if code is None:
            raise KeyError(aid)
        return self.corpus.municipalities[code].slug

    def doc(self, aid: str, base: str) -> dict:
        d = self.docs[aid]
        return {"id": aid, "title": d.cover.title, "form": d.form, "href": rel_url(A.permalink(self.slug(aid), aid), base)}

    def href(self, permalink: str, base: str) -> str:
        """A row's permalink (site_url + site-relative path, hyoka.export.Rows.link) as seen from `base`."""
        return rel_url(permalink.removeprefix(self.site_url) if self.site_url else permalink, base)


class Part:
    """Some municipalities' assessments (`docs`: what hyoka.export.Rows.documents() yields for them, in corpus
    order), shown on one page of each table.  `no` 0: the whole corpus (one part, the pages as they always were)."""

    def __init__(self, no: int, docs: list, label: str, codes: list[str]):
        self.no, self.docs, self.label, self.codes = no, docs, label, codes
        self.prev: Part | None = None
        self.next: Part | None = None
        self.total = 1

    def path(self, page: str) -> str:
        """compare/risks.md → compare/risks-<no>.md, findings/index.md → findings/part-<no>.md (the same
        folder: the pages' relative links stay right)."""
        if self.no == 0:
            return page
        if page == "index.md" or page.endswith("/index.md"):
            return page.removesuffix("index.md") + f"part-{self.no}.md"
        return page.removesuffix(".md") + f"-{self.no}.md"

    def links(self, page: str, title: str, base: str) -> dict:
        """What a part page shows above its tables: which part of how many, the national page, the neighbours."""
        def link(p: Part | None) -> dict | None:
            return None if p is None else {"href": rel_url(url_of(p.path(page)), base), "label": p.label, "no": p.no}
        return {"no": self.no, "of": self.total, "label": self.label, "assessments": len(self.docs),
                "national": {"href": rel_url(url_of(page), base), "title": title}, "prev": link(self.prev), "next": link(self.next)}

    def row(self, page: str, base: str) -> dict:
        """This part in the national page's list of parts."""
        return {"no": self.no, "label": self.label, "cities": len(self.codes), "city_codes": self.codes,
                "assessments": len(self.docs), "href": rel_url(url_of(self.path(page)), base)}


def parts_of(rows: Rows, size: int | None) -> list[Part]:
    """The corpus's assessments in parts of at most `size` (None: PART_ASSESSMENTS): whole municipalities in code
    order while they fit, a municipality with more than `size` alone in slices of `size`.  One part (no 0) when
    all fit in one."""
    size = max(1, int(size or PART_ASSESSMENTS))
    docs = list(rows.documents())
    if len(docs) <= size:
        return [Part(0, docs, "", sorted({d.municipality for d in docs}))]
    munis = rows.corpus.municipalities
    by_city: dict[str, list] = defaultdict(list)
    for d in docs:  # (corpus order within a municipality)
        by_city[d.municipality].append(d)
    groups: list[tuple[list, list[str], str]] = []  # (docs, city codes, slice label)
    current: list = []
    codes: list[str] = []

    def flush() -> None:
        nonlocal current, codes
        if current:
            groups.append((current, codes, ""))
        current, codes = [], []

    for code in sorted(by_city):
        city = by_city[code]
        if len(city) > size:
            flush()
            k = -(-len(city) // size)
            for i in range(k):
                groups.append((city[i * size:(i + 1) * size], [code], f"（{i + 1}/{k}）"))
        else:
            if len(current) + len(city) > size:
                flush()
            current += city
            codes.append(code)
    flush()
    order = {d.id: i for i, d in enumerate(docs)}
    out = []
    for no, (part_docs, part_codes, tail) in enumerate(groups, 1):
        first, last = munis[part_codes[0]], munis[part_codes[-1]]
        label = (f"{first.prefecture} {first.name}" if first is last
                 else f"{first.prefecture} {first.name}〜{'' if last.prefecture == first.prefecture else last.prefecture + ' '}{last.name}")
        out.append(Part(no, sorted(part_docs, key=lambda d: order[d.id]), label + tail, part_codes))
    for a, b in zip(out, out[1:]):
        a.next, b.prev = b, a
    for p in out:
        p.total = len(out)
    return out


class PartRows:
    """hyoka.export.Rows for one part's assessments: the same rows, read per document (so a part's are all
    that is held)."""

    def __init__(self, rows: Rows, part: Part):
        self.rows, self.part, self.corpus = rows, part, rows.corpus

    def models(self) -> Iterator[Any]:
        from ..schema import Assessment

        for d in self.part.docs:
            yield d if isinstance(d, Assessment) else self.corpus.assessments.get(d.id)

    def entrustment_sources(self):
        for doc in self.models():
            yield from self.rows._entrustment_pairs(doc)

    def retention(self):
        for d in self.part.docs:
            yield from self.rows.document_rows(d)["retention"]

    def answers(self):
        for d in self.part.docs:
            yield from self.rows.document_rows(d)["answers"]


def script_json(value: Any) -> Markup:
    """JSON to put inside <script type="application/json">: `<`, `>`, `&` and `'` as \\u escapes (as Jinja's
    tojson does), so no text from content/ can close the script or open a comment; other characters as they are."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(ch, esc)
    return Markup(text)


def _csv(table: str, rows: list[dict]) -> dict:
    """An open-data table's columns (hyoka.export.TABLES) and these rows as lists: what the CSV button writes
    (`_json`: the same, for the page's script element; the JSON twin holds the values)."""
    cols = [c for c, _ in TABLES[table][1]]
    out = {"table": table, "columns": cols, "rows": [[r.get(c) for c in cols] for r in rows]}
    return {**out, "_json": script_json({"columns": cols, "rows": out["rows"]})}


def _options(counter: Counter, order=None, label=None) -> list[tuple[str, str, int]]:
    items = sorted(counter.items(), key=(lambda kv: order(kv[0])) if order else None)
    return [(k, label(k) if label else k, n) for k, n in items]


def _city_options(pairs) -> list[tuple[str, str, int]]:
    c = Counter(pairs)
    return [(code, name, n) for (code, name), n in sorted(c.items())]


def _open_data(table: str) -> dict:
    return {"name": table, "title": TABLES[table][0]}


def _page(path: str, title: str, template: str, context: dict, placeholder: str, selects: list,
          part: Part | None = None) -> Page:
    """A table page at `path`: the whole corpus's (part None or no 0, in the navigation) or one part's (at
    part.path(path), its title saying which; `part` in its context links the national page and the parts
    before and after)."""
    if part is not None and part.no:
        own = part.path(path)
        context = {**context, "part": part.links(path, title, url_of(own))}
        path, title = own, f"{title}（{part.label}）"
    base = url_of(path)
    context = {**context, "title": title, "_head": Markup(filter_head(base)),
               "_filters": Markup(filter_form(selects, placeholder=placeholder))}
    md = render(template, **context, head=context["_head"], filters=context["_filters"])
    return Page(path, title, md, in_nav=part is None or not part.no, data=plain(context))


def _placeholder(words: list[str]) -> str:
    """「例: …」 with the first word that some row holds (the placeholder must give results)."""
    for w in words:
        if w:
            return f"例: {w}"
    return ""


# ---- contractors -----------------------------------------------------------------------------------


def contractor_data(rows: PartRows, site: _Site, base: str) -> dict[str, Any]:
    """Company groups (several cities first) with their 委託事項, from the open data's `entrustments` rows."""
    table: list[dict] = []
    groups: dict[str, list[tuple[int, dict, Any]]] = defaultdict(list)
    no_name: list[tuple[int, dict, Any]] = []
    for row, src in rows.entrustment_sources():
        i = len(table)
        table.append(row)
        (groups[src.mention.group_id] if src.mention else no_name).append((i, row, src))
    companies = []
    for gid, items in groups.items():
        m0 = items[0][2].mention
        cities = sorted({(r["municipality_code"], r["municipality"]) for _, r, _ in items})
        mentions = []
        for i, r, src in sorted(items, key=lambda x: x[1]["municipality_code"]):  # by city code, then as in the data
            e = src.item
            mentions.append({
                "row": i, "city": r["municipality_code"], "city_name": r["municipality"], "doc": site.doc(r["assessment_id"], base),
                "file": r["file"], "item_href": site.href(r["permalink"], base),
                "item_no": f"委託事項{e.no}", "item_label": f"委託事項{e.no} {r['item'] or ''}".rstrip(), "printed": src.mention.original,
                "branch": src.mention.branch, "subcontract": r["subcontract"], "subcontract_items": e.subcontract_items or "",
            })
        companies.append({
            "id": gid, "name": m0.display_name, "known": m0.company is not None,
            "corporate_number": m0.company.corporate_number if m0.company else None,
            "spellings": sorted({src.mention.original for _, _, src in items}),
            "cities": [{"code": c, "name": n} for c, n in cities],
            "city_codes": [c for c, _ in cities],
            "assessments": sorted({r["assessment_id"] for _, r, _ in items}),
            "forms": sorted({src.doc.form for _, _, src in items}),
            "rows": [i for i, _, _ in items],
            "mentions": mentions,
        })
    companies.sort(key=lambda c: (-len(c["cities"]), -len(c["assessments"]), -len(c["mentions"]), c["name"]))
    per_city: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in companies:
        for m in c["mentions"]:
            per_city[(m["city"], m["city_name"])][c["id"]].append((c, m))
    by_city = []
    for (code, cname), comps in sorted(per_city.items()):
        for cid, items in sorted(comps.items(), key=lambda kv: kv[1][0][0]["name"]):
            by_city.append({
                "city": code, "city_name": cname, "company": cid, "name": items[0][0]["name"],
                "forms": sorted({m["doc"]["form"] for _, m in items}), "n_assessments": len({m["doc"]["id"] for _, m in items}),
                "links": [{"href": m["item_href"], "text": f'{m["doc"]["title"]} {m["item_no"]}'} for _, m in items],
                "rows": [m["row"] for _, m in items],
            })
    return {
        "companies": companies,
        "by_city": by_city,
        "unknown": sorted({s for c in companies if not c["known"] for s in c["spellings"]}),
        "no_name": [{"row": i, "city": r["municipality_code"], "city_name": r["municipality"], "doc": site.doc(r["assessment_id"], base),
                     "item_href": site.href(r["permalink"], base), "item_label": f"委託事項{src.item.no} {r['item'] or ''}".rstrip(),
                     "printed": r["contractor"] or "（空欄）"} for i, r, src in no_name],
        "csv": _csv("entrustments", table),
    }


def _company_filter(companies: list[dict], count) -> tuple[Any, list[str]]:
    """The 委託先 select (unregistered spellings marked, `count(company)` per option) and the words for the
    placeholder (names without 株式会社 and the like)."""
    options = [(c["id"], c["name"] + ("" if c["known"] else "（未登録）"), count(c)) for c in companies]
    return select("company", fields.label("company"), options), [re.sub(r"株式会社|（株）|㈱|\s", "", c["name"]) for c in companies]


def contractors_page(data: dict, part: Part | None = None) -> Page:
    companies = data["companies"]
    mentions = [m for c in companies for m in c["mentions"]]
    company, words = _company_filter(companies, lambda c: len(c["mentions"]))
    selects = [
        select("city", fields.label("city"), _city_options((m["city"], m["city_name"]) for m in mentions)),
        select("form", fields.label("form"), _options(Counter(m["doc"]["form"] for m in mentions))),
        company,
        select("subcontract", fields.label("subcontract"), _options(Counter(m["subcontract"] for m in mentions if m["subcontract"]))),
    ]
    return _page(CONTRACTORS, "委託先の比較", "compare_contractors.md",
                 {**data, "open_data": _open_data("entrustments")}, _placeholder(words), selects, part)


# ---- retention -------------------------------------------------------------------------------------


def retention_data(rows: PartRows, site: _Site, base: str) -> dict[str, Any]:
    table = list(rows.retention())
    groups: dict[str, list[dict]] = {k: [] for k in [*RETENTION, NO_RETENTION]}
    for i, r in enumerate(table):
        period = r["retention"] or NO_RETENTION
        groups.setdefault(period, []).append({
            "row": i, "city": r["municipality_code"], "city_name": r["municipality"], "doc": site.doc(r["assessment_id"], base),
            "file": r["file"], "file_href": site.href(r["permalink"], base), "period": period, "reason": r["reason"] or "（記載なし）",
        })
    order = list(groups)
    return {
        "groups": [{"period": k, "id": f"retention-{order.index(k)}", "files": sorted(v, key=lambda f: f["city"])}  # by city code
                   for k, v in groups.items() if v],
        "counts": [{"label": k, "value": len(v), "href": "?" + _query(retention=k)} for k, v in groups.items() if k != NO_RETENTION or v],
        "total": len(table),
        "csv": _csv("retention", table),
    }


def retention_page(data: dict, part: Part | None = None) -> Page:
    files = [f for g in data["groups"] for f in g["files"]]
    selects = [
        select("city", fields.label("city"), _city_options((f["city"], f["city_name"]) for f in files)),
        select("form", fields.label("form"), _options(Counter(f["doc"]["form"] for f in files))),
        select("retention", fields.label("retention"), [(c["label"], c["label"], c["value"]) for c in data["counts"] if c["value"]]),
    ]
    common = Counter(f["period"] for f in files).most_common(1)
    chart = chart_view("retention-chart", "保管期間の分布", f"ファイル {data['total']} 件", data["counts"], "件")
    return _page(RETENTION_PAGE, "保管期間の比較", "compare_retention.md",
                 {**data, "chart": chart, "open_data": _open_data("retention")},
                 _placeholder([common[0][0] if common else ""]), selects, part)


# ---- risks -----------------------------------------------------------------------------------------


_PATH_PART = re.compile(r"([a-z_0-9]+)(?:\[(\d+)\])?")


def _at(obj: Any, path: str) -> Any:
    """The model object at a path of hyoka.formkeys (`risks[0].sections[1].items[2]`)."""
    for part in path.split("."):
        m = _PATH_PART.fullmatch(part)
        if not m:
            return None
        obj = getattr(obj, m.group(1), None)
        if m.group(2) is not None:
            obj = obj[int(m.group(2))] if obj is not None and int(m.group(2)) < len(obj) else None
        if obj is None:
            return None
    return obj


def risk_data(rows: PartRows, site: _Site, base: str) -> dict[str, Any]:
    """One row per risk id (hyoka.formkeys), one column per assessment with Ⅲ or 様式2's Ⅳ risk questions.

    A cell is an `answers` row whose key is `<risk id>/リスクへの対策は十分か`: a risk block's own question,
    Ⅲ-4's shared answer of the five 委託 risks (`Ⅲ-4/R1-5`) or 様式2 Ⅳ's 「…への対策は十分か」.  A risk block
    printed without that question is a cell too (「記載なし」, linked to the block)."""
    table: list[dict] = []
    suff = f"/{formkeys.SUFFICIENCY_QUESTION}"
    by_path: dict[tuple[str, str], int] = {}
    cells: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    titles: dict[str, str] = {}
    notable: list[tuple[int, dict]] = []
    block_answers: list[tuple[str, str, str]] = []  # (city, city_name, answer) of every risk block
    for r in rows.answers():
        is_cell = bool(r["risk"]) and r["key"] == r["risk"] + suff
        is_notable = r["answer"] in STRONG | ISSUE and r["section"][:1] in ("Ⅲ", "Ⅳ")
        if not (is_cell or is_notable):
            continue
        table.append(r)
        if is_cell:
            by_path[(r["assessment_id"], r["path"])] = len(table) - 1
        if is_notable:
            notable.append((len(table) - 1, r))
    used: set[tuple[str, str]] = set()

    def cell(aid: str, rid: str, file_no: int, file: str, label: str, row: int | None, anchor: str) -> None:
        r = table[row] if row is not None else None
        cells[rid][aid].append({"row": row, "file_no": file_no, "file": file, "answer": (r["answer"] if r else "") or "",
                                "href": rel_url(A.permalink(site.slug(aid), aid, anchor), base), "label": label})

    for doc in rows.models():
        for fi, fr in enumerate(doc.risks):
            for si, sec in enumerate(fr.sections):
                for k, rk in enumerate(sec.risks):
                    rid = risk_key(sec.no, rk.title)
                    titles.setdefault(rid, risk_display_title(rk.title, sec.no))
                    path = f"risks[{fi}].sections[{si}].risks[{k}]"
                    q = next((q for q, it in enumerate(rk.items)
                              if formkeys.question_id(it.label) == formkeys.SUFFICIENCY_QUESTION), None)
                    row = by_path.get((doc.id, f"{path}.items[{q}]")) if q is not None else None
                    if q is not None:
                        used.add((doc.id, f"{path}.items[{q}]"))
                    anchor = A.risk_item(fi + 1, sec.no, k + 1, q + 1) if q is not None else A.risk(fi + 1, sec.no, k + 1)
                    cell(doc.id, rid, fi + 1, fr.file_name, rk.title, row, anchor)
                    m = site.corpus.municipalities[doc.municipality]
                    block_answers.append((m.code, m.name, (table[row]["answer"] if row is not None else "") or NO_ANSWER))
    for (aid, path), i in by_path.items():  # answers outside a risk block that answer for a risk
        if (aid, path) in used:
            continue
        r = table[i]
        titles.setdefault(r["risk"], formkeys.risk_label(r["risk"]))
        cell(aid, r["risk"], r["file_no"], r["file"], r["question"], i, _anchor_of(r, site))
    col_ids = sorted({aid for by in cells.values() for aid in by}, key=lambda a: (site.corpus.municipality_of(a), a))
    columns = []
    for aid in col_ids:
        d = site.docs[aid]
        m = site.corpus.municipalities[d.municipality]
        columns.append({"aid": aid, "city": m.code, "city_name": m.name, "form": d.form, "form_version": d.form_version,
                        "title": d.cover.title, "href": rel_url(A.permalink(m.slug, aid), base)})
    matrix = []
    for rid in sorted(cells, key=formkeys.risk_order):
        part = rid.split("/")[0]
        out_cells = []
        for c in columns:
            found = cells[rid].get(c["aid"], [])
            out_cells.append({
                "col": c, "present": bool(found),
                "answers": sorted({x["answer"] or NO_ANSWER for x in found}),
                "rows": [x["row"] for x in found if x["row"] is not None],
                "badges": [badge(x["answer"] or None, x["href"], f'{c["city_name"]} {c["title"]} {x["file"]} {x["label"]}',
                                 f'ファイル{x["file_no"]}: ' if len(found) > 1 else "") for x in found],
            })
        matrix.append({"key": rid, "title": titles[rid], "part": part,
                       "section_title": formkeys.SECTION_TITLES.get(part, ""), "cells": out_cells})
    # counts per answer per city (risk blocks)
    counts: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, str] = {}
    for code, name, ans in block_answers:
        counts[code][ans] += 1
        names[code] = name
    answer_cols = sorted({a for c in counts.values() for a in c}, key=answer_order)
    count_rows = [{"city": code, "city_name": names[code], "counts": [counts[code].get(a, 0) for a in answer_cols],
                   "total": sum(counts[code].values())} for code in sorted(counts)]
    # every 課題 and 特に力を入れている
    lists = []
    for tid, title, values in (("issues", "課題が残されている回答", ISSUE), ("strong", "特に力を入れている回答", STRONG)):
        items = []
        for i, r in notable:
            if r["answer"] not in values:
                continue
            doc = site.docs[r["assessment_id"]]
            item = _at(doc, r["path"])
            if r["risk"] and ".risks[" in r["path"]:  # a question of a risk block: the form's title of the risk
                rt = risk_display_title(r["risk_title"], r["section"].split("-")[-1])
            else:
                rt = formkeys.risk_label(r["risk"]) if r["risk"] else ""
            items.append({
                "row": i, "city": r["municipality_code"], "city_name": r["municipality"], "doc": site.doc(doc.id, base),
                "where": f'{r["section"]} {rt}'.strip(), "section": r["key"].split("/")[0], "answer": r["answer"],
                "item_href": site.href(r["permalink"], base), "question": r["question"],
                "badge": badge(r["answer"], None, r["question"]), "text": (getattr(item, "text", None) or "") if item is not None else "",
                "_sort": (r["municipality_code"], doc.id, r["file_no"], r["key"]),
            })
        items.sort(key=lambda x: x["_sort"])
        lists.append({"id": tid, "title": title, "entries": items})
    return {
        "columns": columns, "matrix": matrix,
        "answer_cols": [badge(a if a != NO_ANSWER else None, None, a) for a in answer_cols], "answer_names": answer_cols,
        "count_rows": count_rows, "lists": lists,
        "csv": _csv("answers", table),
    }


def _anchor_of(r: dict, site: _Site) -> str:
    link = r["permalink"].removeprefix(site.site_url) if site.site_url else r["permalink"]
    return link.split("#", 1)[1] if "#" in link else ""


def risks_page(data: dict, part: Part | None = None) -> Page:
    cells = [c for r in data["matrix"] for c in r["cells"] if c["present"]]
    answers = Counter(a for c in cells for a in _cell_answer_list(c))
    selects = [
        select("city", fields.label("city"), _city_options((c["col"]["city"], c["col"]["city_name"]) for c in cells for _ in c["badges"])),
        select("form", fields.label("form"), _options(Counter(c["col"]["form"] for c in cells for _ in c["badges"]))),
        select("answer", fields.label("answer"), _options(answers, order=answer_order)),
        select("section", fields.label("section"), sorted({(r["part"], f'{r["part"]} {r["section_title"]}', 0) for r in data["matrix"]})),
    ]
    return _page(RISKS, "リスク対策の比較", "compare_risks.md", {**data, "open_data": _open_data("answers")},
                 _placeholder(["課題" if any(lst["entries"] for lst in data["lists"] if lst["id"] == "issues") else "十分"]), selects,
                 part)


def _cell_answer_list(cell: dict) -> list[str]:
    """One answer per badge of a cell (「記載なし」 for none)."""
    return [b["answer"] for b in cell["badges"]]


# ---- overview --------------------------------------------------------------------------------------


def _query(**params: str) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def chart_view(cid: str, title: str, summary: str, bars: list[dict], unit: str) -> dict:
    """A horizontal bar chart (templates/compare.html `chart`): a label line above each bar, so long names fit
    a phone; the SVG is never drawn narrower than its view box (labels stay ≥ 12 px)."""
    width, label_h, bar_h, gap, top = 340, 16, 14, 8, 4
    peak = max([b["value"] for b in bars] + [1])
    bar_w = width - 64
    out = []
    for i, b in enumerate(bars):
        y = top + i * (label_h + bar_h + gap)
        w = round(bar_w * b["value"] / peak) if b["value"] else 0
        label = b["label"] if len(b["label"]) <= 26 else b["label"][:25] + "…"
        out.append({**b, "short": label, "y_label": y + 12, "y_bar": y + label_h, "w": w, "h": bar_h,
                    "x_value": w + 6, "y_value": y + label_h + bar_h - 2})
    height = top + len(bars) * (label_h + bar_h + gap) + 4
    for b in out:  # the link over each bar (label line and bar), in % of the chart's height
        b["top_pct"] = round(100 * (b["y_label"] - 12) / height, 3)
        b["height_pct"] = round(100 * (label_h + bar_h + 2) / height, 3)
    return {"id": cid, "title": title, "desc": f"{summary}: " + "、".join(f'{b["label"]} {b["value"]} {unit}' for b in bars),
            "summary": summary, "width": width, "height": height, "bars": out, "unit": unit}


class Totals:
    """The national figures, added up part by part (each part's assessments are in no other part): what the
    overview and, with more than one part, the national summary pages show.  Bounded by the number of
    companies, cities, risks and choices, not of assessments."""

    def __init__(self) -> None:
        self.companies: dict[str, dict] = {}  # id → name, known, corporate number, city codes, counts
        self.retention: dict[str, int] = {k: 0 for k in [*RETENTION, NO_RETENTION]}
        self.files = 0
        self.answers: Counter = Counter()  # answer → cells (the risk matrix's badges)
        self.risks: dict[str, dict] = {}  # risk id → title, part, section title, Counter of answers
        self.issues = 0
        self.columns = 0
        self.city_counts: dict[str, Counter] = defaultdict(Counter)  # city → answer → risk blocks
        self.city_names: dict[str, str] = {}
        self.no_name = 0
        self.unknown: set[str] = set()

    def add(self, contractors: dict, retention: dict, risks: dict) -> None:
        for c in contractors["companies"]:
            t = self.companies.get(c["id"])
            if t is None:
                t = self.companies[c["id"]] = {"id": c["id"], "name": c["name"], "known": c["known"],
                                               "corporate_number": c["corporate_number"], "cities": {},
                                               "assessments": 0, "mentions": 0, "forms": set()}
            t["cities"].update((x["code"], x["name"]) for x in c["cities"])
            t["assessments"] += len(c["assessments"])
            t["mentions"] += len(c["mentions"])
            t["forms"].update(c["forms"])
        self.no_name += len(contractors["no_name"])
        self.unknown.update(contractors["unknown"])
        for g in retention["groups"]:
            self.retention[g["period"]] = self.retention.get(g["period"], 0) + len(g["files"])
        self.files += retention["total"]
        for r in risks["matrix"]:
            t = self.risks.setdefault(r["key"], {"key": r["key"], "title": r["title"], "part": r["part"],
                                                 "section_title": r["section_title"], "answers": Counter()})
            for c in r["cells"]:
                got = _cell_answer_list(c)
                self.answers.update(got)
                t["answers"].update(got)
        self.issues += sum(len(lst["entries"]) for lst in risks["lists"] if lst["id"] == "issues")
        self.columns += len(risks["columns"])
        for row in risks["count_rows"]:
            self.city_names[row["city"]] = row["city_name"]
            for a, n in zip(risks["answer_names"], row["counts"]):
                if n:
                    self.city_counts[row["city"]][a] += n

    def company_list(self) -> list[dict]:
        """The companies as the contractors page orders them (several cities first)."""
        out = [{**c, "cities": [{"code": k, "name": v} for k, v in sorted(c["cities"].items())],
                "city_codes": sorted(c["cities"]), "forms": sorted(c["forms"])} for c in self.companies.values()]
        out.sort(key=lambda c: (-len(c["cities"]), -c["assessments"], -c["mentions"], c["name"]))
        return out

    def retention_counts(self) -> list[dict]:
        return [{"label": k, "value": v, "href": "?" + _query(retention=k)}
                for k, v in self.retention.items() if k != NO_RETENTION or v]


def index_page(corpus: Corpus, totals: Totals, base: str) -> Page:
    companies = totals.company_list()
    shared = [c for c in companies if len(c["cities"]) > 1]
    per_city = Counter(d.municipality for d in corpus.summaries())
    cities = [{"label": corpus.municipalities[code].name, "value": n,
               "href": rel_url(f"{corpus.municipalities[code].slug}/", base)}
              for code, n in sorted(per_city.items())]
    contr = url_of(CONTRACTORS)
    ret = url_of(RETENTION_PAGE)
    rsk = url_of(RISKS)
    shared_bars = [{"label": c["name"], "value": len(c["cities"]), "href": rel_url(contr, base) + "?" + _query(company=c["id"])}
                   for c in shared]
    ret_bars = [{**c, "href": rel_url(ret, base) + c["href"]} for c in totals.retention_counts()]
    ans = totals.answers
    ans_bars = [{"label": a, "value": n, "href": rel_url(rsk, base) + "?" + _query(answer=a)}
                for a, n in sorted(ans.items(), key=lambda kv: answer_order(kv[0])) if a not in ("十分である", NO_ANSWER)]
    n_blank = ans.get(NO_ANSWER, 0)  # risks printed without the question, or left blank: not an answer
    n_issue = totals.issues
    figures = [
        {"label": "団体", "value": len(per_city), "unit": "団体"},
        {"label": "評価書", "value": len(corpus.assessments), "unit": "件"},
        {"label": "委託先", "value": len(companies), "unit": "社", "note": f"うち複数の都市 {len(shared)} 社"},
        {"label": "特定個人情報ファイル", "value": totals.files, "unit": "件"},
        {"label": "「十分である」以外の回答", "value": sum(b["value"] for b in ans_bars), "unit": "件",
         "note": "リスクへの対策は十分か" + (f"。記載のないリスク {n_blank} 件を除く" if n_blank else "")},
        {"label": "課題が残されている回答", "value": n_issue, "unit": "件"},
    ]
    charts = [
        {**chart_view("chart-cities", "団体ごとの評価書の数", f"{len(per_city)} 団体・評価書 {len(corpus.assessments)} 件", cities, "件"),
         "what": "団体", "note": "棒を選ぶと、その団体のページを開きます。"},
        {**chart_view("chart-shared", "複数の都市で使われている委託先", f"{len(shared)} 社", shared_bars, "都市"),
         "what": "委託先", "note": "棒を選ぶと、委託先の比較をその会社で絞り込んで開きます。"},
        {**chart_view("chart-retention", "保管期間の分布", f"ファイル {totals.files} 件", ret_bars, "件"),
         "what": "保管期間", "note": "棒を選ぶと、保管期間の比較をその期間で絞り込んで開きます。"},
        {**chart_view("chart-answers", "「リスクへの対策は十分か」の「十分である」以外の回答", f"{sum(b['value'] for b in ans_bars)} 件", ans_bars, "件"),
         "what": "回答", "note": (f"回答の記載がないリスク（{n_blank} 件）は含みません。" if n_blank else "")
         + "棒を選ぶと、リスク対策の比較をその回答で絞り込んで開きます。"},
    ]
    links = [
        {"href": rel_url(contr, base), "title": "委託先の比較",
         "text": f"委託先 {len(companies)} 社（うち複数の都市で使われている会社 {len(shared)} 社）、都市ごとの委託先"},
        {"href": rel_url(ret, base), "title": "保管期間の比較",
         "text": f"特定個人情報ファイル {totals.files} 件の保管期間と妥当性、分布図"},
        {"href": rel_url(rsk, base), "title": "リスク対策の比較",
         "text": f"リスク {len(totals.risks)} 件 × 評価書 {totals.columns} 件の回答表、課題が残されている回答 {n_issue} 件"},
    ]
    context = {"title": "都市間比較", "figures": figures, "charts": charts, "links": links}
    md = render("compare_index.md", **context, head=Markup(filter_head(base)))
    return Page(INDEX, "都市間比較", md, in_nav=True, data=plain(context))


# ---- national summaries (more than one part) -----------------------------------------------------------


def _parts_context(parts: list[Part], page: str) -> list[dict]:
    base = url_of(page)
    return [p.row(page, base) for p in parts]


def contractors_summary(totals: Totals, parts: list[Part]) -> Page:
    companies = totals.company_list()
    company, words = _company_filter(companies, lambda c: c["mentions"])
    selects = [company]
    context = {"companies": companies, "parts": _parts_context(parts, CONTRACTORS), "unknown": sorted(totals.unknown),
               "no_name": totals.no_name, "assessments": sum(len(p.docs) for p in parts), "open_data": _open_data("entrustments")}
    return _page(CONTRACTORS, "委託先の比較", "compare_contractors_all.md", context, _placeholder(words), selects)


def retention_summary(totals: Totals, parts: list[Part]) -> Page:
    counts = totals.retention_counts()
    chart = chart_view("retention-chart", "保管期間の分布", f"ファイル {totals.files} 件", counts, "件")
    selects = [select("retention", fields.label("retention"), [(c["label"], c["label"], c["value"]) for c in counts if c["value"]])]
    common = max(counts, key=lambda c: c["value"]) if counts else None
    context = {"chart": chart, "counts": counts, "total": totals.files, "parts": _parts_context(parts, RETENTION_PAGE),
               "open_data": _open_data("retention")}
    return _page(RETENTION_PAGE, "保管期間の比較", "compare_retention_all.md", context,
                 _placeholder([common["label"] if common and common["value"] else ""]), selects)


def risks_summary(totals: Totals, parts: list[Part]) -> Page:
    def cols(names: list[str]) -> list[dict]:
        return [badge(a if a != NO_ANSWER else None, None, a) for a in names]

    names = sorted({a for c in totals.city_counts.values() for a in c}, key=answer_order)  # (risk blocks, as a part's table)
    count_rows = [{"city": code, "city_name": totals.city_names[code], "counts": [totals.city_counts[code].get(a, 0) for a in names],
                   "total": sum(totals.city_counts[code].values())} for code in sorted(totals.city_counts)]
    cell_names = sorted(totals.answers, key=answer_order)  # (the matrix's cells)
    risk_rows = [{"key": r["key"], "title": r["title"], "part": r["part"], "section_title": r["section_title"],
                  "answers": sorted(r["answers"], key=answer_order), "counts": [r["answers"].get(a, 0) for a in cell_names],
                  "total": sum(r["answers"].values())}
                 for r in sorted(totals.risks.values(), key=lambda r: formkeys.risk_order(r["key"]))]
    selects = [
        select("city", fields.label("city"), [(code, totals.city_names[code], 0) for code in sorted(totals.city_counts)]),
        select("answer", fields.label("answer"), _options(totals.answers, order=answer_order)),
        select("section", fields.label("section"), sorted({(r["part"], f'{r["part"]} {r["section_title"]}', 0) for r in risk_rows})),
    ]
    context = {"answer_cols": cols(names), "answer_names": names, "count_rows": count_rows,
               "cell_cols": cols(cell_names), "cell_names": cell_names, "risk_rows": risk_rows,
               "issues": totals.issues, "columns": totals.columns, "parts": _parts_context(parts, RISKS),
               "open_data": _open_data("answers")}
    return _page(RISKS, "リスク対策の比較", "compare_risks_all.md", context, _placeholder(["課題" if totals.issues else "十分"]), selects)


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    """The view (hyoka.views.VIEWS): the four comparison pages, each with its JSON twin; with more than
    `ctx.compare_part` assessments, national summaries and the part pages (parts_of), one part at a time."""
    rows = Rows.of(corpus, ctx)
    site = _Site(corpus, ctx)
    parts = parts_of(rows, ctx.compare_part)
    totals = Totals()
    whole: list[Page] = []  # one part: its pages follow the overview, as they always did
    for part in parts:  # each part's rows, pages and data let go before the next part
        part_rows = PartRows(rows, part)
        c = contractor_data(part_rows, site, url_of(part.path(CONTRACTORS)))
        r = retention_data(part_rows, site, url_of(part.path(RETENTION_PAGE)))
        k = risk_data(part_rows, site, url_of(part.path(RISKS)))
        totals.add(c, r, k)
        pages = [contractors_page(c, part), retention_page(r, part), risks_page(k, part)]
        del c, r, k
        if part.no:
            yield from pages
        else:
            whole = pages
    yield index_page(corpus, totals, url_of(INDEX))
    if whole:
        yield from whole
        return
    yield contractors_summary(totals, parts)
    yield retention_summary(totals, parts)
    yield risks_summary(totals, parts)
