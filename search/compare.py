"""Cross-city comparison pages (compare/…), generated from the index's facets.

    compare/index.md        overview and links
    compare/contractors.md  委託先: company → cities, assessments, 委託事項, 再委託; city → companies
    compare/retention.md    保管期間: every file grouped by the official choices, with an SVG chart
    compare/risks.md        リスク対策: risk × assessment matrix, counts per answer per city, issues list

Every view is read from the Whoosh index with grouped (faceted) searches, limit=None
(`query.grouped_documents`), never from separate loops over the models.  Each page carries a
filter form (hyoka.filterform, shared with the findings page; assets/hyoka-filter.js) whose state
lives in the URL query string, and a JSON export (compare/*.json) of the same rows.  All text from content/ is HTML-escaped.

No MkDocs here.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from whoosh import query as Q
from whoosh import sorting

from hyoka import anchors as A
from hyoka import fields, formkeys
from hyoka.choices import EFFORT, RETENTION, SUBCONTRACT_EFFORT, SUFFICIENCY
from hyoka.documents import NO_RETENTION
from hyoka.filterform import assets as _filter_assets
from hyoka.filterform import filter_form as _filter_form
from hyoka.filterform import head as _head
from hyoka.filterform import select as _select
from hyoka.htmlkit import block, esc, md_inline, rel_url, url_of
from hyoka.loader import Corpus
from hyoka.site import Asset, Page, SiteContext, register

from .query import grouped_documents

INDEX = "compare/index.md"
CONTRACTORS = "compare/contractors.md"
RETENTION_PAGE = "compare/retention.md"
RISKS = "compare/risks.md"

# answer → (css class, symbol): colour is never the only cue
STRONG = {"特に力を入れている", "特に力を入れて行っている"}
ISSUE = {"課題が残されている", "十分に行っていない"}


def answer_style(answer: str | None) -> tuple[str, str]:
    if not answer:
        return "hyoka-ans-none", "－"
    if answer in STRONG or answer.startswith("特に力を入れて"):
        return "hyoka-ans-strong", "◎"
    if answer in ISSUE or answer.startswith("十分に") and answer.endswith("ない"):
        return "hyoka-ans-issue", "▲"
    return "hyoka-ans-ok", "○"


# ---- small HTML helpers ----------------------------------------------------------------------------


def _attrs(**data: Any) -> str:
    """data-* attributes (values escaped; lists become space-separated)."""
    out = []
    for k, v in data.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple, set)):
            v = " ".join(str(x) for x in v)
        out.append(f' data-{k.replace("_", "-")}="{esc(v)}"')
    return "".join(out)


def _link(href: str, text: str, **kw: str) -> str:
    extra = "".join(f' {k.rstrip("_")}="{esc(v)}"' for k, v in kw.items())
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def _doc_link(base: str, d: dict, anchor: str | None = None, text: str | None = None) -> str:
    target = A.permalink(d["slug"], d["aid"], anchor if anchor is not None else (d.get("anchor") or None))
    return _link(rel_url(target, base), text if text is not None else d.get("title", d["aid"]))


def _city_options(docs: Iterable[dict]) -> list[tuple[str, str, int]]:
    c = Counter((d["city"], d["city_name"]) for d in docs)
    return [(code, name, n) for (code, name), n in sorted(c.items())]


def _form_options(docs: Iterable[dict]) -> list[tuple[str, str, int]]:
    c = Counter(d["form"] for d in docs if d.get("form"))
    return [(f, f, n) for f, n in sorted(c.items())]


def _badge(answer: str | None, href: str | None, title: str, prefix: str = "") -> str:
    cls, sym = answer_style(answer)
    text = f"{prefix}{sym} {answer or '記載なし'}"
    if href:
        return f'<a class="hyoka-ans {cls}" href="{esc(href)}" title="{esc(title)}">{esc(text)}</a>'
    return f'<span class="hyoka-ans {cls}" title="{esc(title)}">{esc(text)}</span>'


def _extra(d: dict) -> dict:
    return json.loads(d["extra"]) if d.get("extra") else {}


# ---- the index ------------------------------------------------------------------------------------


def _open(corpus: Corpus, ctx: SiteContext):
    from .index import open_index, ram_index

    if ctx.index_dir:
        return open_index(Path(ctx.index_dir))
    from hyoka.companies import load_companies

    site_config = Path(getattr(ctx, "site_config_dir", None) or "site_config")
    return ram_index(corpus, load_companies(site_config))


# ---- data of each view (from facets) -----------------------------------------------------------------


def contractor_rows(ix) -> dict[str, Any]:
    """Company groups (several cities first) with their 委託事項, from the `company` facet."""
    groups = grouped_documents(ix, Q.Term("kind", "entrust"), "company", overlap=True)
    all_entrust = grouped_documents(ix, Q.Term("kind", "entrust"), "kind").get("entrust", [])
    companies = []
    for gid, docs in groups.items():
        if not gid:
            continue
        mentions = []
        for d in docs:
            for m in _extra(d).get("mentions", []):
                if m["group"] == gid:
                    mentions.append((d, m))
        if not mentions:
            continue
        first = mentions[0][1]
        cities = sorted({(d["city"], d["city_name"]) for d, _ in mentions})
        companies.append({
            "id": gid,
            "name": first["name"],
            "known": first["known"],
            "corporate_number": first.get("corporate_number"),
            "spellings": sorted({m["original"] for _, m in mentions}),
            "cities": cities,
            "assessments": sorted({d["aid"] for d, _ in mentions}),
            "mentions": mentions,
        })
    companies.sort(key=lambda c: (-len(c["cities"]), -len(c["assessments"]), -len(c["mentions"]), c["name"]))
    # no company named as 委託先 (the `company` facet also holds companies named elsewhere in the item's text)
    no_name = [d for d in all_entrust if not any(not m.get("not_a_name") for m in _extra(d).get("mentions", []))]
    return {"companies": companies, "no_name": no_name}


def retention_rows(ix) -> dict[str, list[dict]]:
    groups = grouped_documents(ix, Q.Term("kind", "file"), "retention")
    order = [*RETENTION, NO_RETENTION]
    out = {k: groups.get(k, []) for k in order}
    for k, v in groups.items():  # a value outside the list (should not happen: validated)
        if k not in out:
            out[k] = v
    return out


def risk_rows(ix) -> dict[str, Any]:
    """One row per risk id (hyoka.formkeys), one column per assessment with Ⅲ or 様式2's Ⅳ risk questions.

    A cell is a risk block's 「リスクへの対策は十分か」, or an answer printed outside a block that answers for a risk
    (extra.matrix: Ⅲ-4's shared answer of the five 委託 risks, 様式2 Ⅳ's questions), so `Ⅲ-4/R1-5` lines up 委託
    across 様式2/3/4 and the versions that print its five risks as one block or five."""
    by_risk = grouped_documents(ix, Q.Term("kind", "risk"), "risk_key")
    standalone = grouped_documents(ix, Q.Or([Q.Term("kind", "risk_item"), Q.Term("kind", "other")]), "risk_key")
    for rkey, docs in standalone.items():
        docs = [d for d in docs if rkey and _extra(d).get("matrix")]
        if docs:
            by_risk.setdefault(rkey, []).extend(docs)
    cols: dict[str, dict] = {}
    for docs in by_risk.values():
        for d in docs:
            cols.setdefault(d["aid"], d)
    columns = []
    for aid in sorted(cols, key=lambda a: (cols[a]["city"], a)):
        d = cols[aid]
        columns.append({"aid": aid, "city": d["city"], "city_name": d["city_name"], "form": d["form"],
                        "form_version": d["form_version"], "title": d["title"], "slug": d["slug"]})
    rows = []
    for rkey, docs in by_risk.items():
        cells: dict[str, list[dict]] = defaultdict(list)
        for d in docs:
            cells[d["aid"]].append(d)
        part = rkey.split("/")[0]
        ex = next((_extra(d) for d in docs if d["kind"] == "risk"), _extra(docs[0]))
        rows.append({"key": rkey, "title": docs[0]["risk_title"], "part": part,
                     "section_title": formkeys.SECTION_TITLES.get(part) or ex.get("section_title", ""),
                     "section_no": part.split("-")[-1], "risk_no": ex.get("risk_no", 0), "cells": dict(cells)})
    rows.sort(key=lambda r: formkeys.risk_order(r["key"]))
    counts = grouped_documents(ix, Q.Term("kind", "risk"), sorting.MultiFacet(["city", "answer"]))
    notable = grouped_documents(
        ix, Q.And([Q.Or([Q.Term("kind", "risk_item"), Q.Term("kind", "other")]),
                   Q.Or([Q.Term("answer", a) for a in sorted(STRONG | ISSUE)])]), "answer")
    return {"columns": columns, "rows": rows, "counts": counts, "notable": notable}


# ---- pages ----------------------------------------------------------------------------------------


def _open_data(table: str, title: str) -> str:
    """A line linking the open-data table (hyoka.export, data/) that holds the same rows."""
    return (f"オープンデータ（{title}）: [{table}.csv](../data/{table}.csv) ・ [{table}.json](../data/{table}.json)"
            f"（[列の説明](../data/index.md#{table})）。表示中の行だけが要るときは、各表の上の「表示中の行を CSV でダウンロード」を使ってください。")


def _page_head(title: str, base: str, intro: str) -> list[str]:
    return [f"# {md_inline(title)}", "", intro, "", _head(base), ""]


def contractors_page(ix) -> tuple[Page, Asset, dict]:
    base = url_of(CONTRACTORS)
    data = contractor_rows(ix)
    companies = data["companies"]
    all_mentions = [d for c in companies for d, _ in c["mentions"]]
    out = _page_head(
        "委託先の比較", base,
        "各評価書の「⑥委託先名」を会社ごとにまとめました。一つの欄に複数の会社が書かれている場合は分けて数え、"
        "㈱・（株）・スペース・支社名などの書き方の違いは `site_config/companies.yaml` の名寄せ表で同じ会社にまとめています。"
        "評価書に印刷された表記はそのまま「表記」の列に示します。名寄せ表にない表記は「未登録」と示し、ほかの会社とはまとめません。",
    )
    company_opts = [(c["id"], c["name"] + ("" if c["known"] else "（未登録）"), len(c["mentions"])) for c in companies]
    sub_opts = [(v, v, n) for v, n in sorted(Counter(d["subcontract"] for d in all_mentions if d.get("subcontract")).items())]
    out.append(_filter_form([
        _select("city", fields.label("city"), _city_options(all_mentions)),
        _select("form", fields.label("form"), _form_options(all_mentions)),
        _select("company", fields.label("company"), company_opts),
        _select("subcontract", fields.label("subcontract"), sub_opts),
    ]))
    out += ["", "## 会社別", "", "複数の都市で使われている会社が先です。", ""]
    rows = []
    for c in companies:
        cities = "、".join(name for _, name in c["cities"])
        spell = "<br>".join(esc(s) for s in c["spellings"])
        name = esc(c["name"]) + ("" if c["known"] else ' <span class="hyoka-unknown">（未登録の表記）</span>')
        rows.append(
            f'<tr data-row{_attrs(company=c["id"], city=[code for code, _ in c["cities"]], form=sorted({d["form"] for d, _ in c["mentions"]}))}>'
            f'<th scope="row">{name}</th><td>{esc(c["corporate_number"] or "")}</td><td class="hyoka-orig">{spell}</td>'
            f'<td>{len(c["cities"])}</td><td>{esc(cities)}</td><td>{len(c["assessments"])}</td><td>{len(c["mentions"])}</td></tr>'
        )
    out.append(block(
        '<div class="hyoka-scroll"><table class="hyoka-table hyoka-filterable" id="companies" data-count>'
        "<caption>会社別の委託先（都市数の多い順）</caption>"
        "<thead><tr><th scope=\"col\">委託先（正式名称）</th><th scope=\"col\">法人番号</th><th scope=\"col\">評価書での表記</th>"
        "<th scope=\"col\">都市数</th><th scope=\"col\">都市</th><th scope=\"col\">評価書数</th><th scope=\"col\">委託事項数</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    ))
    out += ["", "## 委託事項の一覧", "", "会社ごとに、どの都市のどの評価書のどの委託事項か、再委託の有無とともに示します。", ""]
    bodies = []
    for c in companies:
        trs = [f'<tr class="hyoka-group-head"><th colspan="7" scope="colgroup">{esc(c["name"])}（{len(c["cities"])} 都市）</th></tr>']
        for d, m in c["mentions"]:
            ex = _extra(d)
            branch = f'（{esc(m["branch"])}）' if m.get("branch") else ""
            trs.append(
                f'<tr data-row{_attrs(company=c["id"], city=d["city"], form=d["form"], subcontract=d.get("subcontract") or "")}>'
                f'<td>{esc(c["name"])}{branch}</td><td>{esc(d["city_name"])}</td><td>{_doc_link(base, d, "")}（{esc(d["form"])}）</td>'
                f'<td>{esc(d["file_name"])}</td><td>{_doc_link(base, d, d["anchor"], d["label"] + " " + (ex.get("entrust_title") or ""))}</td>'
                f'<td class="hyoka-orig">{esc(m["original"])}</td><td>{esc(d.get("subcontract") or "（記載なし）")}'
                + (f'<br><span class="hyoka-text">{esc(ex["subcontract_items"])}</span>' if ex.get("subcontract_items") else "")
                + "</td></tr>"
            )
        bodies.append("<tbody>" + "".join(trs) + "</tbody>")
    out.append(block(
        '<div class="hyoka-scroll"><table class="hyoka-table hyoka-filterable" id="entrustments">'
        "<caption>委託事項の一覧（会社別）</caption>"
        "<thead><tr><th scope=\"col\">委託先</th><th scope=\"col\">都市</th><th scope=\"col\">評価書</th><th scope=\"col\">ファイル</th>"
        "<th scope=\"col\">委託事項</th><th scope=\"col\">表記（印刷のまま）</th><th scope=\"col\">再委託</th></tr></thead>"
        + "".join(bodies) + "</table></div>"
    ))
    out += ["", "## 都市別", "", ""]
    per_city: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in companies:
        for d, m in c["mentions"]:
            per_city[(d["city"], d["city_name"])][c["id"]].append((c, d))
    trs = []
    for (code, cname), comps in sorted(per_city.items()):
        for cid, items in sorted(comps.items(), key=lambda kv: kv[1][0][0]["name"]):
            c = items[0][0]
            links = "<br>".join(_doc_link(base, d, d["anchor"], f'{d["title"]} {d["label"]}') for _, d in items)
            trs.append(f'<tr data-row{_attrs(city=code, company=cid, form=sorted({d["form"] for _, d in items}))}>'
                       f'<th scope="row">{esc(cname)}</th><td>{esc(c["name"])}</td><td>{len({d["aid"] for _, d in items})}</td><td>{links}</td></tr>')
    out.append(block(
        '<div class="hyoka-scroll"><table class="hyoka-table hyoka-filterable" id="cities">'
        "<caption>都市ごとの委託先</caption>"
        "<thead><tr><th scope=\"col\">都市</th><th scope=\"col\">委託先</th><th scope=\"col\">評価書数</th><th scope=\"col\">委託事項</th></tr></thead>"
        f"<tbody>{''.join(trs)}</tbody></table></div>"
    ))
    unknown = sorted({s for c in companies if not c["known"] for s in c["spellings"]})
    if unknown:
        out += ["", "## 名寄せ表にない表記", "",
                "次の表記は `site_config/companies.yaml` にありません。ほかの会社とはまとめずに表示しています。", "",
                block("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in unknown) + "</ul>")]
    if data["no_name"]:
        out += ["", "## 委託先名の記載がない委託事項", "", "「未定」や空欄など、会社名として読めない記載です。", ""]
        trs = [f'<tr data-row{_attrs(city=d["city"], form=d["form"])}><td>{esc(d["city_name"])}</td><td>{_doc_link(base, d, "")}</td>'
               f'<td>{_doc_link(base, d, d["anchor"], d["label"] + " " + (_extra(d).get("entrust_title") or ""))}</td>'
               f'<td class="hyoka-orig">{esc(_extra(d).get("contractor") or "（空欄）")}</td></tr>' for d in data["no_name"]]
        out.append(block('<table class="hyoka-table hyoka-filterable" id="no-name"><thead><tr><th scope="col">都市</th><th scope="col">評価書</th>'
                         f'<th scope="col">委託事項</th><th scope="col">記載</th></tr></thead><tbody>{"".join(trs)}</tbody></table>'))
    out += ["", "この表のデータ: [contractors.json](contractors.json)", "",
            _open_data("entrustments", "委託（委託事項ごと、会社ごと）"), ""]
    export = [
        {"company": c["name"], "registered": c["known"], "corporate_number": c["corporate_number"],
         "cities": [{"code": code, "name": name} for code, name in c["cities"]],
         "entrustments": [{"municipality": d["city_name"], "municipality_code": d["city"], "assessment": d["aid"],
                           "form": d["form"], "file": d["file_name"], "item": d["label"], "title": _extra(d).get("entrust_title"),
                           "printed": m["original"], "branch": m.get("branch"), "subcontract": d.get("subcontract") or None,
                           "permalink": d["url"]} for d, m in c["mentions"]]}
        for c in companies
    ]
    return (Page(CONTRACTORS, "委託先の比較", "\n".join(out) + "\n", in_nav=True),
            Asset("compare/contractors.json", _json(export)), data)


def retention_chart(counts: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG (no library, no external host)."""
    bar_h, gap, label_w, chart_w = 20, 6, 130, 300
    top = 8
    height = top + len(counts) * (bar_h + gap) + 8
    width = label_w + chart_w + 60
    peak = max([n for _, n in counts] + [1])
    total = sum(n for _, n in counts)
    parts = [
        f'<svg class="hyoka-chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="retention-chart-title"><title id="retention-chart-title">保管期間の分布（ファイル {total} 件）: '
        + esc("、".join(f"{k} {n} 件" for k, n in counts)) + "</title>"
    ]
    for i, (label, n) in enumerate(counts):
        y = top + i * (bar_h + gap)
        w = round(chart_w * n / peak) if n else 0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h * 0.72:.1f}" text-anchor="end">{esc(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}"><title>{esc(label)}: {n} 件</title></rect>'
            f'<text x="{label_w + w + 6}" y="{y + bar_h * 0.72:.1f}">{n} 件</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def retention_page(ix) -> tuple[Page, Asset, dict]:
    base = url_of(RETENTION_PAGE)
    groups = retention_rows(ix)
    all_docs = [d for docs in groups.values() for d in docs]
    out = _page_head(
        "保管期間の比較", base,
        "すべての評価書の特定個人情報ファイルごとに「②保管期間」と「その妥当性」を、様式の選択肢の順にまとめました。",
    )
    counts = [(k, len(v)) for k, v in groups.items() if k != NO_RETENTION or v]
    out += ["## 分布", "", block(f'<figure class="hyoka-figure">{retention_chart(counts)}'
                                 f'<figcaption>保管期間の選択肢ごとのファイル数（全 {len(all_docs)} ファイル）</figcaption></figure>'), ""]
    out.append(_filter_form([
        _select("city", fields.label("city"), _city_options(all_docs)),
        _select("form", fields.label("form"), _form_options(all_docs)),
        _select("retention", fields.label("retention"), [(k, k, n) for k, n in counts if n]),
    ]))
    out += ["", "## ファイルごとの保管期間", ""]
    bodies = []
    for period, docs in groups.items():
        if not docs:
            continue
        trs = [f'<tr class="hyoka-group-head" id="{esc("retention-" + str(list(groups).index(period)))}">'
               f'<th colspan="5" scope="colgroup">{esc(period)}（{len(docs)} ファイル）</th></tr>']
        for d in docs:
            anchor = _extra(d).get("retention_anchor") or d["anchor"]
            trs.append(
                f'<tr data-row{_attrs(city=d["city"], form=d["form"], retention=period)}>'
                f'<td>{esc(d["city_name"])}</td><td>{_doc_link(base, d, "")}（{esc(d["form"])}）</td>'
                f'<td>{_doc_link(base, d, anchor, d["file_name"])}</td><td>{esc(period)}</td>'
                f'<td class="hyoka-text">{esc(d.get("retention_reason") or "（記載なし）")}</td></tr>'
            )
        bodies.append("<tbody>" + "".join(trs) + "</tbody>")
    out.append(block(
        '<div class="hyoka-scroll"><table class="hyoka-table hyoka-filterable" id="retention" data-count>'
        "<caption>ファイルごとの保管期間（選択肢の順）</caption>"
        "<thead><tr><th scope=\"col\">都市</th><th scope=\"col\">評価書</th><th scope=\"col\">ファイル</th>"
        "<th scope=\"col\">保管期間</th><th scope=\"col\">その妥当性</th></tr></thead>"
        + "".join(bodies) + "</table></div>"
    ))
    out += ["", "この表のデータ: [retention.json](retention.json)", "",
            _open_data("retention", "保管期間（ファイルごと）"), ""]
    export = [{"period": period, "files": [
        {"municipality": d["city_name"], "municipality_code": d["city"], "assessment": d["aid"], "form": d["form"],
         "file": d["file_name"], "reason": d.get("retention_reason") or None, "permalink": A.permalink(d["slug"], d["aid"], _extra(d).get("retention_anchor"))}
        for d in docs]} for period, docs in groups.items()]
    return (Page(RETENTION_PAGE, "保管期間の比較", "\n".join(out) + "\n", in_nav=True),
            Asset("compare/retention.json", _json(export)), groups)


def risks_page(ix) -> tuple[Page, Asset, dict]:
    base = url_of(RISKS)
    data = risk_rows(ix)
    cols, rows = data["columns"], data["rows"]
    all_docs = [d for r in rows for ds in r["cells"].values() for d in ds]
    out = _page_head(
        "リスク対策の比較", base,
        "Ⅲ リスク対策の各リスクについて「リスクへの対策は十分か」の回答を、評価書ごとに並べました。"
        "リスクは様式4のリスク番号による ID（`Ⅲ-2/R1` …）で揃えています。ID は印刷されたリスク名（「リスク１：」などを除き、表記の揺れを正規化したもの）から決めるので、"
        "様式2（Ⅳ の「…への対策は十分か」）・様式3・様式4、様式の版が違っても同じ行に並びます。"
        "委託（Ⅲ-4）の5つのリスクを1つの欄にまとめて印刷した版や様式3の「委託先における不正な使用等のリスク」は `Ⅲ-4/R1-5` の行に、"
        "5つに分けて印刷した版では区分共通の「リスクへの対策は十分か」が同じ行に並びます（[キーの決め方](../data/index.md#answers-keys)）。"
        "各セルは回答の箇所へのリンクです。"
        "色に加えて記号でも示します: ◎ 特に力を入れている／○ 十分である／▲ 課題が残されている／－ 記載なし。",
    )
    answers = Counter(d["answer"] or "記載なし" for d in all_docs)
    out.append(_filter_form([
        _select("city", fields.label("city"), _city_options(all_docs)),
        _select("form", fields.label("form"), _form_options(all_docs)),
        _select("answer", fields.label("answer"), [(a, a, n) for a, n in sorted(answers.items(), key=lambda kv: _answer_order(kv[0]))]),
        _select("section", fields.label("section"), sorted({(r["part"], f'{r["part"]} {r["section_title"]}', 0) for r in rows})),
    ]))
    out += ["", "## リスク × 評価書", ""]
    head = "".join(
        f'<th scope="col" data-col{_attrs(col_city=c["city"], col_form=c["form"])}>{esc(c["city_name"])}<br>'
        f'{_link(rel_url(A.permalink(c["slug"], c["aid"]), base), c["title"])}<br><small>{esc(c["form"])}</small></th>'
        for c in cols
    )
    trs = []
    for r in rows:
        tds = []
        for c in cols:
            docs = r["cells"].get(c["aid"])
            if not docs:
                tds.append(f'<td class="hyoka-absent" data-col{_attrs(col_city=c["city"], col_form=c["form"])} data-present="0">'
                           f'<span title="この評価書にはこのリスクがありません">—</span></td>')
                continue
            badges = []
            for d in docs:
                ex = _extra(d)
                anchor = ex.get("answer_anchor") or d["anchor"]
                prefix = f'ファイル{d["file_no"]}: ' if len(docs) > 1 else ""
                badges.append(_badge(d["answer"] or None, rel_url(A.permalink(d["slug"], d["aid"], anchor), base),
                                     f'{d["city_name"]} {d["title"]} {d["file_name"]} {d["label"]}', prefix))
            cell_answers = sorted({d["answer"] or "記載なし" for d in docs})
            tds.append(f'<td data-col{_attrs(col_city=c["city"], col_form=c["form"], cell_answer=cell_answers)} data-present="1"'
                       f' data-risk="{esc(r["key"])}" data-aid="{esc(c["aid"])}">{"<br>".join(badges)}</td>')
        trs.append(f'<tr data-row{_attrs(section=r["part"], risk=r["key"])}>'
                   f'<th scope="row" class="hyoka-risk"><code>{esc(r["key"])}</code> {esc(r["title"])}</th>{"".join(tds)}</tr>')
    out.append(block(
        '<div class="hyoka-scroll"><table class="hyoka-table hyoka-matrix hyoka-filterable" id="risk-matrix" data-count>'
        "<caption>リスクごとの「リスクへの対策は十分か」の回答</caption>"
        f'<thead><tr><th scope="col">リスク</th>{head}</tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
    ))
    # counts per answer per city
    out += ["", "## 都市ごとの回答の数", ""]
    counts: dict[str, Counter] = defaultdict(Counter)
    names = {}
    for (city, answer), docs in data["counts"].items():
        counts[city][answer or "記載なし"] += len(docs)
        names[city] = docs[0]["city_name"]
    answer_cols = sorted({a for c in counts.values() for a in c}, key=_answer_order)
    trs = []
    for city in sorted(counts):
        cells = "".join(f"<td>{counts[city].get(a, 0)}</td>" for a in answer_cols)
        trs.append(f'<tr data-row{_attrs(city=city)}><th scope="row">{esc(names[city])}</th>{cells}<td>{sum(counts[city].values())}</td></tr>')
    hdr = "".join(f'<th scope="col">{_badge(a if a != "記載なし" else None, None, a)}</th>' for a in answer_cols)
    out.append(block(
        '<table class="hyoka-table hyoka-filterable" id="risk-counts"><caption>都市ごとの回答の数（リスクの数）</caption>'
        f'<thead><tr><th scope="col">都市</th>{hdr}<th scope="col">計</th></tr></thead><tbody>{"".join(trs)}</tbody></table>'
    ))
    # every 課題 and 特に力を入れている
    for title, values in (("課題が残されている回答", ISSUE), ("特に力を入れている回答", STRONG)):
        docs = [d for a in sorted(values) for d in data["notable"].get(a, [])]
        out += ["", f"## {title}", ""]
        if not docs:
            out += ["該当する回答はありません。", ""]
            continue
        trs = []
        for d in sorted(docs, key=lambda d: (d["city"], d["aid"], d["file_no"], d["key"])):
            where = f'{d["part"]} {d.get("risk_title") or ""}'.strip()
            trs.append(
                f'<tr data-row{_attrs(city=d["city"], form=d["form"], answer=d["answer"], section=d["part"])}>'
                f'<td>{esc(d["city_name"])}</td><td>{_doc_link(base, d, "")}（{esc(d["form"])}）</td><td>{esc(where)}</td>'
                f'<td>{_doc_link(base, d, d["anchor"], d["label"])}</td><td>{_badge(d["answer"], None, d["label"])}</td>'
                f'<td class="hyoka-text">{esc(d.get("text") or "")}</td></tr>'
            )
        tid = "issues" if values is ISSUE else "strong"
        out.append(block(
            f'<div class="hyoka-scroll"><table class="hyoka-table hyoka-filterable" id="{esc(tid)}"><caption>{esc(title)}</caption>'
            '<thead><tr><th scope="col">都市</th><th scope="col">評価書</th><th scope="col">区分・リスク</th><th scope="col">項目</th>'
            f'<th scope="col">回答</th><th scope="col">記載</th></tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
        ))
    out += ["", "この表のデータ: [risks.json](risks.json)", "",
            _open_data("answers", "回答（選択式・チェック欄の設問ごと）"), ""]
    export = {
        "assessments": cols,
        "risks": [{"key": r["key"], "part": r["part"], "title": r["title"], "answers": {
            aid: [{"file": d["file_name"], "answer": d["answer"] or None,
                   "permalink": A.permalink(d["slug"], d["aid"], _extra(d).get("answer_anchor") or d["anchor"])} for d in ds]
            for aid, ds in r["cells"].items()}} for r in rows],
    }
    return (Page(RISKS, "リスク対策の比較", "\n".join(out) + "\n", in_nav=True),
            Asset("compare/risks.json", _json(export)), data)


_ANSWER_ORDER = [*SUFFICIENCY, *EFFORT, *SUBCONTRACT_EFFORT, "記載なし"]


def _answer_order(a: str) -> tuple[int, str]:
    return (_ANSWER_ORDER.index(a) if a in _ANSWER_ORDER else len(_ANSWER_ORDER), a)


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def index_page(contractors: dict, retention: dict, risks: dict) -> Page:
    n_comp = len(contractors["companies"])
    multi = sum(1 for c in contractors["companies"] if len(c["cities"]) > 1)
    n_files = sum(len(v) for v in retention.values())
    issues = sum(len(v) for a, v in risks["notable"].items() if a in ISSUE)
    lines = [
        "# 都市間比較",
        "",
        "評価書を都市をまたいで項目ごとに読み比べるページです。表はどれも都市・様式・回答などで絞り込めます。"
        "絞り込みの状態はページの URL（`?city=…`）に入るので、その URL を共有すれば同じ表を開けます。",
        "",
        "- [委託先の比較](contractors.md) — " f"委託先 {n_comp} 社（うち複数の都市で使われている会社 {multi} 社）、都市ごとの委託先",
        "- [保管期間の比較](retention.md) — " f"特定個人情報ファイル {n_files} 件の保管期間と妥当性、分布図",
        "- [リスク対策の比較](risks.md) — " f"リスク {len(risks['rows'])} 件 × 評価書 {len(risks['columns'])} 件の回答表、"
        f"課題が残されている回答 {issues} 件",
        "",
        "同じ表のデータは JSON でも取り出せます（各ページの末尾）。コマンドラインでは `hyoka search` で項目単位の検索ができます。",
        "",
    ]
    return Page(INDEX, "都市間比較", "\n".join(lines), in_nav=True)


@register
def generate(corpus: Corpus, ctx: SiteContext):
    """The hyoka.site generator: comparison pages, their JSON and the filter script."""
    ix = _open(corpus, ctx)
    try:
        c_page, c_json, c_data = contractors_page(ix)
        r_page, r_json, r_data = retention_page(ix)
        k_page, k_json, k_data = risks_page(ix)
    finally:
        ix.close()
    yield index_page(c_data, r_data, k_data)
    yield c_page
    yield r_page
    yield k_page
    yield c_json
    yield r_json
    yield k_json
    yield from _filter_assets()


generate.needs_index = True  # hyoka.site runs it after the others, once ctx.index_ready() returns
