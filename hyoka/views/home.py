"""The home view: the portal's home page (counts, the city picker, latest assessments, links to the
site-level pages).  It is built last: it links the pages the other views made (`ctx.pages`).

The markup is in hyoka/templates/home.md; the JSON twin (`index.json`) is the template's context as plain
values (hyoka.views.twin.plain).  No MkDocs here.
"""

from __future__ import annotations

from .. import schema as S
from ..htmlkit import rel_url, safe_title, url_of
from ..loader import Corpus
from ..site import Page, SiteContext
from ..templating import render
from .municipality import PICKER_JS, PICKER_PATH, PICKER_TITLE, assessment_rows, city_groups
from .parts import date_key, site_links
from .twin import plain

NAME = "home"
HOME_PATH = "index.md"
COMPARE_PREFIX = "compare/"
LATEST = 10


def generate(corpus: Corpus, ctx: SiteContext):
    yield home_page(corpus, ctx)


def home_page(corpus: Corpus, ctx: SiteContext) -> Page:
    """The home page; it links the comparison pages (compare/…) and the site-level pages among `ctx.pages`."""
    links = site_links(corpus, ctx)
    base = ""
    by_form: dict[str, int] = {}
    summaries = corpus.summaries()  # (no model read)
    for a in summaries:
        by_form[a.form] = by_form.get(a.form, 0) + 1
    with_docs = {d.municipality for docs in (summaries, corpus.council_records) for d in docs}
    description = getattr(ctx, "description", "") or "全国の地方公共団体が公表する特定個人情報保護評価書を、項目ごとに読み、都市間で比べるためのポータルです。"
    compare = sorted(
        ((path, title) for path, title, in_nav in ctx.pages if in_nav and path.startswith(COMPARE_PREFIX)),  # (not the part pages)
        key=lambda p: (p[0] != f"{COMPARE_PREFIX}index.md", p[0]),
    )
    others = sorted(
        ((path, title) for path, title, in_nav in ctx.pages
         if in_nav and not path.startswith(COMPARE_PREFIX) and path not in (HOME_PATH, PICKER_PATH)),
    )
    newest = sorted(((date_key(d.published), d.id) for d in summaries), reverse=True)[:LATEST]
    docs = corpus.doc_map()
    latest = [docs[aid] for _, aid in newest]  # (not every model at once: the corpus may be lazy)
    groups = city_groups(corpus, base)
    context = dict(
        site_title=ctx.site_title,
        description=description,
        counts={"municipalities": len(with_docs), "assessments": len(corpus.assessments), "records": len(corpus.council_records)},
        forms="、".join(f"{f}（{S.FORM_NAMES[f]}）{n} 件" for f, n in sorted(by_form.items(), reverse=True)),
        picker=rel_url(url_of(PICKER_PATH), base),
        picker_title=PICKER_TITLE,
        municipalities=groups,
        municipality_total=sum(len(g["municipalities"]) for g in groups),
        latest=assessment_rows(latest, links, base),
        latest_max=LATEST,
        compare=[{"href": rel_url(url_of(path), base), "title": title} for path, title in compare],
        others=[{"href": rel_url(url_of(path), base), "title": title} for path, title in others],
        _script=rel_url(PICKER_JS, base),
    )
    md = render("home.md", front={"title": safe_title(ctx.site_title)}, **context)
    return Page(HOME_PATH, ctx.site_title, md, in_nav=True, data=plain(context))
