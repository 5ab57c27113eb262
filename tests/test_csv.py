"""The one CSV writer (hyoka/csvout.py): data/*.csv, `hyoka search --format csv` and the browser's
download of the visible rows neutralise the same cells the same way (issue 17)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from browsing import needs_chromium

from hyoka_search.cli import main as hyoka_main
from hyoka.csvout import RISKY_PATTERN, csv_bytes, neutralise

ROOT = Path(__file__).resolve().parents[1]
FILTER_JS = ROOT / "hyoka" / "static" / "hyoka-filter.js"
MINIMAL = ROOT / "tests" / "fixtures" / "loader" / "minimal.yaml"

# (cell, whether a spreadsheet could run it): the attacker's list.
HOSTILE = [
    ("=HYPERLINK(\"http://evil\",\"x\")", True),
    ("=1+1", True),
    ("+1", True),
    ("-1+1", True),
    ("-5", True),  # a negative number too: Excel-safety first (OWASP)
    ("@SUM(A1)", True),
    ("\tx", True),
    ("\rx", True),
    ("\t", True),
    (" =1+1", True),
    ("   +cmd|' /C calc'!A0", True),
    ("\u3000=1+1", True),  # full-width space
    ("\u00a0@x", True),  # no-break space
    ("\n=1+1", True),
    ("\u200b=1+1", True),  # zero-width space
    ("\ufeff=1+1", True),
    (" \t=1", True),
    ("＝1+1", True),  # full-width forms
    ("＋1", True),
    ("－1", True),
    ("＠SUM(A1)", True),
    (" ＝1+1", True),
    ("\u3000＋1", True),
    ("株式会社アイネス", False),
    ("a=b", False),
    ("1-2", False),
    ("", False),
    (" ", False),
    ("（株）＝", False),
    ("'=already", False),
    ("x\n=1", False),
]


@pytest.mark.parametrize("cell,risky", HOSTILE, ids=[repr(c)[:20] for c, _ in HOSTILE])
def test_python_rule(cell, risky):
    assert neutralise(cell) == ("'" + cell if risky else cell)


def test_file_is_utf8_bom_crlf_and_reads_back():
    cells = [c for c, _ in HOSTILE] + ['say "hi"', "a,b", "two\r\nlines"]
    raw = csv_bytes(["col"] * len(cells), [cells, [None, 5, 1.5]])
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")[1:]
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == [neutralise(c) for c in cells]
    assert rows[2] == ["", "5", "1.5"]


@needs_chromium
def test_browser_download_uses_the_same_rule_and_quoting(browser):
    """hyoka-filter.js in chromium: every hostile cell neutralised exactly as in Python, and toCsv's text
    equals the Python writer's (header and row)."""
    cells = [c for c, _ in HOSTILE] + ['say "hi"', "a,b", "two\nlines", "普通の文字"]
    assert f"var RISKY = /{RISKY_PATTERN}/;" in FILTER_JS.read_text(encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html><body><p>x</p></body></html>")
    page.add_script_tag(content=FILTER_JS.read_text(encoding="utf-8"))
    got = page.evaluate("cells => cells.map(c => window.hyokaFilter.neutralise(c))", cells)
    text = page.evaluate("rows => window.hyokaFilter.toCsv(rows)", [["見出し", "=h"], cells])
    page.close()
    assert not errors
    assert got == [neutralise(c) for c in cells]
    assert text == csv_bytes(["見出し", "=h"], [cells]).decode("utf-8")


def test_search_cli_csv_is_neutralised(tmp_path, capfdbinary):
    """`hyoka search --format csv`: a contractor `=HYPERLINK(…)` and a title starting `＝` come out as text."""
    root = tmp_path
    shutil.copytree(ROOT / "site_config", root / "site_config")
    (root / "content" / "koshigaya").mkdir(parents=True)
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("contractor: 株式会社アイネス", "contractor: '=HYPERLINK(\"http://evil\",\"株式会社アイネス\")'")
    text = text.replace("title: 保守", "title: ' ＝保守'")
    (root / "content" / "koshigaya" / "minimal.yaml").write_text(text, encoding="utf-8")
    args = ["search", "アイネス", "--format", "csv", "--content", str(root / "content"),
            "--site-config", str(root / "site_config"), "--index-dir", str(root / "ix")]
    assert hyoka_main(args) == 0
    raw = capfdbinary.readouterr().out
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    hit = next(r for r in rows if r["kind"] == "委託事項")
    assert hit["companies"] == "'=HYPERLINK(\"http://evil\",\"株式会社アイネス\")"
    assert all(not v or not v.lstrip(" \u3000").startswith(("=", "+", "-", "@", "＝")) for r in rows for v in r.values())
    # the same hits as JSON hold the values unaltered
    assert hyoka_main([*args[:3], "json", *args[4:]]) == 0
    out = json.loads(capfdbinary.readouterr().out.decode("utf-8"))
    assert any(m["original"].startswith("=HYPERLINK") for h in out["hits"] for m in (h["companies"] or []))
