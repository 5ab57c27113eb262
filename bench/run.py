"""The national-scale benchmark: `python -m bench` (or `make bench`).

For each N (100 and 1,000; 5,000 with --large, 30,000 with --huge) it generates a synthetic corpus (bench.generate) in a
temporary folder, validates it, and runs every measured step in its own child process
(bench.child): the full `mkdocs build` with our plugin (then a rebuild after one YAML change), the
Whoosh index and its query latencies, a rebuild in a new process after one more change (the
per-document disk cache warm), and two baselines on the very same generated Markdown:
Python-Markdown alone (the floor of any MkDocs site) and a plain `mkdocs build` of those pages with
the default navigation (capped by --plain-timeout).  Prints a table and writes
bench/out/results.json (and results.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .generate import REPO, generate, load_templates

OUT = REPO / "bench" / "out"

# Targets of issue 9 (measured on the 2-core benchmark machine).
TARGETS = {
    "build_vs_floor": 1.5,  # full build at N=1,000 within 1.5× the Python-Markdown floor
    "page_bytes_growth": 1.2,  # bytes per assessment page at N=1,000 within 1.2× those at N=100
    "rebuild_share": 0.10,  # rebuild after one YAML change under 10% of a full build (N=1,000)
    "query_p95_ms": 50.0,  # Whoosh query p95 with filters (N=1,000)
    "peak_rss_mb_large": 1024.0,  # peak memory at N=5,000
    "rebuild_fresh_share": 0.05,  # issue 18: a new build after one YAML change ≤ 5 % of a full build (N=1,000)
}


@dataclasses.dataclass
class ChildRun:
    result: dict[str, Any] | None
    wall: float
    maxrss_mb: float
    returncode: int | None
    timed_out: bool
    log: Path


def run_child(step: str, project: Path, workdir: Path, timeout: float | None = None, **opts: Any) -> ChildRun:
    result = workdir / f"{step}.json"
    log = workdir / f"{step}.log"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, "-X", "utf8", "-m", "bench.child", step, "--project", str(project), "--result", str(result)]
    for k, v in opts.items():
        if v is None or v is False:
            continue
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    t0 = time.perf_counter()
    with open(log, "wb") as fh:
        p = subprocess.Popen(cmd, cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, env=env)
        timed_out = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - t0 > timeout:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                timed_out = True
                break
            time.sleep(0.05)
        p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    data = json.loads(result.read_text(encoding="utf-8")) if result.exists() else None
    return ChildRun(data, wall, ru.ru_maxrss / 1024, p.returncode, timed_out, log)


def _dir_bytes(path: Path) -> tuple[int, int]:
    total = files = 0
    if path.exists():
        for p in path.resolve().rglob("*"):
            if p.is_file():
                total += p.stat().st_size
                files += 1
    return total, files


def _html_pages(path: Path) -> int:
    return sum(1 for _ in path.resolve().rglob("index.html")) if path.exists() else 0


def _largest_page(path: Path) -> tuple[int, str]:
    """The largest HTML page of a site (bytes, its folder): no page may grow with N (issue 18)."""
    if not path.exists():
        return 0, ""
    site = path.resolve()
    return max(((p.stat().st_size, str(p.parent.relative_to(site)) + "/") for p in site.rglob("index.html")), default=(0, ""))


def make_project(root: Path) -> Path:
    """A temporary MkDocs project like the repository: our mkdocs.yml, docs/, overrides."""
    project = root / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    if (REPO / "docs").exists():
        shutil.copytree(REPO / "docs", project / "docs", dirs_exist_ok=True)
    else:
        (project / "docs").mkdir(exist_ok=True)
    for extra in ("overrides", "theme"):
        if (REPO / extra).is_dir():
            shutil.copytree(REPO / extra, project / extra, dirs_exist_ok=True)
    return project


def make_plain_project(root: Path, md_docs: Path, project: Path) -> Path:
    """What a user would write by hand for these Markdown files: the theme, the same Markdown
    extensions (the pages use attr_list ids), and MkDocs' defaults (navigation of all pages, search)."""
    plain = root / "plain"
    plain.mkdir(parents=True, exist_ok=True)
    try:
        cfg = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        cfg = {}
    conf = {
        "site_name": cfg.get("site_name", "評価書ポータル"),
        "docs_dir": str(md_docs),
        "site_dir": str(plain / "site"),
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "ja", "font": False},
    }
    if cfg.get("markdown_extensions"):
        conf["markdown_extensions"] = cfg["markdown_extensions"]
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(conf, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return plain


def bench_one(n: int, args, templates) -> dict[str, Any]:
    root = Path(args.workdir) / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    project = make_project(root)
    r: dict[str, Any] = {"n": n}
    say = lambda *a: print(f"[N={n}]", *a, flush=True)  # noqa: E731

    t0 = time.perf_counter()
    g = generate(n, project, seed=args.seed, templates=templates)
    r["generate_seconds"] = time.perf_counter() - t0
    r["assessments"] = len(g.assessments)
    r["council_records"] = len(g.council_records)
    r["municipalities"] = g.municipalities
    r["forms"] = g.forms
    r["yaml_bytes"] = g.yaml_bytes
    say(f"generated {n} assessments ({g.forms}), {len(g.council_records)} council records, "
        f"{g.municipalities} municipalities, {g.yaml_bytes / 1e6:.1f} MB YAML in {r['generate_seconds']:.1f} s")

    v = run_child("validate", project, root)
    r["validate"] = v.result
    r["validate_peak_rss_mb"] = v.maxrss_mb
    if not v.result or v.result["problems"]:
        raise SystemExit(f"generated corpus does not validate: {v.result and v.result['first_problems']} (log {v.log})")
    say(f"validated: 0 problems, load_corpus {v.result['load_seconds']:.1f} s, peak {v.maxrss_mb:.0f} MB")

    # full build + dump + rebuild after one change
    change = sorted(g.content.rglob("*.yaml"))[len(g.assessments) // 2]
    while "toshin" in change.stem:  # a council record: pick an assessment instead
        change = change.with_name(sorted(p.name for p in change.parent.glob("*.yaml") if "toshin" not in p.stem)[0])
    shutil.rmtree(project / "site", ignore_errors=True)
    md = root / "md"
    b = run_child("build", project, root, dump_md=md, change=change.relative_to(project),
                  profile=(root / "build.prof") if args.profile else None,
                  profile_rebuild=(root / "rebuild.prof") if args.profile else None)
    if b.returncode != 0 or not b.result:
        tail = b.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"build failed (rc={b.returncode}), log {b.log}:\n{tail}")
    br = b.result
    r["build_seconds"] = br["build_seconds"]
    r["build_process_seconds"] = b.wall
    r["per_assessment_ms"] = br["build_seconds"] / n * 1000
    # The index may be written by a second process during the build: its peak counts too (the sum of
    # both peaks is an upper bound of the memory the build needed at once).
    r["peak_rss_main_mb"] = br["peak_rss_build_mb"]
    r["index_child_peak_rss_mb"] = br.get("index_child_peak_rss_mb")
    r["peak_rss_build_mb"] = br["peak_rss_build_mb"] + (r["index_child_peak_rss_mb"] or 0)
    r["index_report"] = br.get("index_report")
    r["peak_rss_process_mb"] = b.maxrss_mb
    r["rebuild_seconds"] = br.get("rebuild_seconds")
    r["rebuild_share"] = br["rebuild_seconds"] / br["build_seconds"] if br.get("rebuild_seconds") else None
    r["rebuild_change_visible"] = br.get("rebuild_change_visible")
    r["phases"] = br.get("phases")
    r["rebuild_phases"] = br.get("rebuild_phases")
    r["generators"], r["rebuild_generators"] = br.get("generators"), br.get("rebuild_generators")  # seconds per hyoka.site generator
    r["md_pages"], r["md_bytes"], r["md_source"] = br.get("md_pages"), br.get("md_bytes"), br.get("md_source")
    # The site as published after the full build is measured after the rebuild (same pages, one changed).
    site = project / "site"
    r["site_bytes"], r["site_files"] = _dir_bytes(site)
    r["html_pages"] = _html_pages(site)
    r["largest_page_bytes"], r["largest_page"] = _largest_page(site)
    sizes = []
    for doc_id, slug, _form in g.assessments:
        p = site.resolve() / slug / doc_id / "index.html"
        if p.exists():
            sizes.append(p.stat().st_size)
    r["assessment_pages"] = len(sizes)
    r["bytes_per_assessment_page"] = sum(sizes) / len(sizes) if sizes else None
    r["site_bytes_per_assessment"] = r["site_bytes"] / n
    plugin_index = project / ".hyoka-index"
    r["plugin_index_bytes"] = _dir_bytes(plugin_index)[0] if plugin_index.exists() else None
    say(f"build {r['build_seconds']:.1f} s ({r['per_assessment_ms']:.0f} ms/assessment), peak {r['peak_rss_build_mb']:.0f} MB, "
        f"site {r['site_bytes'] / 1e6:.1f} MB, {r['assessment_pages']}/{n} assessment pages; "
        f"rebuild {r['rebuild_seconds'] or float('nan'):.1f} s (change visible: {r['rebuild_change_visible']})")

    # A new build process after one more change: what the per-document disk cache (hyoka.cache) saves.
    nb = run_child("rebuild", project, root, change=change.relative_to(project),
                   profile=(root / "rebuild-fresh.prof") if args.profile else None)
    fr = nb.result or {}
    r["rebuild_fresh_seconds"] = fr.get("rebuild_seconds")
    r["rebuild_fresh_share"] = fr["rebuild_seconds"] / br["build_seconds"] if fr.get("rebuild_seconds") else None
    r["rebuild_fresh_process_seconds"] = nb.wall
    r["rebuild_fresh_peak_rss_mb"] = nb.maxrss_mb
    r["rebuild_fresh_cache"] = fr.get("cache")
    r["rebuild_fresh_change_visible"] = fr.get("change_visible")
    r["rebuild_fresh_phases"], r["rebuild_fresh_generators"] = fr.get("phases"), fr.get("generators")
    if nb.returncode != 0 or not fr:
        say(f"rebuild in a new process failed (rc={nb.returncode}), log {nb.log}")
    else:
        say(f"rebuild in a new process {fr['rebuild_seconds']:.1f} s ({r['rebuild_fresh_share'] * 100:.0f} % of the full build), "
            f"cache {fr.get('cache')}")

    # Whoosh index and queries
    # queries run on the index the build made (its build time is the build's "index" phase); without
    # one (a plugin that does not index), the step builds it alone and times that
    plugin_ix = project / ".hyoka-index"
    ixr = run_child("index", project, root, index_dir=plugin_ix if plugin_ix.exists() else root / "index")
    phases = br.get("phases") or {}
    report = br.get("index_report") or {}
    if ixr.result and ixr.result.get("index_seconds") is None and report.get("seconds") is not None:
        ixr.result["index_seconds"] = report["seconds"]
        ixr.result["index_seconds_source"] = ("written by a second process during mkdocs build" if report.get("background")
                                              else "written inside mkdocs build")
    elif ixr.result and ixr.result.get("index_seconds") is None and "index" in phases:
        ixr.result["index_seconds"] = phases["index"]
        ixr.result["index_seconds_source"] = "build phase (hyoka_search.build.build_index inside mkdocs build)"
    r["index"] = ixr.result or {"index_error": f"index step failed (rc={ixr.returncode}), log {ixr.log}"}
    r["index_peak_rss_mb"] = ixr.maxrss_mb
    if ixr.result and "index_seconds" in ixr.result:
        say(f"index {ixr.result['index_seconds']:.1f} s, {ixr.result['index_bytes'] / 1e6:.1f} MB, "
            f"query p50 {ixr.result['query_p50_ms']:.1f} ms p95 {ixr.result['query_p95_ms']:.1f} ms")
    else:
        say(f"index: not measured ({r['index'].get('index_error')})")

    # baselines on the same Markdown
    if r["md_pages"]:
        f = run_child("floor", project, root, md=md)
        r["floor"] = f.result
        r["floor_peak_rss_mb"] = f.maxrss_mb
        r["build_vs_floor"] = r["build_seconds"] / f.result["floor_seconds"] if f.result else None
        say(f"Python-Markdown floor {f.result['floor_seconds']:.1f} s → build/floor {r['build_vs_floor']:.2f}×")
        if args.no_plain:
            r["plain"] = {"skipped": "--no-plain"}
        else:
            plain = make_plain_project(root, md / "docs", project)
            pr = run_child("plain", plain, root, timeout=args.plain_timeout)
            pb, pf = _dir_bytes(plain / "site")
            sizes = [(plain / "site" / slug / doc_id / "index.html") for doc_id, slug, _ in g.assessments]
            sizes = [p.stat().st_size for p in sizes if p.exists()]
            r["plain"] = {
                "seconds": pr.result["plain_seconds"] if pr.result else None,
                "process_seconds": pr.wall,
                "capped": pr.timed_out,
                "cap_seconds": args.plain_timeout,
                "returncode": pr.returncode,
                "peak_rss_mb": pr.maxrss_mb,
                "site_bytes": pb,
                "html_pages": _html_pages(plain / "site"),
                "assessment_pages": len(sizes),
                "bytes_per_assessment_page": sum(sizes) / len(sizes) if sizes else None,
            }
            if pr.timed_out:
                say(f"plain mkdocs: capped at {args.plain_timeout:.0f} s ({r['plain']['html_pages']} pages written, "
                    f"{pb / 1e6:.0f} MB, peak {pr.maxrss_mb:.0f} MB)")
            else:
                say(f"plain mkdocs {r['plain']['seconds']:.1f} s, site {pb / 1e6:.1f} MB, peak {pr.maxrss_mb:.0f} MB")
            if not args.keep:
                shutil.rmtree(plain / "site", ignore_errors=True)
    else:
        r["floor"] = None
        r["build_vs_floor"] = None
        r["plain"] = {"skipped": "no generated Markdown pages (page generators missing?)"}
    if not args.keep:
        for sub in ("md", "index"):
            shutil.rmtree(root / sub, ignore_errors=True)
    return r


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for mod in ("mkdocs", "material", "markdown", "whoosh", "pydantic", "yaml"):
        try:
            from importlib.metadata import version

            versions[mod] = version({"material": "mkdocs-material", "yaml": "PyYAML", "markdown": "Markdown", "whoosh": "Whoosh"}.get(mod, mod))
        except Exception:
            versions[mod] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_gb": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_head": commit,
        "versions": versions,
    }


def targets(results: list[dict[str, Any]]) -> dict[str, Any]:
    by_n = {r["n"]: r for r in results}
    out: dict[str, Any] = {}
    big = by_n.get(1000) or (by_n[max(by_n)] if by_n else None)
    small = by_n.get(100) or (by_n[min(by_n)] if by_n else None)

    def verdict(value, limit, lower_is_better=True):
        if value is None:
            return {"value": None, "target": limit, "met": None}
        return {"value": round(value, 4), "target": limit, "met": value <= limit if lower_is_better else value >= limit}

    if big:
        out["build_vs_floor"] = verdict(big.get("build_vs_floor"), TARGETS["build_vs_floor"])
        out["rebuild_share"] = verdict(big.get("rebuild_share"), TARGETS["rebuild_share"])
        out["rebuild_fresh_share"] = verdict(big.get("rebuild_fresh_share"), TARGETS["rebuild_fresh_share"])
        out["query_p95_ms"] = verdict((big.get("index") or {}).get("query_p95_ms"), TARGETS["query_p95_ms"])
        out["measured_at_n"] = big["n"]
    if big and small and big is not small and big.get("bytes_per_assessment_page") and small.get("bytes_per_assessment_page"):
        out["page_bytes_growth"] = verdict(big["bytes_per_assessment_page"] / small["bytes_per_assessment_page"], TARGETS["page_bytes_growth"])
    large = by_n.get(5000)
    out["peak_rss_mb_large"] = verdict(large.get("peak_rss_build_mb") if large else None, TARGETS["peak_rss_mb_large"])
    return out


def _f(v, fmt="{:.1f}", none="—"):
    return none if v is None else fmt.format(v)


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        ("assessments (様式2/3/4) + council records", lambda r: f"{r['assessments']} ({r['forms']['様式2']}/{r['forms']['様式3']}/{r['forms']['様式4']}) + {r['council_records']}"),
        ("municipalities", lambda r: str(r["municipalities"])),
        ("YAML in content/ (MB)", lambda r: _f(r["yaml_bytes"] / 1e6)),
        ("load_corpus alone (s)", lambda r: _f((r.get("validate") or {}).get("load_seconds"))),
        ("full build, wall (s)", lambda r: _f(r["build_seconds"])),
        ("  per assessment (ms)", lambda r: _f(r["per_assessment_ms"], "{:.0f}")),
        ("  child process incl. start-up and rebuild (s)", lambda r: _f(r["build_process_seconds"])),
        ("  of which load_corpus (s)", lambda r: _f((r.get("phases") or {}).get("load_corpus"))),
        ("  Whoosh index, second process (s) / build waited for it (s)", lambda r: f"{_f((r.get('index_report') or {}).get('seconds'))} / {_f((r.get('phases') or {}).get('index.wait'), none='0')}"
         if (r.get("index_report") or {}).get("background") else f"in process: {_f((r.get('phases') or {}).get('index.start', (r.get('phases') or {}).get('index')))}"),
        ("  of which hyoka pages → Markdown (s)", lambda r: _f((r.get("phases") or {}).get("render_markdown"))),
        ("  of which MkDocs Markdown → HTML (s)", lambda r: _f((r.get("phases") or {}).get("mkdocs.markdown"))),
        ("  of which MkDocs theme template + write (s)", lambda r: _f((r.get("phases") or {}).get("mkdocs.template_and_write"))),
        ("peak memory, full build (MB max RSS; main + index process)", lambda r: _f(r["peak_rss_build_mb"], "{:.0f}")
         + (f" ({_f(r.get('peak_rss_main_mb'), '{:.0f}')} + {_f(r.get('index_child_peak_rss_mb'), '{:.0f}')})" if r.get("index_child_peak_rss_mb") else "")),
        ("site total (MB)", lambda r: _f(r["site_bytes"] / 1e6)),
        ("HTML pages / assessment pages", lambda r: f"{r['html_pages']} / {r['assessment_pages']}"),
        ("bytes per assessment page (KB)", lambda r: _f(r["bytes_per_assessment_page"] and r["bytes_per_assessment_page"] / 1e3)),
        ("largest HTML page (KB)", lambda r: f"{_f(r.get('largest_page_bytes', 0) / 1e3)} (`{r.get('largest_page', '')}`)" if r.get("largest_page") else "—"),
        ("site bytes per assessment (KB)", lambda r: _f(r["site_bytes_per_assessment"] / 1e3)),
        ("rebuild after one YAML change (s)", lambda r: _f(r["rebuild_seconds"])),
        ("  rebuild / full build", lambda r: _f(r["rebuild_share"] and r["rebuild_share"] * 100, "{:.0f} %")),
        ("rebuild after one more change, new process, disk cache warm (s)", lambda r: _f(r.get("rebuild_fresh_seconds"))),
        ("  new-process rebuild / full build", lambda r: _f(r.get("rebuild_fresh_share") and r["rebuild_fresh_share"] * 100, "{:.0f} %")),
        ("  documents recomputed (cache misses: load/findings/docs/rows/page; site-search blocks)", lambda r: "/".join(
            str((r.get("rebuild_fresh_cache") or {}).get(f"{k}.miss", 0)) for k in ("load", "findings", "docs", "rows", "page"))
            + "; " + str((r.get("rebuild_fresh_cache") or {}).get("siteblock.miss", 0))),
        ("index build (s)", lambda r: _f((r.get("index") or {}).get("index_seconds"), none="not measured")),
        ("index size (MB)", lambda r: _f((r.get("index") or {}).get("index_bytes") and r["index"]["index_bytes"] / 1e6, none="not measured")),
        ("query p50 / p95 with filters (ms)", lambda r: f"{_f((r.get('index') or {}).get('query_p50_ms'), none='not measured')} / {_f((r.get('index') or {}).get('query_p95_ms'), none='—')}"),
        ("Python-Markdown floor, same pages (s)", lambda r: _f((r.get("floor") or {}).get("floor_seconds"), none="not measured")),
        ("  full build / floor", lambda r: _f(r.get("build_vs_floor"), "{:.2f}×")),
        ("plain mkdocs build, default nav (s)", lambda r: _plain_seconds(r)),
        ("  plain site total (MB)", lambda r: _f((r.get("plain") or {}).get("site_bytes") and r["plain"]["site_bytes"] / 1e6)),
        ("  plain bytes per assessment page (KB)", lambda r: _f((r.get("plain") or {}).get("bytes_per_assessment_page") and r["plain"]["bytes_per_assessment_page"] / 1e3)),
        ("  plain peak memory (MB)", lambda r: _f((r.get("plain") or {}).get("peak_rss_mb"), "{:.0f}")),
        ("  plain / our build (time)", lambda r: _ratio((r.get("plain") or {}).get("seconds"), r["build_seconds"])),
        ("  plain / our page (bytes per assessment page)", lambda r: _ratio((r.get("plain") or {}).get("bytes_per_assessment_page"), r.get("bytes_per_assessment_page"))),
    ]
    head = "| | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |"
    sep = "| --- |" + " ---: |" * len(results)
    lines = [head, sep]
    for name, fn in rows:
        cells = []
        for r in results:
            try:
                cells.append(fn(r))
            except Exception:
                cells.append("—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _plain_seconds(r):
    p = r.get("plain") or {}
    if p.get("skipped"):
        return "skipped"
    if p.get("capped"):
        return f"> {p['cap_seconds']:.0f} (capped; {p.get('html_pages')} pages written)"
    return _f(p.get("seconds"))


def _ratio(a, b):
    return "—" if not a or not b else f"{a / b:.2f}×"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100,1000", help="comma-separated N (default 100,1000)")
    ap.add_argument("--large", action="store_true", help="also N=5,000")
    ap.add_argument("--huge", action="store_true", help="also N=30,000 (the national scale; may run for hours, not in CI)")
    ap.add_argument("--seed", type=int, default=20251123)
    ap.add_argument("--plain-timeout", type=float, default=300.0, help="cap of the plain mkdocs baseline (s)")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain mkdocs baseline")
    ap.add_argument("--profile", action="store_true", help="write cProfile stats of the build and rebuild (workdir/nN/*.prof)")
    ap.add_argument("--workdir", help="where corpora and sites go (default: a temporary folder, removed unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--out", type=Path, default=OUT / "results.json")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.large and 5000 not in sizes:
        sizes.append(5000)
    if args.huge and 30000 not in sizes:
        sizes.append(30000)
    tmp = None
    if not args.workdir:
        tmp = tempfile.mkdtemp(prefix="hyoka-bench-")
        args.workdir = tmp
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}; work folder {args.workdir}", flush=True)
    templates = load_templates()
    results = []
    try:
        for n in sizes:
            results.append(bench_one(n, args, templates))
            _write(args, info, templates, results)
    finally:
        if tmp and not args.keep and not args.profile:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(table(results))
    print()
    print(json.dumps(targets(results), ensure_ascii=False, indent=1))
    print(f"\nwritten {args.out}")
    return 0


def _write(args, info, templates, results) -> None:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "machine": info,
        "seed": args.seed,
        "templates": templates.sources,
        "templates_fingerprint": templates.fingerprint,
        "plain_timeout": args.plain_timeout,
        "results": results,
        "targets": targets(results),
    }
    args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    args.out.with_suffix(".md").write_text(table(results) + "\n", encoding="utf-8")
