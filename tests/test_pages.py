"""The published pages, asserted on a real `mkdocs build` (strict) of fixtures + the real content/.

The site is built once per xdist worker (session fixture `built_site`, tests/conftest.py).
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest

from hyoka import anchors as A
from hyoka import schema as S
from hyoka.loader import load_corpus
from htmlquery import by_id, ids, nearest_id, soup, text, text_of
from linkcheck import check_site
from sitebuild import BuiltSite

SLUG = {"272078": "takatsuki", "112101": "kazo", "112224": "koshigaya", "141003": "yokohama", "172014": "kanazawa"}


# ---- helpers ------------------------------------------------------------------------------------


class Elements:
    """Ids, the text under each id, and the chosen options' text by enclosing id, from one page."""

    def __init__(self, html: str):
        self.page = soup(html)
        self.ids: list[str] = ids(self.page)
        self.chosen: dict[str | None, list[str]] = {}  # id of enclosing row → chosen options' text
        for el in self.page.select(".is-chosen"):
            self.chosen.setdefault(nearest_id(el), []).append(text(el))

    def text(self, anchor: str) -> str:
        return text(by_id(self.page, anchor))


def _ws(s: str) -> str:
    return " ".join(s.split())


def page_of(site: BuiltSite, doc) -> str:
    return site.page(f"{SLUG[doc.municipality]}/{doc.id}/index.html")


@pytest.fixture(scope="session")
def corpus(built_site):
    c = load_corpus(built_site.root / "content", built_site.root / "site_config", root=built_site.root)
    assert not c.problems
    return c


# ---- every assessment page: key values and anchors ----------------------------------------------


def test_every_document_has_a_page(built_site, corpus):
    assert len(corpus.assessments) >= 6  # 4 fixtures + their hostile twin, plus the real content when valid
    for d in [*corpus.assessments, *corpus.council_records]:
        path = built_site.site / SLUG[d.municipality] / d.id / "index.html"
        assert path.is_file(), path
    for doc_id in built_site.real_ids:
        assert corpus.by_id(doc_id) is not None


def _assessment_expectations(a: S.Assessment) -> list[tuple[str, str]]:
    """(anchor, text that must appear under it) for the key values of one assessment."""
    out = [("summary", a.basic_info.affair.name)]
    for f, pf in enumerate(a.files, 1):
        out.append((A.file(f), pf.name))
        if pf.retention and pf.retention.period and pf.retention.period.period:
            out.append((A.retention(f), pf.retention.period.period))
            out.append(("summary", pf.retention.period.period))
        if pf.entrustment:
            for it in pf.entrustment.items:
                if it.contractor:
                    out.append((A.entrustment(f, it.no), it.contractor))
        if pf.provision:
            for it in pf.provision.provisions:
                out.append((A.provision(f, it.no), it.recipient))
            for it in pf.provision.transfers:
                out.append((A.transfer(f, it.no), it.recipient))
    for s in a.basic_info.systems:
        out.append((A.system(s.no), s.name))
    for f, fr in enumerate(a.risks, 1):
        out.append((A.risk_file(f), fr.file_name))
        for sec in fr.sections:
            for k, risk in enumerate(sec.risks, 1):
                out.append((A.risk(f, sec.no, k), risk.title))
                for q, item in enumerate(risk.items, 1):
                    out.append((A.risk_item(f, sec.no, k, q), item.label))
            for q, item in enumerate(sec.items, 1):
                out.append((A.risk_section_item(f, sec.no, q), item.label))
    for s, sec in enumerate(a.other_measures, 1):
        for q, item in enumerate(sec.items, 1):
            out.append((A.other_measure(s, q), item.label))
    for s, sec in enumerate(a.disclosure, 1):
        for q, item in enumerate(sec.items, 1):
            out.append((A.disclosure(s, q), item.label))
    for n, c in enumerate(a.changes, 1):
        out.append((A.change(n), str(c.date) if c.date else ""))
    return out


def test_assessment_pages_hold_key_values_under_their_anchors(built_site, corpus):
    for a in corpus.assessments:
        el = Elements(page_of(built_site, a))
        for anchor, expected in _assessment_expectations(a):
            # (a heading shows a line break as a space: compare with whitespace normalised)
            assert _ws(expected) in _ws(el.text(anchor)), f"{a.id}: #{anchor} に「{expected[:40]}」がありません"
        for anchor in ("summary", "s1", "notes", "source"):
            assert anchor in el.ids, f"{a.id}: #{anchor}"
        assert len(el.ids) == len(set(el.ids)), f"{a.id}: id が重複: {sorted({i for i in el.ids if el.ids.count(i) > 1})}"


def test_choice_answers_are_marked_among_the_official_options(built_site, corpus):
    a = corpus.by_id("fixture-zenkomoku")
    html = page_of(built_site, a)
    el = Elements(html)
    # 保管期間: the chosen option is marked (◉ and 「← 回答」), the others are listed unmarked
    assert el.chosen["files-1-retention-period-period"] == ["◉7） 6年以上10年未満← 回答"]
    row = el.text("files-1-retention-period-period")
    for opt in ("1年未満", "20年以上", "定められていない"):
        assert "○" in row and opt in row
    # a risk answer 「課題が残されている」 is chosen at its anchor and listed in the summary with a link
    assert el.chosen[A.risk_item(1, "2", 2, 1)] == ["◉3） 課題が残されている← 回答"]
    assert f'href="#{A.risk_item(1, "2", 2, 1)}"' in html
    assert "課題が残されている" in el.text("summary")
    # 委託: count in the summary; 委託先名 and 再委託 in the card
    assert "委託する（2件）" in el.text("summary")
    assert "テスト情報システム株式会社" in el.text(A.entrustment(1, 1))
    assert el.chosen["files-1-entrustment-items-1-subcontract"] == ["◉1） 再委託する← 回答"]


def test_ticks_show_as_ticked_boxes(built_site, corpus):
    el = Elements(page_of(built_site, corpus.by_id("fixture-zenkomoku")))
    t = el.text("basic_info-systems-1-connections")
    assert "☑選択あり：既存住民基本台帳システム" in t
    assert "☐選択なし：情報提供ネットワークシステム" in t
    assert "☑選択あり：その他（申請管理システム）" in t


def test_transcription_notes_show_at_their_item_and_at_the_end(built_site, corpus):
    el = Elements(page_of(built_site, corpus.by_id("fixture-zenkomoku")))
    row = el.text("files-1-retention-period-period")
    assert "⚠ 曖昧" in row and "判別しにくい" in row and "812-830" in row
    assert "⚠ 非公表" in el.text("files-1-entrustment-items-2-contractor")
    notes = el.text("transcription_notes-1") + el.text("transcription_notes-2")
    # located by the form's labels and numbers (hyoka.formlabels), never by the YAML path
    assert "Ⅱ ファイル1 6．②保管期間 期間" in notes and "委託先名は公表されていない" in notes
    assert "Ⅱ ファイル1 4．委託事項2 ⑥委託先名" in notes
    assert "files[0]" not in notes and "retention.period" not in notes
    assert 'href="#files-1-retention-period-period">該当の項目へ' in page_of(built_site, corpus.by_id("fixture-zenkomoku"))
    # every note of every document is shown at an item (none left only in the list)
    for a in corpus.assessments:
        html = page_of(built_site, a)
        assert html.count('class="hy-note"') == len(a.transcription_notes), a.id


def test_ended_assessment_has_a_banner(built_site, corpus):
    html = page_of(built_site, corpus.by_id("fixture-juten"))
    assert 'class="hy-ended"' in html and "【終了】" in text_of(html)
    assert 'class="hy-ended"' not in page_of(built_site, corpus.by_id("fixture-zenkomoku"))


def test_form_order_and_numbering(built_site, corpus):
    def order(doc_id, labels):
        t = text_of(page_of(built_site, corpus.by_id(doc_id)).split('class="md-content"', 1)[1])
        pos = [t.find(x + "¶") for x in labels]  # headings end with their permalink
        assert all(p >= 0 for p in pos), (doc_id, labels, pos)
        assert pos == sorted(pos), (doc_id, labels, pos)

    order("fixture-zenkomoku", ["表紙", "Ⅰ 基本情報", "（別添１）事務の内容", "Ⅱ 特定個人情報ファイルの概要", "（別添２）特定個人情報ファイル記録項目",
                                "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策", "Ⅳ その他のリスク対策", "Ⅴ 開示請求、問合せ", "Ⅵ 評価実施手続", "（別添３）変更箇所", "転記メモ"])
    order("fixture-zenkomoku", ["1．特定個人情報ファイルを取り扱う事務", "2．特定個人情報ファイルを取り扱う事務において使用するシステム", "8．他の評価実施機関"])
    order("fixture-juten", ["Ⅰ 基本情報", "Ⅱ 特定個人情報ファイルの概要", "Ⅲ リスク対策", "Ⅳ 開示請求、問合せ", "Ⅴ 評価実施手続"])
    order("fixture-juten", ["5．情報提供ネットワークシステムによる情報連携", "6．評価実施機関における担当部署"])
    order("fixture-kiso", ["Ⅰ 関連情報", "②事務の概要", "③システムの名称", "2．特定個人情報ファイル名", "Ⅱ しきい値判断項目", "Ⅲ しきい値判断結果", "Ⅳ リスク対策"])


def test_council_records_and_assessments_link_both_ways(built_site, corpus):
    rec_html = built_site.page("takatsuki/fixture-toshin/index.html")
    a_html = built_site.page("takatsuki/fixture-zenkomoku/index.html")
    assert 'href="../fixture-zenkomoku/#s6"' in rec_html
    assert 'href="../fixture-toshin/"' in a_html
    el = Elements(rec_html)
    assert "委託先の監督を徹底すること" in el.text("conditions-1")
    assert "⚠ 補足" in el.text("conditions-2")
    for r in corpus.council_records:
        html = page_of(built_site, r)
        for aid in r.assessments:
            assert f'href="../{aid}/' in html or f'/{aid}/' in html, (r.id, aid)


def test_municipality_pages_list_documents_with_kind_version_dates(built_site, corpus):
    for code, m in corpus.municipalities.items():
        html = built_site.page(f"{m.slug}/index.html")
        t = text_of(html)
        for a in corpus.assessments:
            if a.municipality != code:
                continue
            assert f'href="{a.id}/"' in html
            assert a.form_version in t and a.form_name in t and str(a.source.as_of) in t
            if a.cover.published:
                assert str(a.cover.published) in t
        for r in corpus.council_records:
            if r.municipality == code:
                assert f'href="{r.id}/"' in html


def test_home_lists_municipalities_counts_latest_and_existing_compare_pages(built_site, corpus):
    html = built_site.page("index.html")
    t = text_of(html)
    assert f"{len(corpus.assessments)} 件" in t and f"{len(corpus.council_records)} 件" in t
    for m in corpus.municipalities.values():
        assert f'href="{m.slug}/"' in html
    latest = max(corpus.assessments, key=lambda a: a.cover.published.iso if a.cover.published else "")
    assert f'href="{SLUG[latest.municipality]}/{latest.id}/"' in html
    for href in re.findall(r'href="(compare/[^"#]*)"', html):
        assert (built_site.site / href / "index.html").is_file() or (built_site.site / href).is_file(), href


# ---- text is text --------------------------------------------------------------------------------


def test_hostile_strings_come_out_as_text(built_site):
    for doc_id, paths in built_site.hostile_paths.items():
        assert len(paths) > (100 if doc_id == "fixture-hostile" else 10)
        html = built_site.page(f"takatsuki/{doc_id}/index.html")
        shown = text_of(html)
        missing = [p for p, value in paths.items() if value not in shown]
        assert not missing, f"{doc_id}: not shown literally: {missing[:5]}"
        # nothing became markup
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "<strong>強</strong>" not in html and "<em>u</em>" not in html and "<del>" not in html
        assert not re.search(r'(?:href|src)="\s*javascript:', html, re.I)
        assert "evil.example" not in " ".join(re.findall(r'(?:href|src)="([^"]*)"', html))
        assert "<pre" not in html.split('class="md-content"', 1)[1]  # the indented line is no code block
        # the title (printed unescaped by the theme) has no markup either
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and "&lt;" not in title


def test_hostile_strings_in_headings_and_toc(built_site):
    html = built_site.page("takatsuki/fixture-hostile/index.html")
    # file names are Markdown headings (they feed the table of contents): escaped there too
    toc = html.split('data-md-component="toc"', 1)[1].split("</nav>", 1)[0] if 'data-md-component="toc"' in html else html
    assert "<script>" not in toc and "&lt;script&gt;" in html


# ---- site-wide properties -----------------------------------------------------------------------


def _refs(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    """What a page loads (tag, URL) outside <a>, and its CSS: style attributes and <style> elements."""
    page = soup(html)
    refs = [(el.name, el[attr]) for el in page.find_all(True) if el.name != "a"
            for attr in ("src", "href", "data", "srcset", "poster", "action") if el.get(attr)]
    styles = [el["style"] for el in page.select("[style]") if el["style"]]
    styles += [el.string or "" for el in page.find_all("style")]
    return refs, styles


def _external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def test_no_request_to_any_other_host(built_site):
    offenders = []
    for page in built_site.site.rglob("*.html"):
        refs, styles = _refs(page.read_text(encoding="utf-8"))
        for tag, url in refs:
            if _external(url):
                offenders.append((page.name, tag, url))
        for css in styles:
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css):
                if _external(url):
                    offenders.append((page.name, "style", url))
    for css_file in built_site.site.rglob("*.css"):
        css = css_file.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)", css):
            if _external(url):
                offenders.append((css_file.name, "css", url))
    assert not offenders, offenders[:10]


def test_nav_holds_only_site_level_pages(built_site, corpus):
    doc_ids = {d.id for d in [*corpus.assessments, *corpus.council_records]}
    slugs = {m.slug for m in corpus.municipalities.values()}

    page = soup(built_site.page("takatsuki/fixture-zenkomoku/index.html"))
    hrefs = [a["href"] for a in page.select("nav.md-nav--primary a[href]") if a["href"]]
    assert hrefs, "no primary nav found"
    for href in hrefs:
        parts = [p for p in href.split("#")[0].split("/") if p not in ("", "..", ".")]
        assert not (set(parts) & doc_ids), href
        assert not (set(parts) & slugs), href
    # and the page stays small: the nav does not grow with the corpus
    sizes = [len(page_of(built_site, a)) for a in corpus.assessments]
    assert max(sizes) < 3_000_000


def test_every_nav_entry_has_a_title(built_site):
    """Issue 16: an untitled nav entry (compare/index.md) showed as 「None」 in the sidebar of every page."""
    for path in ("index.html", "takatsuki/fixture-zenkomoku/index.html", "compare/index.html"):
        labels = [a.get_text(" ", strip=True) for a in soup(built_site.page(path)).select("nav.md-nav--primary a[href]")]
        assert labels, path
        assert "None" not in labels, (path, labels)
        assert "概要" in labels, (path, labels)


def test_links_and_fragments_resolve(built_site):
    broken, external = check_site(built_site.site)
    assert broken == [], broken[:10]
    assert "https://www.example.jp/hyoka/fixture.pdf" in external  # the source PDF, a plain link


def test_link_checker_catches_broken_links(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#nope">bad</a><a href="b/">bad</a><p id="x"></p><p id="x"></p>')
    (site / "a" / "index.html").write_text('<h2 id="here">h</h2><a href="../#x">ok</a><a href="../../out/">bad</a><img src="https://cdn.example/x.png">')
    broken, _ = check_site(site)
    reasons = sorted((b.page, b.url) for b in broken)
    assert reasons == [
        ("a/index.html", "../../out/"),
        ("a/index.html", "https://cdn.example/x.png"),
        ("index.html", "#x"),
        ("index.html", "a/#nope"),
        ("index.html", "b/"),
    ]


def test_material_theme_settings_in_output(built_site):
    html = built_site.page("index.html")
    assert '<html lang="ja"' in html
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert 'href="../assets/hyoka.css"' in built_site.page("kazo/index.html")


# ---- a failing build writes nothing -------------------------------------------------------------


def test_invalid_content_fails_and_leaves_the_old_site_untouched(built_site, tmp_path, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    root = tmp_path / "project"
    shutil.copytree(built_site.root, root, ignore=shutil.ignore_patterns(".hyoka-index*"))
    bad = root / "content" / "fixtures" / "fixture-juten.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("period: 5年", "period: 7年"), encoding="utf-8")
    site = root / "site"
    before = {p.relative_to(site): (p.stat().st_mtime_ns, p.stat().st_size) for p in site.rglob("*")}
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    with pytest.raises((PluginError, Abort)) as exc:
        build(cfg)
    messages = str(exc.value) + "\n".join(r.getMessage() for r in caplog.records)
    assert "「7年」は選択肢にありません" in messages and "fixture-juten.yaml" in messages
    after = {p.relative_to(site): (p.stat().st_mtime_ns, p.stat().st_size) for p in site.rglob("*")}
    assert after == before


def test_progress_is_reported(corpus):
    from hyoka.site import SiteContext
    from hyoka.views import assessment
    seen = []
    ctx = SiteContext(progress=lambda i, n: seen.append((i, n)), progress_every=2)
    list(assessment.generate(corpus, ctx))
    total = len(corpus.assessments)
    assert seen and seen[-1] == (total, total) and all(i % 2 == 0 or i == total for i, _ in seen)
