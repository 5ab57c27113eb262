"""The council record view: one page per 答申・諮問 record, linked both ways with the assessments it names.

The markup is in hyoka/templates/council_record.md.  No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from .. import schema as S
from .. import nodes as N
from ..htmlkit import rel_url, safe_title
from ..loader import Corpus
from ..site import Page, SiteContext
from ..templating import render
from .assessment import labelled
from .pagecache import cached
from .twin import plain
from .parts import Fields, Links, NoteBoard, field_title, ja_date, path_id, site_links, source_fields

NAME = "council_record"

# ---- the council record page --------------------------------------------------------------------


def record_context(r: S.CouncilRecord, links: Links) -> dict:
    """What the template gets; the JSON twin is this context as plain values (hyoka.views.twin)."""
    m = links.municipality(r.municipality)
    url = links.doc_url(r.id)
    notes = NoteBoard(r.transcription_notes)
    label = " ".join(x for x in [r.number or r.record_type, r.subject] if x)
    header = {
        "home": rel_url("", url),
        "municipality_url": rel_url(links.municipality_url(r.municipality), url),
        "municipality": m.name,
        "prefecture": m.prefecture,
        "record_type": r.record_type,
        "subject": r.subject,
        "number": N.Text(r.number),
        "date": ja_date(r.date),
        "as_of": ja_date(r.source.as_of),
    }
    related = []
    for aid in links.assessments_of.get(r.id, []):
        a = links.docs[aid]
        assert isinstance(a, S.Assessment)
        related.append({"href": rel_url(links.doc_url(aid, "s6"), url), "title": a.cover.title, "form_name": a.form_name, "published": ja_date(a.cover.published)})
    fl = Fields(notes)
    for name in S.CouncilRecord.model_fields:
        if name in ("type", "id", "municipality", "text", "assessments", "source", "transcription_notes"):
            continue
        if name == "conditions":
            if r.conditions or any(n.path.startswith("conditions") for n in r.transcription_notes):
                items = []
                for i, cnd in enumerate(r.conditions):
                    p = f"conditions[{i}]"
                    items.append(N.Item([N.Text(cnd), N.Permalink(path_id(p), f"条件{i + 1}"), notes.at(p, path_id(p))], path_id(p)))
                fl.row(field_title(S.CouncilRecord, "conditions"), N.Bullets(items, ordered=True), "conditions", "conditions", deep=True)
            continue
        fl.field(r, name, "", always=name in ("record_type", "subject"))
    body = fl.node()
    text_part = None
    if r.text is not None or any(n.path == "text" for n in r.transcription_notes):
        text_part = {"title": field_title(S.CouncilRecord, "text"), "body": [notes.at("text", "text"), N.Div("hy-longtext", N.Text(r.text))]}
    assessments_notes = notes.at("assessments", "assessments", deep=True)
    source = source_fields(r.source, notes)
    rest = notes.at("", "notes", everything=True)
    return {
        "front": {"title": safe_title(f"{label}（{m.name}）"), "hide": ["navigation"]},
        "header": header, "body": body, "text_part": text_part, "related": related, "assessments_notes": assessments_notes,
        "source": source, "rest": rest,
        "notes": labelled(notes.entries(with_lines=False), r) if r.transcription_notes else None,
    }


def render_council_record(r: S.CouncilRecord, links: Links) -> str:
    return render("council_record.md", **record_context(r, links))


def page_and_twin(r: S.CouncilRecord, links: Links) -> tuple[str, object]:
    """The page's Markdown and its JSON twin, from one context."""
    context = record_context(r, links)
    return render("council_record.md", **context), plain(context)



def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page]:
    """One page per council record (re-rendered only when its digest changed)."""
    links = site_links(corpus, ctx)
    for r in corpus.council_records:
        md, data = cached(r, links, None, lambda: page_and_twin(r, links))
        yield Page(links.doc_path(r.id), r.subject, md, data=data)
