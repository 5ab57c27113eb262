"""tools/sitesnapshot.py: a snapshot of a real built site, and a compare that finds what a refactor changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import sitesnapshot  # noqa: E402

PAGE = "takatsuki/fixture-zenkomoku/index.html"


@pytest.fixture(scope="module")
def copies(built_site, tmp_path_factory):
    """The built site, and a copy of it with one text changed and one id removed on one page."""
    tmp = tmp_path_factory.mktemp("snap")
    changed = tmp / "changed"
    shutil.copytree(built_site.site.resolve(), changed)
    page = changed / PAGE
    html = page.read_text(encoding="utf-8")
    assert 'id="s1"' in html and "基本情報" in html
    html = html.replace('id="s1"', "", 1)
    html = html.replace("評価実施機関", "評価の実施機関", 1)
    page.write_text(html, encoding="utf-8")
    return built_site.site.resolve(), changed, tmp


def test_same_site_is_equal(copies):
    site, _, tmp = copies
    same = tmp / "same"
    shutil.copytree(site, same)
    a, b = sitesnapshot.record(site), sitesnapshot.record(same)
    assert len(a["pages"]) >= 20
    assert sitesnapshot.compare(a, b) == []


def test_records_article_text_title_and_ids(copies):
    site, _, _ = copies
    rec = sitesnapshot.record(site)["pages"][PAGE]
    assert rec["title"].endswith("評価書ポータル")
    assert "評価実施機関" in rec["main"]  # a <dt> is a line of its own
    assert "s1" in rec["ids"] and "summary" in rec["ids"]
    assert "評価実施機関" not in rec["rest"]  # the article is recorded apart from the page's frame
    assert any(line == "検索" for line in rec["rest"])


def test_compare_reports_changed_text_and_removed_id(copies):
    site, changed, _ = copies
    report = sitesnapshot.compare(sitesnapshot.record(site), sitesnapshot.record(changed))
    text = "\n".join(report)
    assert f"{PAGE}:" in report
    assert "-評価実施機関" in text and "+評価の実施機関" in text
    assert "ids only in A: s1" in text
    assert sum(1 for line in report if not line.startswith(" ")) == 1  # only that page


def test_whitespace_inside_a_line_counts_between_blocks_does_not():
    a = sitesnapshot.page_record("<article><dl><dt>公表日</dt><dd>令和4年</dd></dl></article>")
    b = sitesnapshot.page_record("<article><dl>\n  <dt>公表日</dt>\n  <dd>令和4年</dd>\n</dl></article>")
    c = sitesnapshot.page_record("<article><dl><dt>公表 日</dt><dd>令和4年</dd></dl></article>")
    assert a == b
    assert a["main"] != c["main"]


def test_cli_exit_codes(copies, tmp_path):
    site, changed, _ = copies
    py = sys.executable
    tool = str(REPO / "tools" / "sitesnapshot.py")
    for name, folder in (("a", site), ("b", changed)):
        subprocess.run([py, tool, "record", str(folder), str(tmp_path / f"{name}.json")], check=True, capture_output=True)
    same = subprocess.run([py, tool, "compare", str(tmp_path / "a.json"), str(tmp_path / "a.json")], capture_output=True, text=True)
    assert same.returncode == 0, same.stdout
    diff = subprocess.run([py, tool, "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")], capture_output=True, text=True)
    assert diff.returncode == 1
    assert PAGE in diff.stdout and "評価の実施機関" in diff.stdout
