"""Benchmark of the search index: build time, incremental update time, query latency (p50/p95).

    .venv/bin/python bench/bench_search.py              # the real content/
    .venv/bin/python bench/bench_search.py --copies 10  # 10 renamed copies of it in a temp dir
    .venv/bin/python -m bench.bench_search --generated 1000 --workdir /tmp/q1000 [--check] [--profile F]
        # the query part of `python -m bench` alone: a generated national corpus of N assessments
        # (bench.generate, the bench's seed) indexed as a build does (two segments, in two processes;
        # kept in --workdir and reused), then bench.child's queries, 1 cold + --repeat warm runs each;
        # --check also runs each query through Whoosh's plain search and requires the same total,
        # hits, scores and facet counts; --profile writes a cProfile of the warm runs

A benchmark script, not a test: it prints numbers and exits 0.  Files of content/ that do not
validate (content is being transcribed) are left out and listed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", category=SyntaxWarning)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hyoka.companies import load_companies  # noqa: E402
from hyoka.documents import corpus_documents  # noqa: E402
from hyoka.loader import load_corpus  # noqa: E402
from hyoka_search.index import open_index, update_index  # noqa: E402
from hyoka_search.query import search  # noqa: E402

# (query, filters): Japanese compound words, one character, boolean forms, filters and facets
QUERIES: list[tuple[str, dict]] = [
    ("個人番号カード", {}),
    ("情報提供ネットワークシステム", {}),
    ("再委託", {}),
    ("委託先", {"kind": "entrust"}),
    ("再委託 OR 委託先", {}),
    ("委託 NOT 再委託", {}),
    ("アクセス権限", {"section": "Ⅲ"}),
    ("保管", {"form": "様式4"}),
    ("課題", {"answer": "課題が残されている"}),
    ("税", {}),
    ("紙", {"form": "様式3"}),
    ("", {"retention": "5年"}),
    ("", {"kind": "risk"}),
    ("研修", {"section": "Ⅳ"}),
    ("漏えい 滅失 毀損", {}),
    ("バックアップ", {}),
]


def valid_content(src: Path, dest: Path, site_config: Path) -> list[str]:
    """Copy src to dest without the files that do not validate; returns the left-out files."""
    shutil.copytree(src, dest)
    dropped: list[str] = []
    for _ in range(100):
        corpus = load_corpus(dest, site_config, root=dest.parent)
        bad = {p.file for p in corpus.problems}
        files = [dest.parent / f for f in bad if (dest.parent / f).exists()]
        if not files:
            break
        for f in files:
            dropped.append(str(f.relative_to(dest.parent)))
            f.unlink()
    return dropped


def make_copies(content: Path, dest: Path, n: int) -> None:
    """n copies of content/ with every document id suffixed (-c1 …), links rewritten."""
    files = [p for p in content.rglob("*.yaml")]
    ids = [p.stem for p in files]
    pattern = re.compile("|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)))
    for k in range(1, n + 1):
        for p in files:
            text = pattern.sub(lambda m: f"{m.group(0)}-c{k}", p.read_text(encoding="utf-8"))
            out = dest / f"c{k}" / p.relative_to(content).parent / f"{p.stem}-c{k}.yaml"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def generated_queries(n: int, workdir: Path, repeat: int, check: bool, profile: str | None, seed: int) -> int:
    """The query benchmark of `python -m bench` on a generated corpus, without the site build."""
    import cProfile
    import json

    from bench.child import QUERIES as BENCH_QUERIES
    from bench.child import _pct
    from bench.generate import generate, load_templates
    from hyoka_search import query as hq
    from hyoka_search.build import start_index

    project = workdir / f"n{n}" / "project"
    index_dir = project / ".hyoka-index"
    stamp = workdir / f"n{n}" / "corpus.json"
    if not (stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == {"n": n, "seed": seed}
            and index_dir.exists()):
        shutil.rmtree(workdir / f"n{n}", ignore_errors=True)
        t0 = time.perf_counter()
        generate(n, project, seed=seed, templates=load_templates())
        corpus = load_corpus(project / "content", project / "site_config", root=project)
        if corpus.problems:
            print("generated corpus has problems:", *corpus.problems[:5], sep="\n  ")
            return 1
        job = start_index(corpus, project / "site_config", index_dir, background_min_docs=0,
                          work_dir=workdir / f"n{n}" / "work")
        report = job.wait() if hasattr(job, "wait") else job
        stamp.write_text(json.dumps({"n": n, "seed": seed}), encoding="utf-8")
        print(f"generated N = {n} and indexed it in {time.perf_counter() - t0:.1f} s ({report.stats.summary()})")
    import yaml

    # bench.child's "<first city>": the lowest municipality code (of site_config, as corpus.municipalities)
    first_city = sorted(yaml.safe_load((project / "site_config" / "municipalities.yaml").read_text(encoding="utf-8")))[0]
    ix = open_index(index_dir)
    with ix.reader() as r:
        docs, segments = r.doc_count(), len(r.leaf_readers())
    warm: list[float] = []
    plain_warm: list[float] = []
    rows = []
    prof = cProfile.Profile() if profile else None
    mismatches = 0
    for text, filters in BENCH_QUERIES:
        filters = {k: (first_city if v == "<first city>" else v) for k, v in filters.items()}
        times, plain_times = [], []
        res = plain = None
        for r in range(1 + repeat):
            if prof is not None and r > 0:
                prof.enable()
            t0 = time.perf_counter()
            res = hq.search(ix, text, filters, limit=20)
            times.append(time.perf_counter() - t0)
            if prof is not None and r > 0:
                prof.disable()
            if check:  # interleaved with the fast runs: the same machine load for both
                hq.PLAIN = True
                try:
                    t0 = time.perf_counter()
                    plain = hq.search(ix, text, filters, limit=20)
                    plain_times.append(time.perf_counter() - t0)
                finally:
                    hq.PLAIN = False
        warm += times[1:]
        plain_warm += plain_times[1:]
        same = ""
        if check:
            ok = (res.total == plain.total and res.facets == plain.facets
                  and [(h["key"], h["score"]) for h in res.hits] == [(h["key"], h["score"]) for h in plain.hits])
            mismatches += not ok
            same = (f"  plain Whoosh {statistics.median(plain_times[1:]) * 1000:7.1f} ms"
                    + (", same results" if ok else ", RESULTS DIFFER"))
        rows.append((text or "（なし）", filters, res.total, times[0] * 1000, statistics.median(times[1:]) * 1000, same))
    ix.close()
    print(f"N = {n}: {docs:,} index documents in {segments} segments; {len(BENCH_QUERIES)} queries × (1 cold + {repeat} warm), limit 20, facets over all hits")
    for q, filters, total, cold, med, same in rows:
        f = " ".join(f"{k}={v}" for k, v in filters.items())
        print(f"  {q:<22} {f:<26} {total:>6} hits  cold {cold:7.1f} ms  warm p50 {med:7.1f} ms{same}")
    print(f"warm: p50 {_pct(warm, 0.5) * 1000:.1f} ms · p95 {_pct(warm, 0.95) * 1000:.1f} ms (as bench.child)")
    if plain_warm:
        print(f"plain Whoosh search, interleaved: p50 {_pct(plain_warm, 0.5) * 1000:.1f} ms · p95 {_pct(plain_warm, 0.95) * 1000:.1f} ms"
              f" → fast path p95 = {_pct(warm, 0.95) / _pct(plain_warm, 0.95):.2f} × plain")
    if prof is not None:
        prof.dump_stats(profile)
        print(f"profile of the warm runs: {profile}")
    return 1 if mismatches else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", default=str(ROOT / "content"))
    ap.add_argument("--site-config", default=str(ROOT / "site_config"))
    ap.add_argument("--copies", type=int, default=1, help="benchmark on N renamed copies of the content")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each query")
    ap.add_argument("--generated", type=int, metavar="N", help="the query benchmark on a generated corpus of N assessments")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "hyoka-bench-queries"),
                    help="with --generated: where the corpus and its index are kept (and reused)")
    ap.add_argument("--seed", type=int, default=20251123, help="with --generated: the generator's seed (python -m bench's)")
    ap.add_argument("--check", action="store_true", help="with --generated: compare every query with Whoosh's plain search")
    ap.add_argument("--profile", help="with --generated: write a cProfile of the warm runs to this file")
    args = ap.parse_args(argv)
    if args.generated:
        return generated_queries(args.generated, Path(args.workdir), args.repeat, args.check, args.profile, args.seed)
    site_config = Path(args.site_config)
    with tempfile.TemporaryDirectory(prefix="hyoka-bench-") as tmp:
        tmp_path = Path(tmp)
        base = tmp_path / "valid" / "content"
        base.parent.mkdir()
        dropped = valid_content(Path(args.content), base, site_config)
        content = base
        if args.copies > 1:
            content = tmp_path / "copies" / "content"
            make_copies(base, content, args.copies)
        t0 = time.perf_counter()
        corpus = load_corpus(content, site_config, root=content.parent)
        t_load = time.perf_counter() - t0
        if corpus.problems:
            print("content problems:", *corpus.problems[:5], sep="\n  ")
            return 1
        registry = load_companies(site_config)
        t0 = time.perf_counter()
        docs = corpus_documents(corpus, registry)
        t_docs = time.perf_counter() - t0
        chars = sum(len(d["content"]) for d in docs)
        index_dir = tmp_path / "index"
        full = update_index(corpus, registry, index_dir, docs=docs)
        noop = update_index(corpus, registry, index_dir, docs=docs)
        # change one document's text, as after editing one YAML item
        target = next(d for d in docs if d["kind"] == "risk_item")
        changed = [dict(d) for d in docs]
        for d in changed:
            if d["key"] == target["key"]:
                d["content"] += "（ベンチマークによる変更）"
                from hyoka.documents import doc_hash

                d["hash"] = doc_hash(d)
        one = update_index(corpus, registry, index_dir, docs=changed)
        size = sum(p.stat().st_size for p in index_dir.iterdir())

        ix = open_index(index_dir)
        rows = []
        all_times: list[float] = []
        for q, filters in QUERIES:
            times = []
            total = 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                res = search(ix, q, filters, limit=20)
                times.append((time.perf_counter() - t0) * 1000)
                total = res.total
            all_times += times
            rows.append((q or "（なし）", filters, total, statistics.median(times), max(times)))
        ix.close()

    n_assess = len(corpus.assessments)
    print(f"content: {n_assess} assessments, {len(corpus.council_records)} council records"
          f"{f' (×{args.copies} copies)' if args.copies > 1 else ''}; {len(docs)} index documents, {chars:,} characters")
    if dropped:
        print(f"left out (do not validate yet): {', '.join(dropped)}")
    print(f"load+validate {t_load:.2f} s · documents {t_docs:.2f} s")
    print(f"index: full build {full.seconds:.2f} s · no-op update {noop.seconds:.2f} s · one changed item {one.seconds:.2f} s"
          f" (added {one.added}, deleted {one.deleted}) · size {size / 1e6:.1f} MB")
    print(f"queries ({len(QUERIES)} × {args.repeat} runs, limit 20 + 8 facets over all hits):")
    for q, filters, total, med, worst in rows:
        f = " ".join(f"{k}={v}" for k, v in filters.items())
        print(f"  {q:<24} {f:<22} {total:>6} hits  p50 {med:7.1f} ms  max {worst:7.1f} ms")
    print(f"all queries: p50 {pct(all_times, 50):.1f} ms · p95 {pct(all_times, 95):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
