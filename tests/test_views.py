"""The views package (hyoka.views): an explicit ordered list, JSON twins next to their pages, and a build that
can stream its pages to disk instead of holding them (the plugin's published builds do)."""

from __future__ import annotations

import datetime
import json

from realcontent import ROOT, corpus

from hyoka import views
from hyoka.findings import run_rules
from hyoka.site import Asset, Page, SiteContext, twin_path


def _ctx() -> SiteContext:
    c = corpus()
    return SiteContext(site_config_dir=str(ROOT / "site_config"), findings=run_rules(c.assessments, today=datetime.date(2026, 12, 1)))


def test_views_are_listed_in_order_with_home_last():
    names = [v.NAME for v in views.VIEWS]
    assert names[-1] == "home" and len(set(names)) == len(names)
    assert {"municipality", "assessment", "council_record", "findings", "data", "search"} <= set(names)
    assert all(callable(v.generate) for v in views.VIEWS)


def test_twin_paths_sit_under_the_page_url():
    assert twin_path("index.md") == "index.json"
    assert twin_path("kazo/index.md") == "kazo/index.json"
    assert twin_path("compare/contractors.md") == "compare/contractors/index.json"


def test_a_streamed_build_writes_the_same_pages_and_assets_and_holds_none(tmp_path):
    """With a sink, every page and asset is on disk, byte for byte what the in-memory build makes, and the
    returned items keep only their paths (no Markdown, no bytes): the generated site is not held in memory."""
    memory = views.build_outputs(corpus(), _ctx())
    sink = tmp_path / "generated"
    streamed = views.build_outputs(corpus(), _ctx(), sink=sink)
    assert [o.path for o in streamed] == [o.path for o in memory]
    for m, s in zip(memory, streamed):
        assert type(m) is type(s)
        if isinstance(s, Page):
            assert s.markdown is None and s.data is None and s.source == (sink / s.path).resolve()
            assert s.text() == m.markdown, s.path
        else:
            assert s.content is None and s.bytes() == m.content, s.path
    files = {p.relative_to(sink).as_posix() for p in sink.rglob("*") if p.is_file()}
    assert files == {o.path for o in memory}


def test_pages_with_a_twin_have_it_next_to_them_as_json():
    out = {o.path: o for o in views.build_outputs(corpus(), _ctx())}
    twins = {p: o for p, o in out.items() if isinstance(o, Page) and o.data is not None}
    # every view's pages have a twin (the document pages too, one per document)
    assert {"index.md", "data/index.md", "findings/index.md", "search/index.md", "glossary/index.md", "municipalities/index.md",
            "compare/index.md", "compare/contractors.md", "compare/retention.md", "compare/risks.md"} <= set(twins)
    c = corpus()
    assert all(page.path in twins for page in out.values() if isinstance(page, Page)), [
        p for p, o in out.items() if isinstance(o, Page) and p not in twins]
    from hyoka.views.parts import Links
    links = Links(c)
    assert {links.doc_path(d.id) for d in [*c.assessments, *c.council_records]} <= set(twins)
    for path, page in twins.items():
        asset = out[twin_path(path)]
        assert isinstance(asset, Asset)
        assert json.loads(asset.content.decode("utf-8")) == json.loads(json.dumps(page.data, ensure_ascii=False)), path
    findings = json.loads(out["findings/index.json"].content)
    assert len(findings["rows"]) == len(_ctx().findings) and findings["rows"][0]["finding"]["statement"]
    search = json.loads(out["search/index.json"].content)
    from hyoka import fields
    assert [f["name"] for f in search["facets"]] == list(fields.NAMES) and search["facets"][0]["label"] == fields.label("city")
    data = json.loads(out["data/index.json"].content)
    assert [t["name"] for t in data["tables"]] == ["entrustments", "retention", "answers", "changes", "findings"]


def test_an_unsafe_path_from_a_view_is_refused_before_the_sink_is_written(tmp_path):
    import types

    import pytest

    from hyoka.safepath import UnsafePath

    def evil(corpus, ctx):
        yield Asset("../outside.txt", b"x")

    with pytest.raises(UnsafePath):
        views.build_outputs(corpus(), _ctx(), extra=[types.SimpleNamespace(NAME="evil", generate=evil)], sink=tmp_path / "g")
    assert not (tmp_path / "outside.txt").exists()


def test_every_folder_the_views_write_is_reserved_from_municipality_slugs():
    """A municipality's pages go to `<slug>/`: a slug equal to one of the site's own folders would collide, so
    site_config/ refuses those (hyoka.siteconfig.SITE_FOLDERS). That list must hold every folder a view writes."""
    from hyoka import assets
    from hyoka.siteconfig import SITE_FOLDERS

    c = corpus()
    slugs = {m.slug for m in c.municipalities.values()}
    paths = [o.path for o in views.build_outputs(c, _ctx())] + [p for p, _ in assets.files()]
    folders = {p.split("/")[0] for p in paths if "/" in p} - slugs
    assert folders <= set(SITE_FOLDERS), folders - set(SITE_FOLDERS)
