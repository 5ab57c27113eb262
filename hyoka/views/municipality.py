"""The municipality view: one page per municipality, with its assessments, council records and findings.

The markup is in hyoka/templates/municipality.md and lists.html.  Only the home page goes into the
navigation; municipality and document pages are reached from it (GUIDE §3: the nav is embedded in
every page, so it must not grow with the corpus).

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .. import anchors as A
from .. import schema as S
from .. import nodes as N
from ..htmlkit import rel_url, safe_title, url_of
from ..loader import Corpus, Municipality
from ..site import Page, SiteContext
from ..templating import render
from .parts import Links, docs_of, ja_date, site_links

NAME = "municipality"


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    from .findings import by_assessment, ensure_findings

    links = site_links(corpus, ctx)
    found = by_assessment(ensure_findings(corpus, ctx))
    for code, m in sorted(corpus.municipalities.items()):
        yield municipality_page(m, corpus, links, [f for a in docs_of(corpus, code)[0] for f in found.get(a.id, [])])


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


def municipality_page(m: Municipality, corpus: Corpus, links: Links, findings: list | None = None) -> Page:
    """`findings`: the auditor findings of the municipality's assessments (None: no findings section)."""
    path = A.municipality_path(m.slug)
    base = url_of(path)
    assessments, records = docs_of(corpus, m.code)
    section = None
    if findings is not None:
        from .findings import municipality_view

        section = municipality_view(findings, corpus, base)
    md = render(
        "municipality.md",
        front={"title": safe_title(f"{m.name}（{m.prefecture}）")},
        home=rel_url("", base), name=m.name, prefecture=m.prefecture, code=m.code,
        assessments=assessment_rows(assessments, links, base), records=record_rows(records, links, base),
        findings=section,
    )
    return Page(path, m.name, md)
