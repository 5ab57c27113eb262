"""The benchmark cannot rot: the generator's corpus validates and a tiny benchmark (N = 5) runs end to
end and reports every figure.  Timings are never asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bench import generate as G
from bench.run import main as bench_main
from hyoka.loader import check_digit_ok, load_corpus

N = 5


@pytest.fixture(scope="module")
def templates():
    return G.load_templates()


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_corpus_validates_and_is_deterministic(tmp_path, templates):
    a = G.generate(40, tmp_path / "a", seed=7, templates=templates)
    corpus = load_corpus(a.content, a.site_config)
    assert [str(p) for p in corpus.problems] == []
    assert len(corpus.assessments) == 40
    assert len(corpus.council_records) == len(a.council_records)
    assert all(check_digit_ok(code) for code in corpus.municipalities)
    assert sum(a.forms.values()) == 40 and a.forms["様式2"] > a.forms["様式4"]  # most are 基礎項目
    b = G.generate(40, tmp_path / "b", seed=7, templates=templates)
    assert _files(a.content) == _files(b.content)
    assert _files(a.site_config) == _files(b.site_config)
    c = G.generate(40, tmp_path / "c", seed=8, templates=templates)
    assert _files(a.content) != _files(c.content)


def test_generator_refuses_the_repository_content():
    with pytest.raises(SystemExit):
        G.main(["--n", "1", "--out", str(G.REPO)])


REPORT_FIELDS = [
    "n", "assessments", "forms", "generate_seconds", "build_seconds", "per_assessment_ms", "build_process_seconds",
    "peak_rss_build_mb", "site_bytes", "html_pages", "assessment_pages", "bytes_per_assessment_page",
    "site_bytes_per_assessment", "rebuild_seconds", "rebuild_share", "rebuild_change_visible", "md_pages",
    "phases", "index", "floor", "build_vs_floor", "plain", "rebuild_fresh_seconds", "rebuild_fresh_share",
    "rebuild_fresh_cache",
]


def test_tiny_benchmark_end_to_end(tmp_path):
    out = tmp_path / "results.json"
    assert bench_main(["--sizes", str(N), "--workdir", str(tmp_path / "work"), "--out", str(out), "--plain-timeout", "240"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"nproc", "cpu", "python", "date"} <= set(doc["machine"])
    (r,) = doc["results"]
    missing = [f for f in REPORT_FIELDS if f not in r]
    assert not missing, missing
    assert r["validate"]["problems"] == 0
    assert r["assessments"] == N
    assert r["assessment_pages"] == N  # one published page per generated assessment
    assert r["html_pages"] >= N + r["council_records"]
    assert r["largest_page"].endswith("/") and 0 < r["largest_page_bytes"] <= r["site_bytes"]
    assert r["md_pages"] >= N + r["council_records"]
    assert r["rebuild_change_visible"] is True
    # The rebuild in a new process reads every other document's steps from the disk cache (hyoka.cache).
    assert r["rebuild_fresh_change_visible"] is True
    misses = {k: r["rebuild_fresh_cache"].get(f"{k}.miss", 0) for k in ("load", "findings", "docs", "rows")}
    assert misses == dict.fromkeys(misses, 1), r["rebuild_fresh_cache"]
    # pages: the changed assessment's, and those of the council records that link to it (they show its title)
    assert 1 <= r["rebuild_fresh_cache"].get("page.miss", 0) <= 1 + r["council_records"], r["rebuild_fresh_cache"]
    assert r["rebuild_fresh_cache"]["load.hit"] == N - 1 + r["council_records"]
    ix = r["index"]
    for f in ("index_seconds", "index_bytes", "query_p50_ms", "query_p95_ms"):
        assert ix.get(f) is not None, (f, ix)
    assert r["floor"]["floor_pages"] == r["md_pages"]
    assert r["plain"]["assessment_pages"] == N and not r["plain"]["capped"]
    assert {"build_vs_floor", "rebuild_share", "rebuild_fresh_share", "query_p95_ms", "peak_rss_mb_large"} <= set(doc["targets"])
    assert "| full build, wall (s) |" in out.with_suffix(".md").read_text(encoding="utf-8")


def test_loader_cache_rereads_only_changed_files(tmp_path, templates):
    """The rebuild figure relies on hyoka.loader caching parsed documents by the digest of their bytes."""
    g = G.generate(3, tmp_path, seed=3, templates=templates)
    first = load_corpus(g.content, g.site_config)
    again = load_corpus(g.content, g.site_config)
    assert [a.id for a in again.assessments] == [a.id for a in first.assessments]
    assert all(x is y for x, y in zip(first.assessments, again.assessments))  # unchanged: not re-parsed
    path = g.content / g.assessments[0][1] / f"{g.assessments[0][0]}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["status"] = "終了"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = load_corpus(g.content, g.site_config)
    assert changed.problems == []
    doc = next(a for a in changed.assessments if a.id == g.assessments[0][0])
    assert doc.status == "終了"
    data["status"] = "不明"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert any(p.field.startswith("status") for p in load_corpus(g.content, g.site_config).problems)
