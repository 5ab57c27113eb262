"""The site's views, in the order they are built.  One module per view; each turns the corpus into its
page(s) (Markdown from a template in hyoka/templates/) and, where a page has one, its JSON twin from the
same context (`Page.data`, written at `hyoka.site.twin_path`).

    from hyoka.views import build_outputs
    outputs = build_outputs(corpus, SiteContext(...))      # every Page and Asset of the site

A view module has `NAME` and `generate(corpus, ctx) -> Iterable[Page | Asset]`; `NEEDS_INDEX = True` when
it reads the Whoosh index (it then runs after `ctx.index_ready()`).  Front ends may add views of their
own (`extra`: the plugin adds the Whoosh-backed ones of hyoka_search) — they run before the home page,
which is last because it links what the others made.

| view | pages |
| --- | --- |
| municipality | `<city>/` — one per municipality |
| assessment | `<city>/<id>/` — one per assessment (the form's sections, notes, findings) |
| council_record | `<city>/<id>/` — one per 答申・諮問 record |
| compare | `compare/` — the overview, 委託先, 保管期間, リスク対策 across cities (from the open data's rows) |
| compare | `compare/` — overview with charts; contractors, retention, risks across cities (from hyoka.export's rows) |
| findings | `findings/` — auditor findings across cities |
| data | `data/` — open data (JSON, CSV) and its description |
| glossary | `glossary/` — the form's terms in plain words |
| search | `search/` — the in-browser search page and its sharded index |
| sidebyside | `compare/side-by-side/` — two to four assessments item by item (its rows fetched per assessment) |
| sidebyside | `compare/side-by-side/` — two to four assessments item by item (picker; per assessment `items/<id>.json`) |
| home | `/` — the portal's home page |

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path
from types import ModuleType
from typing import Iterable

from ..loader import Corpus
from ..safepath import Within, safe_relpath
from ..site import Asset, Page, SiteContext, twin_path
from .pagecache import EncodedTwin
from . import assessment, compare, council_record, data, findings, glossary, home, municipality, search, sidebyside

VIEWS: tuple[ModuleType, ...] = (municipality, assessment, council_record, compare, findings, data, glossary, search, sidebyside, home)


def _json(value) -> bytes:
    from ..export import to_json

    if isinstance(value, EncodedTwin):  # (a cached page's twin: its text as it was written)
        return value
    return to_json(value)


def build_outputs(corpus: Corpus, ctx: SiteContext | None = None, extra: Iterable[ModuleType] = (),
                  sink: Path | None = None) -> list[Page | Asset]:
    """Every page and asset of the site: VIEWS in order, the `extra` views just before the home page.
    Views that read the index (NEEDS_INDEX) wait for `ctx.index_ready()` first.

    With a `sink` folder, every page's Markdown and every asset's bytes are written there as they are made
    (`sink/<path>`) and the returned items hold only their path (`Page.source`, `Asset.source`), so the
    build never holds the generated site in memory at once."""
    ctx = ctx or SiteContext()
    views = [v for v in VIEWS if v is not home] + list(extra) + [home]
    out: list[Page | Asset] = []
    seen: set[str] = set()
    within = Within(sink) if sink is not None else None
    folders: dict[str, Path] = {}  # folder of the sink → its resolved path, checked (and made) once

    def sink_path(rel: str) -> Path:
        """within(rel), with one check of each folder: a file is then checked only for being a link itself."""
        folder, _, name = rel.rpartition("/")
        base = folders.get(folder)
        if base is None:
            base = within(folder) if folder else within.base
            base.mkdir(parents=True, exist_ok=True)
            base = within(folder) if folder else within.base  # (as made: no link on the way)
            folders[folder] = base
        target = base / name
        return within(rel) if target.is_symlink() else target

    def add(item: Page | Asset) -> None:
        safe_relpath(item.path)  # every output path: relative, no '..' or empty segment (hyoka.safepath)
        if item.path in seen:
            raise ValueError(f"two views wrote {item.path}")
        seen.add(item.path)
        if within is not None:
            target = sink_path(item.path)
            if isinstance(item, Page):
                target.write_text(item.markdown, encoding="utf-8")
                item = dataclasses.replace(item, markdown=None, data=None, source=target)
            elif item.content is None and item.source is not None:  # written piece by piece already (ctx.work_dir)
                shutil.move(item.source, target)
                item = dataclasses.replace(item, source=target)
            else:
                target.write_bytes(item.content)
                item = dataclasses.replace(item, content=None, source=target)
        out.append(item)

    waited = False
    for view in views:
        if getattr(view, "NEEDS_INDEX", False) and ctx.index_ready is not None and not waited:
            t0 = time.perf_counter()
            ctx.index_ready()
            waited = True
            ctx.timings["(waiting for the index)"] = ctx.timings.get("(waiting for the index)", 0.0) + time.perf_counter() - t0
        t0 = time.perf_counter()
        for item in view.generate(corpus, ctx):
            twin = Asset(twin_path(item.path), _json(item.data)) if isinstance(item, Page) and item.data is not None else None
            add(item)
            if isinstance(item, Page):
                ctx.pages.append((item.path, item.title, item.in_nav))
            if twin is not None:
                add(twin)
        name = getattr(view, "NAME", view.__name__)
        ctx.timings[name] = ctx.timings.get(name, 0.0) + time.perf_counter() - t0
    return out
