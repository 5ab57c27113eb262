"""The measured steps, each run in its own process by bench.run (so memory figures are separate).

    python -m bench.child STEP --project DIR --result FILE [options]

Steps: validate, build (full build, Markdown dump, rebuild after one YAML change in the same process),
rebuild (a new build process after one more change, with the disk cache of the build before), floor
(Python-Markdown alone over the dumped pages), plain (plain `mkdocs build` of the dumped pages with
the default navigation), index (Whoosh index build and query latencies).  Each writes one JSON
object to --result.  Timings exclude interpreter start-up and imports unless named *_process.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

CHANGE_MARK = "ベンチマーク変更マーカー"


def vm_hwm_mb() -> float | None:
    """Peak resident set size of this process so far (Linux /proc), in MB: as the index workers report it."""
    from hyoka_search.build import peak_rss_mb

    return peak_rss_mb()


def _quiet_logs(project: Path) -> None:
    log = logging.getLogger("mkdocs")
    log.handlers[:] = []
    h = logging.FileHandler(project / "bench-mkdocs.log", encoding="utf-8")
    h.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    log.addHandler(h)
    log.setLevel(logging.INFO)
    log.propagate = False


# ---- validate -----------------------------------------------------------------------------------


def step_validate(args) -> dict[str, Any]:
    from hyoka.loader import load_corpus

    t0 = time.perf_counter()
    c = load_corpus(args.project / "content", args.project / "site_config", root=args.project)
    dt_ = time.perf_counter() - t0
    return {
        "load_seconds": dt_,
        "assessments": len(c.assessments),
        "council_records": len(c.council_records),
        "problems": len(c.problems),
        "first_problems": [str(p) for p in c.problems[:10]],
        "peak_rss_mb": vm_hwm_mb(),
    }


# ---- build + dump + rebuild ---------------------------------------------------------------------


def _build(project: Path, profile: Path | None = None) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    t0 = time.perf_counter()
    cfg = load_config(str(project / "mkdocs.yml"))
    if profile is not None:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
        build(cfg)
        prof.disable()
        prof.dump_stats(str(profile))
    else:
        build(cfg)
    return time.perf_counter() - t0


def dump_markdown(project: Path, out: Path) -> dict[str, Any]:
    """Write the Markdown pages the plugin generated in the last build (or, failing that, those of
    hyoka.views.build_outputs) under out/docs/."""
    from mkdocs.config import load_config

    from hyoka.site import Page

    outputs = None
    try:
        import hyoka_mkdocs.plugin as plugin_mod  # noqa: F401  (registers the generators)

        for obj in _live_plugins():
            outputs = getattr(obj, "_outputs", None) or outputs
    except Exception:  # pragma: no cover - plugin missing or broken: fall back below
        outputs = None
    how = "plugin"
    if outputs and any(getattr(o, "source", None) is not None and not o.source.exists() for o in outputs):
        outputs = None  # a published build streamed its pages into its work folder, removed once published
    if not outputs:
        from hyoka.loader import load_corpus
        from hyoka.site import SiteContext
        from hyoka.views import build_outputs

        cfg = load_config(str(project / "mkdocs.yml"))
        corpus = load_corpus(project / "content", project / "site_config", root=project)
        outputs = build_outputs(corpus, SiteContext(site_title=cfg.site_name))
        how = "hyoka.views.build_outputs"
    docs = out / "docs"
    n = size = 0
    for item in outputs:
        if isinstance(item, Page):
            p = docs / item.path
            p.parent.mkdir(parents=True, exist_ok=True)
            data = item.text().encode("utf-8")
            p.write_bytes(data)
            n += 1
            size += len(data)
    return {"md_pages": n, "md_bytes": size, "md_source": how}


_PLUGINS: list[Any] = []


def _live_plugins() -> list[Any]:
    return _PLUGINS


def _capture_plugins() -> None:
    """Remember the hyoka plugin instances MkDocs creates (to read the pages they generated)."""
    try:
        import hyoka_mkdocs.plugin as plugin_mod
    except Exception:
        return
    cls = plugin_mod.HyokaPlugin
    orig = cls.__init__

    def init(self, *a, **kw):
        orig(self, *a, **kw)
        _PLUGINS.append(self)

    cls.__init__ = init


def _change_one(path: Path) -> None:
    import yaml

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    cover = data.setdefault("cover", {})
    cover["remarks"] = f"{CHANGE_MARK}（{time.time_ns()}）"
    text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")


_PHASES: dict[str, float] = {}


def _timed(owner: Any, name: str, phase: str) -> None:
    """Wrap owner.name so that the time spent in it adds up in _PHASES[phase] (outermost calls only)."""
    orig = getattr(owner, name, None)
    if orig is None or getattr(orig, "_bench_wrapped", False):
        return
    depth = [0]

    def wrapper(*a, **kw):
        depth[0] += 1
        t = time.perf_counter()
        try:
            return orig(*a, **kw)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                _PHASES[phase] = _PHASES.get(phase, 0.0) + time.perf_counter() - t

    wrapper._bench_wrapped = True  # type: ignore[attr-defined]
    setattr(owner, name, wrapper)


def _install_phase_timers() -> None:
    """Break a build down by phase without a profiler: the plugin's calls (as the plugin module names
    them) and MkDocs' per-page steps."""
    import mkdocs.commands.build as mb
    from mkdocs.structure.pages import Page as MkPage

    try:
        import hyoka_mkdocs.plugin as pm

        for name, phase in (("load_corpus", "load_corpus"), ("start_index", "index.start"), ("build_outputs", "render_markdown")):
            _timed(pm, name, phase)
        from hyoka_search.build import IndexJob

        _timed(IndexJob, "wait", "index.wait")  # the time the build waited for the index process
        if hasattr(pm, "HyokaPlugin"):
            for ev in ("on_pre_build", "on_files", "on_post_build", "on_config", "on_page_markdown", "on_page_content", "on_post_page"):
                if hasattr(pm.HyokaPlugin, ev):
                    _timed(pm.HyokaPlugin, ev, f"plugin.{ev}")
    except Exception:
        pass
    _timed(MkPage, "render", "mkdocs.markdown")
    _timed(mb, "_build_page", "mkdocs.template_and_write")
    _timed(mb, "_build_theme_template", "mkdocs.theme_templates")


def step_build(args) -> dict[str, Any]:
    project = args.project
    _quiet_logs(project)
    _capture_plugins()
    _install_phase_timers()
    t_imp = time.perf_counter()
    import mkdocs.commands.build  # noqa: F401
    import hyoka_mkdocs.plugin  # noqa: F401

    import_seconds = time.perf_counter() - t_imp
    _PHASES.clear()
    full = _build(project, args.profile)
    peak_full = vm_hwm_mb()
    report = next((p.index_report for p in reversed(_PLUGINS) if getattr(p, "index_report", None)), {})
    out: dict[str, Any] = {"build_seconds": full, "peak_rss_build_mb": peak_full, "import_seconds": import_seconds,
                           "phases": dict(_PHASES), "index_report": report,
                           "generators": next((dict(p.timings) for p in reversed(_PLUGINS) if getattr(p, "timings", None)), {}),
                           "index_child_peak_rss_mb": report.get("child_peak_rss_mb")}
    if args.dump_md:
        t0 = time.perf_counter()
        out.update(dump_markdown(project, args.dump_md))
        out["dump_seconds"] = time.perf_counter() - t0
    if args.change:
        first_plugins = list(_PLUGINS)  # MkDocs may reuse the plugin instance for the rebuild
        _PLUGINS.clear()
        _change_one(project / args.change)
        _PHASES.clear()
        re_ = _build(project, args.profile_rebuild)
        out["rebuild_seconds"] = re_
        out["rebuild_phases"] = dict(_PHASES)
        out["rebuild_generators"] = next((dict(p.timings) for p in reversed(_PLUGINS or first_plugins)
                                          if getattr(p, "timings", None)), {})
        page = next((p for p in (project / "site").resolve().rglob(f"{Path(args.change).stem}/index.html")), None)
        out["rebuild_change_visible"] = bool(page and CHANGE_MARK in page.read_text(encoding="utf-8"))
        out["peak_rss_with_rebuild_mb"] = vm_hwm_mb()
    return out


def step_rebuild(args) -> dict[str, Any]:
    """A new `mkdocs build` process after one YAML change, the disk cache (hyoka.cache) warm from the
    build before: what an author's next `make site` costs."""
    project = args.project
    _quiet_logs(project)
    _capture_plugins()
    _install_phase_timers()
    import mkdocs.commands.build  # noqa: F401
    import hyoka_mkdocs.plugin  # noqa: F401

    _change_one(project / args.change)
    _PHASES.clear()
    seconds = _build(project, args.profile)
    plugin = next(reversed(_PLUGINS), None)
    cache = getattr(plugin, "cache", None)
    page = next((p for p in (project / "site").resolve().rglob(f"{Path(args.change).stem}/index.html")), None)
    return {
        "rebuild_seconds": seconds,
        "phases": dict(_PHASES),
        "generators": dict(getattr(plugin, "timings", {}) or {}),
        "cache": ({f"{k}.{what}": n for (k, what), n in sorted(cache.stats.items())} if cache is not None else None),
        "change_visible": bool(page and CHANGE_MARK in page.read_text(encoding="utf-8")),
        "peak_rss_mb": vm_hwm_mb(),
    }


# ---- Python-Markdown floor ----------------------------------------------------------------------


def step_floor(args) -> dict[str, Any]:
    """Python-Markdown alone over the dumped pages, with the extensions MkDocs would use for them
    (a fresh Markdown instance per page, as MkDocs' Page.render does)."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.utils import meta

    cfg = load_config(str(args.project / "mkdocs.yml"), plugins=[])
    exts, ext_cfg = cfg.markdown_extensions, cfg.mdx_configs
    files = sorted((args.md / "docs").rglob("*.md"))
    sources = [f.read_text(encoding="utf-8") for f in files]
    t0 = time.perf_counter()
    size = 0
    for src in sources:
        body, _ = meta.get_data(src)
        html = markdown.Markdown(extensions=exts, extension_configs=ext_cfg).convert(body)
        size += len(html.encode("utf-8"))
    dt_ = time.perf_counter() - t0
    return {"floor_seconds": dt_, "floor_pages": len(files), "floor_html_bytes": size, "extensions": [str(e) for e in exts],
            "peak_rss_mb": vm_hwm_mb()}


# ---- plain mkdocs -------------------------------------------------------------------------------


def step_plain(args) -> dict[str, Any]:
    _quiet_logs(args.project)
    t = _build(args.project)
    return {"plain_seconds": t, "peak_rss_mb": vm_hwm_mb()}


# ---- Whoosh index -------------------------------------------------------------------------------

QUERIES: list[tuple[str | None, dict[str, str]]] = [
    ("再委託", {"form": "様式4"}),
    ("委託先", {"kind": "entrust"}),
    ("個人番号カード", {}),
    ("情報提供ネットワークシステム", {"section": "Ⅲ"}),
    ("目的外の入手", {"answer": "十分である"}),
    ("消去", {"retention": "20年以上"}),
    ("漏えい", {"city": "<first city>"}),
    ("アクセス権限", {"form": "様式3"}),
    ("委託", {"subcontract": "再委託する"}),
    (None, {"form": "様式2", "kind": "risk_item"}),
    ("住民基本台帳", {}),
    ("リスク", {"answer": "課題が残されている"}),
]


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _build_index_standalone(corpus, project: Path, index_dir: Path) -> int:
    try:
        from hyoka_search.build import build_index

        return build_index(corpus, project / "site_config", index_dir).stats.added
    except ImportError:
        from hyoka.companies import load_companies
        from hyoka_search.index import update_index

        return update_index(corpus, load_companies(project / "site_config"), index_dir).added


def step_index(args) -> dict[str, Any]:
    try:
        from hyoka_search import query as hq
        from hyoka_search.index import open_index
    except Exception as exc:
        return {"index_error": f"hyoka_search not importable: {exc!r}"}
    from hyoka.loader import load_corpus

    project = args.project
    corpus = load_corpus(project / "content", project / "site_config", root=project)
    index_dir = args.index_dir
    t0 = time.perf_counter()
    reused = False
    try:
        open_index(index_dir).close()
        reused = True  # the index the build just made: measure queries on it (its build time is a build phase)
    except Exception:
        pass
    docs = None if reused else _build_index_standalone(corpus, project, index_dir)
    index_seconds = None if reused else time.perf_counter() - t0
    index_bytes = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    first_city = sorted(corpus.municipalities)[0]
    del corpus
    ix = open_index(index_dir)
    if docs is None:
        docs = ix.doc_count()
    per_query: list[dict[str, Any]] = []
    warm: list[float] = []
    cold: list[float] = []
    for text, filters in QUERIES:
        filters = {k: (first_city if v == "<first city>" else v) for k, v in filters.items()}
        times = []
        total = None
        for r in range(1 + args.rounds):
            t = time.perf_counter()
            res = hq.search(ix, text, filters, limit=20)
            times.append(time.perf_counter() - t)
            total = res.total
        cold.append(times[0])
        warm.extend(times[1:])
        per_query.append({"q": text, "filters": filters, "hits": total, "cold_ms": times[0] * 1000,
                          "median_ms": statistics.median(times[1:]) * 1000})
    return {
        "index_seconds": index_seconds,
        "index_reused_from_build": reused,
        "index_bytes": index_bytes,
        "index_docs": docs,
        "query_p50_ms": _pct(warm, 0.5) * 1000,
        "query_p95_ms": _pct(warm, 0.95) * 1000,
        "query_cold_p95_ms": _pct(cold, 0.95) * 1000,
        "queries": per_query,
        "peak_rss_mb": vm_hwm_mb(),
    }


STEPS = {"validate": step_validate, "build": step_build, "rebuild": step_rebuild, "floor": step_floor, "plain": step_plain, "index": step_index}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.child")
    ap.add_argument("step", choices=sorted(STEPS))
    ap.add_argument("--project", type=Path, required=True)
    ap.add_argument("--result", type=Path, required=True)
    ap.add_argument("--md", type=Path, help="folder with the dumped Markdown (docs/)")
    ap.add_argument("--dump-md", type=Path, help="build: write the generated Markdown here")
    ap.add_argument("--change", help="build: the YAML (relative to the project) to change before the rebuild")
    ap.add_argument("--index-dir", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", type=Path, help="build: write a cProfile of the full build here")
    ap.add_argument("--profile-rebuild", type=Path, help="build: write a cProfile of the rebuild here")
    args = ap.parse_args(argv)
    args.project = args.project.resolve()
    t0 = time.perf_counter()
    result = STEPS[args.step](args)
    result["step_seconds"] = time.perf_counter() - t0
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
