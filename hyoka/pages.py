"""Page generators: home, one page per municipality, one per assessment and council record, the CSS.

    from hyoka import pages          # registers `document_pages` into hyoka.site.GENERATORS
    outputs = build_outputs(corpus, ctx)
    outputs.append(pages.home_page(corpus, ctx, outputs))   # the home page links what exists

Only the home page goes into the navigation; municipality and document pages are reached from it
(GUIDE §3: the nav is embedded in every page, so it must not grow with the corpus).
The markup is in hyoka/templates/ (home.md, municipality.md, lists.html); the CSS is hyoka/static/hyoka.css.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import anchors as A
from . import schema as S
from . import nodes as N
from .htmlkit import rel_url, safe_title, url_of
from .loader import Corpus, Municipality
from .render import Links, date_key, ja_date, render_assessment, render_council_record
from .site import Asset, Page, SiteContext, register
from .templating import render

CSS_PATH = "assets/hyoka.css"
HOME_PATH = "index.md"
COMPARE_PREFIX = "compare/"
LATEST = 10

Progress = Callable[[int, int], None]


@dataclasses.dataclass
class RenderContext(SiteContext):
    """SiteContext plus an optional progress callback, called every `progress_every` documents."""

    progress: Progress | None = None
    progress_every: int = 100
    description: str = ""


def _progress(ctx: SiteContext) -> tuple[Progress | None, int]:
    return getattr(ctx, "progress", None), max(1, int(getattr(ctx, "progress_every", 100) or 100))


STATIC = Path(__file__).with_name("static")  # the core's CSS and JavaScript (package data)


def css() -> bytes:
    return (STATIC / "hyoka.css").read_bytes()


@register
def document_pages(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """The stylesheet, every municipality page, every assessment and council record page."""
    from .findings_pages import by_assessment, ensure_findings

    yield Asset(CSS_PATH, css())
    links = Links(corpus)
    found = by_assessment(ensure_findings(corpus, ctx))
    for code, m in sorted(corpus.municipalities.items()):
        yield municipality_page(m, corpus, links, [f for a in _docs_of(corpus, code)[0] for f in found.get(a.id, [])])
    docs: list[S.Assessment | S.CouncilRecord] = [*corpus.assessments, *corpus.council_records]
    progress, every = _progress(ctx)
    total = len(docs)
    for i, d in enumerate(docs, 1):
        path = links.doc_path(d.id)
        if isinstance(d, S.Assessment):
            fs = found.get(d.id, [])
            yield Page(path, d.cover.title, _cached(d, links, fs, lambda: render_assessment(d, links, fs)))
        else:
            yield Page(path, d.subject, _cached(d, links, None, lambda: render_council_record(d, links)))
        if progress and (i % every == 0 or i == total):
            progress(i, total)


# Rendered document pages by document id, with a digest of everything the page shows: the document,
# its municipality, the documents it links to (council records ↔ assessments) and its findings.  A
# rebuild in the same process (`mkdocs serve`) re-renders only the pages whose digest changed.
_PAGE_CACHE: dict[str, tuple[bytes, str]] = {}


def _page_digest(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None) -> bytes:
    m = links.municipality(d.municipality)
    linked = links.records_of.get(d.id, []) if isinstance(d, S.Assessment) else links.assessments_of.get(d.id, [])
    h = hashlib.blake2b(digest_size=20)
    for part in (
        d.model_dump_json(),
        repr((m.code, m.name, m.prefecture, m.slug, links.doc_path(d.id))),
        *(links.docs[x].model_dump_json() + links.doc_url(x) for x in linked),
        repr(findings),
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.digest()


def _cached(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None, render: Callable[[], str]) -> str:
    digest = _page_digest(d, links, findings)
    hit = _PAGE_CACHE.get(d.id)
    disk = links.corpus.cache  # the per-document disk cache (hyoka.cache), if the build has one
    if hit is not None and hit[0] == digest:
        if disk is not None:
            disk.keep_page(digest)
        return hit[1]
    md = disk.get_page(digest) if disk is not None else None
    if md is None:
        md = render()
        if disk is not None:
            disk.put_page(digest, md)
    _PAGE_CACHE[d.id] = (digest, md)
    return md


# ---- municipality -------------------------------------------------------------------------------


def _docs_of(corpus: Corpus, code: str) -> tuple[list[S.Assessment], list[S.CouncilRecord]]:
    a = sorted((d for d in corpus.assessments if d.municipality == code), key=lambda d: (date_key(d.cover.published), d.id), reverse=True)
    r = sorted((d for d in corpus.council_records if d.municipality == code), key=lambda d: (date_key(d.date), d.id), reverse=True)
    return a, r


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
    assessments, records = _docs_of(corpus, m.code)
    section = None
    if findings is not None:
        from .findings_pages import municipality_view

        section = municipality_view(findings, corpus, base)
    md = render(
        "municipality.md",
        front={"title": safe_title(f"{m.name}（{m.prefecture}）")},
        home=rel_url("", base), name=m.name, prefecture=m.prefecture, code=m.code,
        assessments=assessment_rows(assessments, links, base), records=record_rows(records, links, base),
        findings=section,
    )
    return Page(path, m.name, md)


# ---- home ---------------------------------------------------------------------------------------


def home_page(corpus: Corpus, ctx: SiteContext, outputs: Iterable[Page | Asset] = ()) -> Page:
    """The home page; it links the comparison pages (compare/…) found among `outputs`."""
    links = Links(corpus)
    base = ""
    by_form: dict[str, int] = {}
    for a in corpus.assessments:
        by_form[a.form] = by_form.get(a.form, 0) + 1
    with_docs = {d.municipality for d in [*corpus.assessments, *corpus.council_records]}
    description = getattr(ctx, "description", "") or "全国の地方公共団体が公表する特定個人情報保護評価書を、項目ごとに読み、都市間で比べるためのポータルです。"
    compare = sorted(
        (o for o in outputs if isinstance(o, Page) and o.path.startswith(COMPARE_PREFIX)),
        key=lambda p: (p.path != f"{COMPARE_PREFIX}index.md", p.path),
    )
    others = sorted(
        (o for o in outputs if isinstance(o, Page) and o.in_nav and not o.path.startswith(COMPARE_PREFIX) and o.path != HOME_PATH),
        key=lambda p: p.path,
    )
    trs = []
    for code, m in sorted(corpus.municipalities.items()):
        a, r = _docs_of(corpus, code)
        trs.append(N.TRow([
            N.Cell("団体", N.Link(rel_url(url_of(A.municipality_path(m.slug)), base), m.name)),
            N.Cell("都道府県", m.prefecture),
            N.Cell("団体コード", code),
            N.Cell("評価書", f"{len(a)} 件"),
            N.Cell("審議会記録", f"{len(r)} 件"),
        ]))
    latest = sorted(corpus.assessments, key=lambda d: (date_key(d.cover.published), d.id), reverse=True)[:LATEST]
    md = render(
        "home.md",
        front={"title": safe_title(ctx.site_title)},
        site_title=ctx.site_title,
        description=description,
        counts={"municipalities": len(with_docs), "assessments": len(corpus.assessments), "records": len(corpus.council_records)},
        forms="、".join(f"{f}（{S.FORM_NAMES[f]}）{n} 件" for f, n in sorted(by_form.items(), reverse=True)),
        compare=[(rel_url(url_of(p.path), base), p.title) for p in compare],
        others=[(rel_url(url_of(p.path), base), p.title) for p in others],
        municipalities=N.Table(["団体", "都道府県", "団体コード", "評価書", "審議会記録"], trs),
        latest=assessment_rows(latest, links, base),
        latest_max=LATEST,
    )
    return Page(HOME_PATH, ctx.site_title, md, in_nav=True)


def portal_description(site_config) -> str:
    """The portal's description from site_config/portal.yaml, as validated by hyoka.siteconfig ('' when the
    file is missing; a broken file is reported by validation, which stops the build before any page)."""
    from pathlib import Path

    from .siteconfig import load_site_config

    return load_site_config(Path(site_config)).portal.description
