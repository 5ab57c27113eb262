"""Benchmark of the in-browser search (hyoka.sitesearch): bytes fetched and time to first result.

    .venv/bin/python bench/bench_sitesearch.py                   # 1,000 synthetic assessments
    .venv/bin/python bench/bench_sitesearch.py --n 3000
    .venv/bin/python bench/bench_sitesearch.py --corpus /tmp/c   # an existing bench.generate output

Generates a corpus with `bench.generate` in a temp dir (never the repository's content/), exports
the index with `hyoka.sitesearch.export`, writes a bare search page (the same markup, script and
index as the built site, without the theme) and serves it on 127.0.0.1.  For each query, headless
chromium opens `search/?q=…` with a cold cache and reports:

    first  ms from the query start to the first results on screen, and bytes fetched by then
    done   ms until every block is read and the count and filter counts are final, and bytes
    reqs   index files fetched

and checks the browser's count against `tests/sitesearch_reader.Reader` (the same algorithm in Python,
which the tests check against the Whoosh search).  A benchmark script, not a test: it prints
numbers and exits 0.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

warnings.filterwarnings("ignore", category=SyntaxWarning)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hyoka import sitesearch as ss  # noqa: E402
from hyoka.companies import load_companies  # noqa: E402
from hyoka.loader import load_corpus  # noqa: E402
from hyoka.documents import corpus_documents  # noqa: E402
from tests.sitesearch_reader import Reader  # noqa: E402  (the browser's algorithm in Python)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
QUERIES = ["個人番号カード", "情報提供ネットワークシステム", "再委託", "委託先", "保管期間", "委", "委託 NOT 再委託",
           "特定個人情報ファイル", "存在しない語句"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a page closed mid-fetch: not our concern
        pass


def write_site(files: dict[str, bytes], site: Path) -> None:
    body = re.search(r"(<div id=\"hyoka-ss\".*</div>)", ss.search_page(), re.S).group(1)  # type: ignore[union-attr]
    (site / "search").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "search" / "index.html").write_text(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>検索 - bench</title>"
        "<link rel=\"stylesheet\" href=\"../assets/hyoka-sitesearch.css\"></head><body>"
        f"<main>{body}</main><script src=\"../assets/hyoka-sitesearch.js\"></script></body></html>",
        encoding="utf-8",
    )
    (site / "assets" / "hyoka-sitesearch.js").write_bytes(ss.asset("hyoka-sitesearch.js"))
    (site / "assets" / "hyoka-sitesearch.css").write_bytes(ss.asset("hyoka-sitesearch.css"))
    for path, content in files.items():
        out = site / ss.INDEX_DIR / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)


MEASURE = """() => {
  const marks = Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]));
  const start = marks['hyoka-ss:start'], first = marks['hyoka-ss:first-result'], done = marks['hyoka-ss:done'];
  const res = performance.getEntriesByType('resource').filter(r => r.name.includes('/search-index/'));
  const sum = (rs) => rs.reduce((a, r) => a + (r.encodedBodySize || r.transferSize || 0), 0);
  const byFirst = first === undefined ? [] : res.filter(r => r.responseEnd <= first);
  const kinds = {};
  byFirst.forEach(r => { const k = r.name.split('/search-index/')[1].split('/')[0]; kinds[k] = (kinds[k] || 0) + (r.encodedBodySize || 0); });
  return {start, first, done, kinds, reqs: res.length, bytes: sum(res), bytes_first: sum(byFirst),
          reqs_first: byFirst.length, total: window.hyokaSiteSearch.result ? window.hyokaSiteSearch.result.total : null};
}"""


def run(site: Path, reader: Reader, queries: list[str], repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    httpd = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for q in queries:
                runs = []
                for _ in range(repeat):
                    ctx = browser.new_context()  # cold cache each time
                    page = ctx.new_page()
                    page.goto(base + "search/?q=" + quote(q))
                    page.wait_for_selector("[data-hyoka-sitesearch][data-state=done]", timeout=300_000)
                    runs.append(page.evaluate(MEASURE))
                    ctx.close()
                expected = len(reader.search(q).ids)
                m = runs[-1]
                rows.append({
                    "query": q,
                    "hits": m["total"],
                    "ok": m["total"] == expected,
                    "first_ms": statistics.median(r["first"] - r["start"] for r in runs) if m["first"] is not None else None,
                    "page_first_ms": statistics.median(r["first"] for r in runs) if m["first"] is not None else None,
                    "done_ms": statistics.median(r["done"] - r["start"] for r in runs),
                    "bytes_first": m["bytes_first"],
                    "reqs_first": m["reqs_first"],
                    "bytes": m["bytes"],
                    "reqs": m["reqs"],
                    "kb_first_by_kind": {k: round(v / 1024) for k, v in sorted(m["kinds"].items())},
                })
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="synthetic assessments (bench.generate)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, help="an existing bench.generate output (content/ and site_config/)")
    ap.add_argument("--repeat", type=int, default=3, help="cold runs per query (median)")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-sitesearch-"))
    try:
        corpus_dir = args.corpus
        if corpus_dir is None:
            from bench.generate import generate

            t = time.perf_counter()
            corpus_dir = tmp / "corpus"
            generate(args.n, corpus_dir, seed=args.seed)
            print(f"corpus: {args.n} assessments generated in {time.perf_counter() - t:.1f} s ({corpus_dir})")
        t = time.perf_counter()
        corpus = load_corpus(corpus_dir / "content", corpus_dir / "site_config", root=corpus_dir)
        docs = ss.order(corpus_documents(corpus, load_companies(corpus_dir / "site_config")))
        chars = sum(len(d["content"]) for d in docs)
        print(f"loaded: {len(corpus.assessments)} assessments, {len(corpus.council_records)} council records, "
              f"{len(docs):,} index documents, {chars / 1e6:.1f} M characters ({time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        files = ss.export(docs)
        export_s = time.perf_counter() - t
        st = ss.stats(files)
        kinds: dict[str, list[int]] = {}
        gz: dict[str, int] = {}
        for path, b in files.items():
            k = path.split("/", 1)[0]
            kinds.setdefault(k, []).append(len(b))
            gz[k] = gz.get(k, 0) + len(gzip.compress(b, 6))  # what a server sends with Content-Encoding: gzip
        print(f"index: exported in {export_s:.1f} s; {st.blocks} blocks, {st.files:,} files, {st.bytes / 1e6:.1f} MB "
              f"({sum(gz.values()) / 1e6:.1f} MB gzipped; {st.bytes / len(docs):.0f} / {sum(gz.values()) / len(docs):.0f} bytes "
              f"per document); largest {st.largest[0]} {st.largest[1] / 1024:.0f} KB")
        for k, sizes in sorted(kinds.items()):
            print(f"  {k:14s} {len(sizes):6,} files  {sum(sizes) / 1e6:8.1f} MB  gzipped {gz[k] / 1e6:7.1f} MB  "
                  f"median {statistics.median(sizes) / 1024:7.1f} KB  max {max(sizes) / 1024:7.1f} KB")
        site = tmp / "site"
        write_site(files, site)
        reader = Reader(files)
        rows = run(site, reader, QUERIES, args.repeat)
        print()
        print(f"{'query':32s} {'hits':>8s} {'first ms':>9s} {'KB@first':>9s} {'req@1st':>8s} {'done ms':>9s} {'KB total':>9s} {'reqs':>6s}  ok  KB@first by file kind")
        for r in rows:
            first = f"{r['first_ms']:.0f}" if r["first_ms"] is not None else "-"
            print(f"{r['query']:32s} {r['hits']:>8,} {first:>9s} {r['bytes_first'] / 1024:>9.0f} {r['reqs_first']:>8d} "
                  f"{r['done_ms']:>9.0f} {r['bytes'] / 1024:>9.0f} {r['reqs']:>6d}  {'yes' if r['ok'] else 'NO'}  {r['kb_first_by_kind']}")
        if args.json:
            args.json.write_text(json.dumps({"docs": len(docs), "export_s": export_s, "files": st.files, "bytes": st.bytes,
                                             "gzip_bytes": sum(gz.values()),
                                             "largest": st.largest, "queries": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
