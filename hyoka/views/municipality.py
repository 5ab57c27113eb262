"""The municipality view: one page per municipality, with its assessments' key facts, council records and
findings; and the city picker `municipalities/` (every municipality by prefecture, filterable in the
browser, plain links without JavaScript).

The markup is in hyoka/templates/municipality.md, municipalities.md and lists.html.  Each page's JSON twin
(`Page.data`) is the template's context as plain values (hyoka.views.twin.plain); its links are relative to
the page, as the twin sits in the page's folder (`kazo/index.json`).  Only the home page and the picker go
into the navigation; municipality and document pages are reached from them (GUIDE §3: the nav is embedded
in every page, so it must not grow with the corpus).

The key facts are the core's open-data rows (hyoka.export.Rows: entrustments, retention, answers) and
the build's findings: only values of the YAML, the same values data/*.csv holds.

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .. import anchors as A
from .. import choices as C
from .. import schema as S
from .. import nodes as N
from ..htmlkit import rel_url, safe_title, url_of
from ..loader import Corpus, Municipality
from ..site import Page, SiteContext
from ..templating import render
from .parts import Links, ja_date, site_links
from .twin import plain

NAME = "municipality"
PICKER_PATH = "municipalities/index.md"
PICKER_TITLE = "都市を選ぶ"
PICKER_JS = "assets/hyoka-cities.js"

# The self-assessment scale 「リスクへの対策は十分か」 (特に力を入れている / 十分である / 課題が残されている):
# a municipality page counts the answers on it other than 「十分である」, by answer.
SUFFICIENT = "十分である"
SCALE = C.SUFFICIENCY


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    from .findings import by_assessment, ensure_findings

    links = site_links(corpus, ctx)
    found = by_assessment(ensure_findings(corpus, ctx))
    facts = key_facts(corpus, ctx, found)
    for code, m in sorted(corpus.municipalities.items()):
        yield municipality_page(m, corpus, links, [f for aid in links.doc_ids_of(code)[0] for f in found.get(aid, [])], facts)
    yield picker_page(corpus, ctx)


# ---- rows for the templates ----------------------------------------------------------------------


def assessment_rows(items: Iterable[S.Assessment], links: Links, base: str) -> list[dict]:
    """Assessments as plain values for the tables of lists.html (links relative to the page at `base`)."""
    out = []
    for a in items:
        m = links.municipality(a.municipality)
        out.append({
            "municipality": m.name,
            "municipality_href": rel_url(links.municipality_url(a.municipality), base),
            "href": rel_url(links.doc_url(a.id), base),
            "title": a.cover.title,
            "number": a.cover.number,
            "form": a.form,
            "form_name": a.form_name,
            "form_version": a.form_version,
            "published": ja_date(a.cover.published),
            "as_of": ja_date(a.source.as_of),
            "ended": a.status == "終了",
            "status": a.status,
        })
    return out


def record_rows(items: Iterable[S.CouncilRecord], links: Links, base: str) -> list[dict]:
    out = []
    for r in items:
        out.append({
            "record_type": r.record_type,
            "number": N.Text(r.number),
            "href": rel_url(links.doc_url(r.id), base),
            "subject": r.subject,
            "date": ja_date(r.date),
            "targets": [
                (rel_url(links.doc_url(aid), base), links.docs[aid].cover.title)  # type: ignore[union-attr]
                for aid in links.assessments_of.get(r.id, [])
            ],
            "as_of": ja_date(r.source.as_of),
        })
    return out


def key_facts(corpus: Corpus, ctx: SiteContext, found: dict[str, list]) -> dict[str, dict]:
    """Per assessment id: what a citizen asks first, from the open-data rows (site-relative links).

    contractors: every company the ⑥委託先名 cells name (site_config/companies.yaml's name, or the spelling
    as printed for a company the registry does not know; with the printed spellings where they differ), with
    the first 委託事項 that names it; retention: with `noted` when a transcription note is on that 保管・消去
    (e.g. the form's version prints no 保管期間); unnamed:
    cells that name no company (「未定」, by the registry's not_company_names), as printed; retention: ②保管期間 of every file; concerns: the
    answers on the 「十分である」 scale other than 「十分である」, counted by answer; findings: how many.
    """
    from ..export import Rows

    rows = Rows.of(corpus, ctx)  # the build's rows (shared with compare and data: each document's read once)
    site_url = ctx.site_url or ""

    def site_relative(permalink: str) -> str:  # Rows.link: site_url + the site-relative path
        return permalink.removeprefix(site_url) if site_url else permalink
    out: dict[str, dict] = {
        a.id: {"affair": a.basic_info.affair.name, "people": a.basic_info.affair.target_people, "items": 0,
               "subcontracted": 0, "contractors": {}, "unnamed": {}, "retention": [], "concerns": {}, "findings": len(found.get(a.id, []))}
        for a in corpus.assessments
    }
    seen_items: set[tuple[str, str]] = set()
    for r in rows.entrustments():  # one row per company of each 委託事項: the item once
        link = site_relative(r["permalink"])
        if (r["assessment_id"], link) in seen_items:
            continue
        seen_items.add((r["assessment_id"], link))
        f = out[r["assessment_id"]]
        f["items"] += 1
        f["subcontracted"] += r["subcontract"] == "再委託する"
        for m in rows.registry.mentions(r["contractor"]):  # the companies of the cell, as Rows.companies reads it
            if m.not_a_name:  # a cell that names no company (「未定」…): shown as printed, apart from the names
                f["unnamed"].setdefault(m.original, link)
            else:
                c = f["contractors"].setdefault(m.display_name, {"href": link, "printed": []})
                if m.original != m.display_name and m.original not in c["printed"]:
                    c["printed"].append(m.original)
    notes = {a.id: [n.path for n in a.transcription_notes] for a in corpus.assessments}
    for r in rows.retention():  # one row per file, in the files' order
        f = out[r["assessment_id"]]
        at = f"files[{len(f['retention'])}].retention"  # a transcription note on it (「保管期間の項目は印刷されていない」 …)
        noted = any(p == at or p.startswith(at + ".") for p in notes[r["assessment_id"]])
        f["retention"].append({"file": r["file"], "period": r["retention"], "href": site_relative(r["permalink"]), "noted": noted})
    for r in rows.answers():
        if r["kind"] == "choice" and r["answer"] in SCALE and r["answer"] != SUFFICIENT:
            c = out[r["assessment_id"]]["concerns"].setdefault(r["answer"], {"count": 0, "href": site_relative(r["permalink"])})
            c["count"] += 1
    return out


def _facts_view(facts: dict, doc_url: str, base: str) -> dict:
    """One assessment's key facts with links relative to the page at `base`."""
    concerns = [
        {"answer": ans, "count": facts["concerns"][ans]["count"], "href": rel_url(facts["concerns"][ans]["href"], base)}
        for ans in SCALE if ans in facts["concerns"]
    ]
    return {
        "affair": facts["affair"],
        "people": facts["people"],
        "entrustment_items": facts["items"],
        "subcontracted_items": facts["subcontracted"],
        "contractors": [{"name": n, "href": rel_url(c["href"], base), "printed": c["printed"]} for n, c in facts["contractors"].items()],
        "unnamed": [{"printed": n, "href": rel_url(h, base)} for n, h in facts["unnamed"].items()],
        "retention": [{**r, "href": rel_url(r["href"], base)} for r in facts["retention"]],
        "concerns": concerns,
        "concern_total": sum(c["count"] for c in concerns),
        "findings": facts["findings"],
        "findings_href": rel_url(doc_url + "#findings", base) if facts["findings"] else None,
        "summary_href": rel_url(doc_url + "#summary", base),
    }


# ---- pages ---------------------------------------------------------------------------------------


def municipality_page(m: Municipality, corpus: Corpus, links: Links, findings: list | None = None,
                      facts: dict[str, dict] | None = None) -> Page:
    """`findings`: the auditor findings of the municipality's assessments (None: no findings section);
    `facts`: key_facts of the corpus (None: computed here, without findings)."""
    path = A.municipality_path(m.slug)
    base = url_of(path)
    assessments, records = links.docs_of(m.code)
    if facts is None:
        facts = key_facts(corpus, SiteContext(), {})
    section = None
    if findings is not None:
        from .findings import municipality_view

        section = municipality_view(findings, corpus, base)
    rows = assessment_rows(assessments, links, base)
    for row, a in zip(rows, assessments):
        row["facts"] = _facts_view(facts[a.id], links.doc_url(a.id), base)
    context = dict(
        home=rel_url("", base), picker=rel_url(url_of(PICKER_PATH), base), picker_title=PICKER_TITLE,
        name=m.name, prefecture=m.prefecture, code=m.code,
        assessments=rows, records=record_rows(records, links, base), findings=section,
    )
    md = render("municipality.md", front={"title": safe_title(f"{m.name}（{m.prefecture}）")}, **context)
    return Page(path, m.name, md, data=plain(context))


def city_groups(corpus: Corpus, base: str) -> list[dict]:
    """Every municipality of site_config/municipalities.yaml by prefecture, in 団体コード order (its first two
    digits are the prefecture's code: 01 北海道 … 47 沖縄県), with its documents counted."""
    counts: dict[str, list[int]] = {}
    for d in corpus.summaries():
        counts.setdefault(d.municipality, [0, 0])[0] += 1
    for d in corpus.council_records:
        counts.setdefault(d.municipality, [0, 0])[1] += 1
    groups: dict[str, dict] = {}
    ids: set[str] = set()
    for code, m in sorted(corpus.municipalities.items()):
        g = groups.get(m.prefecture)
        if g is None:
            gid = f"pref-{code[:2]}"
            while gid in ids:  # one prefix, two prefecture names (a data slip): ids stay unique
                gid += "-2"
            ids.add(gid)
            g = groups[m.prefecture] = {"prefecture": m.prefecture, "id": gid, "municipalities": []}
        a, r = counts.get(code, [0, 0])
        g["municipalities"].append({
            "name": m.name, "code": code, "slug": m.slug, "assessments": a, "records": r,
            "href": rel_url(url_of(A.municipality_path(m.slug)), base),
        })
    return list(groups.values())


def picker_page(corpus: Corpus, ctx: SiteContext) -> Page:
    """municipalities/: every municipality by prefecture, with a filter box (assets/hyoka-cities.js)."""
    base = url_of(PICKER_PATH)
    groups = city_groups(corpus, base)
    context = dict(
        title=PICKER_TITLE, home=rel_url("", base), groups=groups,
        total=sum(len(g["municipalities"]) for g in groups),
        _script=rel_url(PICKER_JS, base),
    )
    md = render("municipalities.md", front={"title": PICKER_TITLE, "hide": ["toc"]}, **context)  # no heading: no table of contents
    return Page(PICKER_PATH, PICKER_TITLE, md, in_nav=True, data=plain(context))
