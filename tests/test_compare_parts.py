"""Comparison pages in parts (hyoka.views.compare.parts_of): with more assessments than `compare_part`, the
contractors, retention and risks pages are national summaries that link part pages, each the usual page for
some municipalities' assessments.  Splitting must lose nothing and add nothing: the parts' rows together are
the one page's rows, and the national figures are the same as the one page's.  The findings page
(hyoka.views.findings) is cut at the same places.

Real content + fixtures (shared_corpus) in process, and a real `mkdocs build` with `compare_part`
set in mkdocs.yml (no warning but the fixtures' unregistered company; links resolve, hostile municipality names escaped, a bad value refused)."""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from fixtures.search.support import make_project, shared_corpus, shared_project
from htmlquery import soup, text
from hyoka.site import Page, SiteContext
from hyoka.views import compare

PAGES = ("contractors", "retention", "risks")


def _generate(size: int) -> dict[str, Page]:
    ctx = SiteContext(site_config_dir=str(shared_project() / "site_config"), compare_part=size)
    return {p.path: p for p in compare.generate(shared_corpus(), ctx)}


@pytest.fixture(scope="module")
def whole():
    return _generate(10_000)


@pytest.fixture(scope="module", params=[1, 2, 5])
def split(request):
    return request.param, _generate(request.param)


def _parts(pages: dict[str, Page], name: str) -> list[Page]:
    found = sorted((p for p in pages.values() if re.fullmatch(rf"compare/{name}-\d+\.md", p.path)),
                   key=lambda p: int(p.path.rsplit("-", 1)[1].removesuffix(".md")))
    return found


def _csv_rows(page: Page) -> list[tuple]:
    el = soup(page.markdown).select_one("script.hyoka-csv-data")
    if el is None:  # (a findings part without findings)
        return []
    return [tuple(json.dumps(v, ensure_ascii=False) for v in r) for r in json.loads(el.string)["rows"]]


def _matrix_cells(page: Page) -> list[tuple[str, str, str]]:
    return [(td["data-aid"], td["data-risk"], text(td)) for td in soup(page.markdown).select("#risk-matrix td[data-present='1']")]


def _table_rows(page: Page, table_id: str) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in soup(page.markdown).select(f"#{table_id} tr[data-row]")]


def test_one_part_is_the_pages_as_before(whole):
    assert {p.path for p in whole.values()} == {f"compare/{n}.md" for n in ("index", *PAGES)}
    assert all(p.in_nav for p in whole.values())


def test_parts_are_bounded_and_cover_every_assessment_once(split, whole):
    size, pages = split
    corpus = shared_corpus()
    columns: list[str] = []
    for p in _parts(pages, "risks"):
        cols = [th.find("a")["href"] for th in soup(p.markdown).select("#risk-matrix thead th[data-col]")]
        assert 1 <= len(cols) <= size, p.path
        columns += cols
    assert len(columns) == len(set(columns))
    assert Counter(columns) == Counter(th.find("a")["href"] for th in soup(whole["compare/risks.md"].markdown).select("#risk-matrix thead th[data-col]"))
    n_parts = len(_parts(pages, "risks"))
    assert n_parts >= -(-len(corpus.assessments) // size)
    for name in PAGES:  # the three tables are cut at the same places
        assert len(_parts(pages, name)) == n_parts
    nav = [p.path for p in pages.values() if p.in_nav]
    assert sorted(nav) == sorted(f"compare/{n}.md" for n in ("index", *PAGES))  # parts are not in the navigation


def test_the_parts_rows_together_are_the_whole_pages_rows(split, whole):
    _, pages = split
    for name in PAGES:
        together = Counter(r for p in _parts(pages, name) for r in _csv_rows(p))
        assert together == Counter(_csv_rows(whole[f"compare/{name}.md"])), name
    cells = Counter(c for p in _parts(pages, "risks") for c in _matrix_cells(p))
    assert cells == Counter(_matrix_cells(whole["compare/risks.md"]))
    for lst in ("issues", "strong"):
        rows = Counter(tuple(r) for p in _parts(pages, "risks") for r in _table_rows(p, lst))
        assert rows == Counter(tuple(r) for r in _table_rows(whole["compare/risks.md"], lst))


def test_national_figures_are_the_whole_pages_figures(split, whole):
    _, pages = split
    assert pages["compare/index.md"].markdown == whole["compare/index.md"].markdown
    # risks: counts per city as on the one page
    assert _table_rows(pages["compare/risks.md"], "risk-counts") == _table_rows(whole["compare/risks.md"], "risk-counts")
    # risk totals: per risk, the answers of its cells on the one page
    matrix = Counter()
    for aid, rid, cell in _matrix_cells(whole["compare/risks.md"]):
        matrix[rid] += len(re.findall(r"[◎○▲－]", cell))
    totals = {r[0].split(" ")[0]: int(r[-1]) for r in _table_rows(pages["compare/risks.md"], "risk-totals")}
    absent = {rid for rid in matrix if rid not in totals}
    assert not absent and totals == {rid: matrix[rid] for rid in totals}
    # companies: cities, assessments and items per company as on the one page
    one = {r[0]: (r[3], r[5], r[6]) for r in _table_rows(whole["compare/contractors.md"], "companies")}
    national = {r[0]: (r[2], r[3], r[4]) for r in _table_rows(pages["compare/contractors.md"], "companies")}
    assert national == one
    assert [r[0] for r in _table_rows(pages["compare/contractors.md"], "companies")] == list(one)  # same order
    # retention: the distribution
    chart = soup(pages["compare/retention.md"].markdown).select("#retention-chart-table tr")
    one_chart = soup(whole["compare/retention.md"].markdown).select("#retention-chart-table tr")
    assert [text(r) for r in chart] == [text(r) for r in one_chart] and chart
    for name in PAGES:  # no per-assessment table on a national page: it does not grow with the corpus
        html = pages[f"compare/{name}.md"].markdown
        assert "hyoka-csv-data" not in html and "risk-matrix" not in html


def test_national_pages_list_their_parts_and_parts_link_back(split):
    _, pages = split
    for name in PAGES:
        parts = _parts(pages, name)
        listed = [a["href"] for a in soup(pages[f"compare/{name}.md"].markdown).select("#parts a")]
        assert listed == [f"../{name}-{i}/" for i in range(1, len(parts) + 1)]
        for i, p in enumerate(parts, 1):
            nav = soup(p.markdown).select_one("nav.hyoka-part-nav")
            hrefs = {a.get("rel", [""])[0] if a.get("rel") else "national": a["href"] for a in nav.find_all("a")}
            assert hrefs["national"] == f"../{name}/"
            assert hrefs.get("prev") == (f"../{name}-{i - 1}/" if i > 1 else None)
            assert hrefs.get("next") == (f"../{name}-{i + 1}/" if i < len(parts) else None)
            assert f"{len(parts)} 区分のうち {i} 番目" in text(nav)
            assert p.data["part"]["no"] == i  # the JSON twin says which part too


def test_a_municipality_larger_than_a_part_is_cut_into_slices():
    corpus = shared_corpus()
    per_city = Counter(s.municipality for s in corpus.summaries())
    code, n = per_city.most_common(1)[0]
    assert n >= 2
    size = n - 1
    from hyoka.export import Rows

    rows = Rows(corpus, SiteContext(site_config_dir=str(shared_project() / "site_config")))
    parts = compare.parts_of(rows, size)
    name = corpus.municipalities[code].name
    slices = [p for p in parts if p.codes == [code] and "（" in p.label]
    assert [p.label.rsplit("（", 1)[1] for p in slices] == ["1/2）", "2/2）"] and all(name in p.label for p in slices)
    assert sum(len(p.docs) for p in slices) == n
    assert all(len(p.docs) <= size for p in parts)
    # every other part holds whole municipalities, in code order
    seen: list[str] = []
    for p in parts:
        seen += [c for c in p.codes if not seen or seen[-1] != c]
    assert seen == sorted(per_city)


# ---- a real build --------------------------------------------------------------------------------------


HOSTILE_NAME = '<img src=x onerror=alert(1)>"市'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`mkdocs build` of the real content + fixtures with compare_part: 2, one municipality's name and
    prefecture hostile (site_config is input too)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_project(tmp_path_factory.mktemp("parts") / "project")
    yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - hyoka:\n" in yml
    (root / "mkdocs.yml").write_text(yml.replace("  - hyoka:\n", "  - hyoka:\n      compare_part: 2\n", 1), encoding="utf-8")
    reg = root / "site_config" / "municipalities.yaml"
    text_ = reg.read_text(encoding="utf-8")
    assert "{name: 金沢市, prefecture: 石川県," in text_
    reg.write_text(text_.replace("{name: 金沢市, prefecture: 石川県,", f"{{name: '{HOSTILE_NAME}', prefecture: '石川<b>県',"), encoding="utf-8")
    warnings: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    # no broken link or anchor (what --strict would refuse); the fixtures' unregistered company is the one note
    assert [w for w in warnings if "委託先の表記" not in w] == []
    return root


def test_built_national_and_part_pages_link_each_other(built):
    site = built / "site"
    for folder in [site / "compare" / name for name in PAGES] + [site / "findings"]:
        national = (folder / "index.html").read_text(encoding="utf-8")
        hrefs = [a["href"] for a in soup(national).select("#parts a")]
        assert len(hrefs) >= 2
        for h in hrefs:
            target = (folder / h / "index.html").resolve()
            assert target.is_file(), h
            page = target.read_text(encoding="utf-8")
            for a in soup(page).select("nav.hyoka-part-nav a"):
                assert (target.parent / a["href"] / "index.html").resolve().is_file(), a["href"]
            assert json.loads((target.parent / "index.json").read_text(encoding="utf-8"))["part"]["of"] == len(hrefs)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'href="[^"]*(compare/(contractors|retention|risks)-|findings/part-)\d+/', home)  # the home page links the national pages
    sidebar = soup((site / "compare" / "risks" / "index.html").read_text(encoding="utf-8")).select_one("nav.md-nav--primary")
    assert not re.search(r"compare/risks-\d", str(sidebar))  # nor does the navigation


def test_built_hostile_municipality_names_are_escaped(built):
    site = built / "site"
    pages = [p for name in PAGES for p in [site / "compare" / name / "index.html", *sorted((site / "compare").glob(f"{name}-*/index.html"))]]
    pages += [site / "findings" / "index.html", *sorted((site / "findings").glob("part-*/index.html"))]
    found = 0
    for p in pages:
        html = p.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "石川<b>県" not in html, p
        found += html.count("&lt;img src=x onerror=alert(1)&gt;")
    assert found  # the name is shown, as text
    labels = [text(a) for a in soup((site / "compare" / "risks" / "index.html").read_text(encoding="utf-8")).select("#parts a")]
    assert any(HOSTILE_NAME in label for label in labels)


@pytest.mark.parametrize("value", ["0", "-3", "true", "'10'", "2.5"])
def test_a_bad_compare_part_is_refused_before_anything_is_written(tmp_path, value):
    import subprocess
    import sys

    root = make_project(tmp_path / "project", with_real=False)
    yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(yml.replace("  - hyoka:\n", f"  - hyoka:\n      compare_part: {value}\n", 1), encoding="utf-8")
    got = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=root, capture_output=True, text=True)
    assert got.returncode != 0
    assert "compare_part" in got.stderr and "1 以上の整数" in got.stderr, got.stderr
    assert not (root / "site").exists()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def server(built):
    from browsing import serve

    with serve(built / "site") as url:
        yield url


def test_browser_overview_links_filter_the_national_pages(server, browser):
    """The overview's bars still land on a filtered table: 「複数の都市で使われている委託先」 → the national
    company table with that company only; a city → the part that holds it, with its counts."""
    ctx = browser.new_context()
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server + "compare/")
        href = page.locator("#chart-shared-table a").first.get_attribute("href")
        company = href.split("company=", 1)[1]
        page.goto(server + "compare/" + href)
        shown = page.eval_on_selector_all("#companies tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.company)")
        total = page.locator("#companies tbody tr[data-row]").count()
        from urllib.parse import unquote

        assert shown == [unquote(company)] and total > 1
        page.goto(server + "compare/risks/?city=112224")
        parts = page.eval_on_selector_all("#parts tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.city)")
        assert parts and all("112224" in p.split(" ") for p in parts)
        assert page.locator("#parts tbody tr[data-row]").count() > len(parts)
        counts = page.eval_on_selector_all("#risk-counts tbody tr[data-row]:not([hidden])", "rs => rs.map(r => r.dataset.city)")
        assert counts == ["112224"]
        page.locator("#parts tbody tr[data-row]:not([hidden]) a").first.click()
        page.wait_for_url("**/compare/risks-*/")
        cols = page.eval_on_selector_all("#risk-matrix thead th[data-col]", "ths => ths.map(t => t.dataset.colCity)")
        assert "112224" in cols and len(cols) <= 2
        assert not errors
    finally:
        ctx.close()


# ---- the findings page, cut at the same places ------------------------------------------------------


def _findings(size: int) -> dict[str, Page]:
    from hyoka.views import findings

    ctx = SiteContext(site_config_dir=str(shared_project() / "site_config"), compare_part=size)
    return {p.path: p for p in findings.generate(shared_corpus(), ctx) if isinstance(p, Page)}


def test_findings_parts_together_are_the_one_list():
    whole = _findings(10_000)
    assert list(whole) == ["findings/index.md"]
    one = whole["findings/index.md"]
    for size in (1, 3):
        pages = _findings(size)
        parts = sorted((p for p in pages.values() if p.path != "findings/index.md"),
                       key=lambda p: int(re.fullmatch(r"findings/part-(\d+)\.md", p.path).group(1)))
        assert len(parts) >= 2 and not any(p.in_nav for p in parts) and pages["findings/index.md"].in_nav
        assert Counter(r for p in parts for r in _csv_rows(p)) == Counter(_csv_rows(one))
        # national counts per city and severity, and per rule, as the one list's rows give them
        by_city: dict[str, Counter] = {}
        for tr in soup(one.markdown).select("#findings tr[data-row]"):
            by_city.setdefault(tr["data-city"], Counter())[tr["data-severity"]] += 1
        national = soup(pages["findings/index.md"].markdown)
        from hyoka.findings import SEVERITIES

        got = {tr["data-city"]: [int(text(td)) for td in tr.find_all("td")] for tr in national.select("#finding-counts tr[data-row]")}
        assert got == {c: [n[s] for s in SEVERITIES] + [sum(n.values())] for c, n in by_city.items()}
        assert [text(tr) for tr in national.select("#rule-catalogue tr")] == [text(tr) for tr in soup(one.markdown).select("#rule-catalogue tr")]
        assert "hyoka-csv-data" not in pages["findings/index.md"].markdown
        listed = [a["href"] for a in national.select("#parts a")]
        assert listed == [f"part-{i}/" for i in range(1, len(parts) + 1)]
