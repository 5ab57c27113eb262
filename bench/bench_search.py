"""Benchmark of the search index: build time, incremental update time, query latency (p50/p95).

    .venv/bin/python bench/bench_search.py              # the real content/
    .venv/bin/python bench/bench_search.py --copies 10  # 10 renamed copies of it in a temp dir

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", default=str(ROOT / "content"))
    ap.add_argument("--site-config", default=str(ROOT / "site_config"))
    ap.add_argument("--copies", type=int, default=1, help="benchmark on N renamed copies of the content")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each query")
    args = ap.parse_args(argv)
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
