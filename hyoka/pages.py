"""Page generators: home, one page per municipality, one per assessment and council record, the CSS.

    from hyoka import pages          # registers `document_pages` into hyoka.site.GENERATORS
    outputs = build_outputs(corpus, ctx)
    outputs.append(pages.home_page(corpus, ctx, outputs))   # the home page links what exists

Only the home page goes into the navigation; municipality and document pages are reached from it
(GUIDE §3: the nav is embedded in every page, so it must not grow with the corpus).

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Callable, Iterable, Iterator

from . import anchors as A
from . import schema as S
from .htmlkit import block, esc, front_matter, md_inline, rel_url, safe_title, text, url_of
from .loader import Corpus, Municipality
from .render import Links, date_key, ja_date, render_assessment, render_council_record
from .site import Asset, Page, SiteContext, register

CSS_PATH = "assets/hyoka.css"
HOME_PATH = "index.md"
COMPARE_PREFIX = "compare/"
LATEST = 10

Progress = Callable[[int, int], None]


@dataclasses.dataclass
class RenderContext(SiteContext):
    """SiteContext plus an optional progress callback, called every `progress_every` documents."""

    progress: Progress | None = None
    progress_every: int = 100
    description: str = ""


def _progress(ctx: SiteContext) -> tuple[Progress | None, int]:
    return getattr(ctx, "progress", None), max(1, int(getattr(ctx, "progress_every", 100) or 100))


def css() -> bytes:
    from .style import CSS

    return CSS.encode("utf-8")


@register
def document_pages(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """The stylesheet, every municipality page, every assessment and council record page."""
    from .findings_pages import by_assessment, ensure_findings

    yield Asset(CSS_PATH, css())
    links = Links(corpus)
    found = by_assessment(ensure_findings(corpus, ctx))
    for code, m in sorted(corpus.municipalities.items()):
        yield municipality_page(m, corpus, links, [f for a in _docs_of(corpus, code)[0] for f in found.get(a.id, [])])
    docs: list[S.Assessment | S.CouncilRecord] = [*corpus.assessments, *corpus.council_records]
    progress, every = _progress(ctx)
    total = len(docs)
    for i, d in enumerate(docs, 1):
        path = links.doc_path(d.id)
        if isinstance(d, S.Assessment):
            fs = found.get(d.id, [])
            yield Page(path, d.cover.title, _cached(d, links, fs, lambda: render_assessment(d, links, fs)))
        else:
            yield Page(path, d.subject, _cached(d, links, None, lambda: render_council_record(d, links)))
        if progress and (i % every == 0 or i == total):
            progress(i, total)


# Rendered document pages by document id, with a digest of everything the page shows: the document,
# its municipality, the documents it links to (council records ↔ assessments) and its findings.  A
# rebuild in the same process (`mkdocs serve`) re-renders only the pages whose digest changed.
_PAGE_CACHE: dict[str, tuple[bytes, str]] = {}


def _page_digest(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None) -> bytes:
    m = links.municipality(d.municipality)
    linked = links.records_of.get(d.id, []) if isinstance(d, S.Assessment) else links.assessments_of.get(d.id, [])
    h = hashlib.blake2b(digest_size=20)
    for part in (
        d.model_dump_json(),
        repr((m.code, m.name, m.prefecture, m.slug, links.doc_path(d.id))),
        *(links.docs[x].model_dump_json() + links.doc_url(x) for x in linked),
        repr(findings),
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.digest()


def _cached(d: S.Assessment | S.CouncilRecord, links: Links, findings: list | None, render: Callable[[], str]) -> str:
    digest = _page_digest(d, links, findings)
    hit = _PAGE_CACHE.get(d.id)
    if hit is not None and hit[0] == digest:
        return hit[1]
    md = render()
    _PAGE_CACHE[d.id] = (digest, md)
    return md


# ---- municipality -------------------------------------------------------------------------------


def _docs_of(corpus: Corpus, code: str) -> tuple[list[S.Assessment], list[S.CouncilRecord]]:
    a = sorted((d for d in corpus.assessments if d.municipality == code), key=lambda d: (date_key(d.cover.published), d.id), reverse=True)
    r = sorted((d for d in corpus.council_records if d.municipality == code), key=lambda d: (date_key(d.date), d.id), reverse=True)
    return a, r


def assessment_table(items: Iterable[S.Assessment], links: Links, base: str, with_municipality: bool = False, caption: str = "") -> str:
    trs = []
    for a in items:
        ended = '<strong class="hy-ended-tag">【終了】</strong>' if a.status == "終了" else esc(a.status)
        muni = ""
        if with_municipality:
            m = links.municipality(a.municipality)
            muni = f'<td data-label="団体"><a href="{esc(rel_url(links.municipality_url(a.municipality), base))}">{esc(m.name)}</a></td>'
        trs.append(
            f"<tr>{muni}"
            f'<td data-label="評価書"><a href="{esc(rel_url(links.doc_url(a.id), base))}">{esc(a.cover.title)}</a>'
            + (f'<span class="hy-muted">（評価書番号 {esc(a.cover.number)}）</span>' if a.cover.number else "")
            + f'</td><td data-label="評価書の種類">{esc(a.form)}（{esc(a.form_name)}）</td>'
            f'<td data-label="様式の版">［{esc(a.form_version)}］</td>'
            f'<td data-label="公表日">{ja_date(a.cover.published)}</td>'
            f'<td data-label="データの時点">{ja_date(a.source.as_of)}</td><td data-label="状態">{ended}</td></tr>'
        )
    head_muni = '<th scope="col">団体</th>' if with_municipality else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="hy-scroll"><table class="hy-table hy-stack">{cap}<thead><tr>{head_muni}<th scope="col">評価書</th>'
        '<th scope="col">評価書の種類</th><th scope="col">様式の版</th><th scope="col">公表日</th>'
        f'<th scope="col">データの時点</th><th scope="col">状態</th></tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
    )


def record_table(items: Iterable[S.CouncilRecord], links: Links, base: str) -> str:
    trs = []
    for r in items:
        targets = "、".join(
            f'<a href="{esc(rel_url(links.doc_url(aid), base))}">{esc(links.docs[aid].cover.title)}</a>'  # type: ignore[union-attr]
            for aid in links.assessments_of.get(r.id, [])
        )
        trs.append(
            f'<tr><td data-label="区分">{esc(r.record_type)}</td><td data-label="番号">{text(r.number)}</td>'
            f'<td data-label="件名"><a href="{esc(rel_url(links.doc_url(r.id), base))}">{esc(r.subject)}</a></td>'
            f'<td data-label="日付">{ja_date(r.date)}</td><td data-label="対象の評価書">{targets or text(None)}</td>'
            f'<td data-label="データの時点">{ja_date(r.source.as_of)}</td></tr>'
        )
    return (
        '<div class="hy-scroll"><table class="hy-table hy-stack"><thead><tr><th scope="col">区分</th><th scope="col">番号</th>'
        '<th scope="col">件名</th><th scope="col">日付</th><th scope="col">対象の評価書</th><th scope="col">データの時点</th>'
        f'</tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
    )


def municipality_page(m: Municipality, corpus: Corpus, links: Links, findings: list | None = None) -> Page:
    """`findings`: the auditor findings of the municipality's assessments (None: no findings section)."""
    path = A.municipality_path(m.slug)
    base = url_of(path)
    assessments, records = _docs_of(corpus, m.code)
    head = (
        f'<header class="hy-head"><nav class="hy-crumbs" aria-label="現在位置"><a href="{esc(rel_url("", base))}">ホーム</a> › '
        f"<span>{esc(m.name)}</span></nav>"
        f'<p class="hy-kicker">{esc(m.prefecture)}</p><h1 class="hy-title">{esc(m.name)}</h1>'
        f'<dl class="hy-meta"><div><dt>全国地方公共団体コード</dt><dd>{esc(m.code)}</dd></div>'
        f"<div><dt>評価書</dt><dd>{len(assessments)} 件</dd></div><div><dt>審議会記録</dt><dd>{len(records)} 件</dd></div></dl></header>"
    )
    parts = [front_matter(title=safe_title(f"{m.name}（{m.prefecture}）")), block(head), "## 特定個人情報保護評価書 { #assessments }"]
    if assessments:
        parts.append(block(assessment_table(assessments, links, base)))
    else:
        parts.append(block('<p class="hy-muted">この団体の評価書はまだ収録されていません。</p>'))
    parts.append("## 審議会の記録（答申・諮問） { #council-records }")
    if records:
        parts.append(block(record_table(records, links, base)))
    else:
        parts.append(block('<p class="hy-muted">この団体の審議会記録はまだ収録されていません。</p>'))
    if findings is not None:
        from .findings_pages import municipality_section

        parts += municipality_section(findings, corpus, base)
    return Page(path, m.name, "\n\n".join(parts) + "\n")


# ---- home ---------------------------------------------------------------------------------------


def home_page(corpus: Corpus, ctx: SiteContext, outputs: Iterable[Page | Asset] = ()) -> Page:
    """The home page; it links the comparison pages (compare/…) found among `outputs`."""
    links = Links(corpus)
    base = ""
    n_a, n_r = len(corpus.assessments), len(corpus.council_records)
    by_form: dict[str, int] = {}
    for a in corpus.assessments:
        by_form[a.form] = by_form.get(a.form, 0) + 1
    with_docs = {d.municipality for d in [*corpus.assessments, *corpus.council_records]}
    description = getattr(ctx, "description", "") or "全国の地方公共団体が公表する特定個人情報保護評価書を、項目ごとに読み、都市間で比べるためのポータルです。"
    forms = "、".join(f"{esc(f)}（{esc(S.FORM_NAMES[f])}）{n} 件" for f, n in sorted(by_form.items(), reverse=True))
    intro = (
        f'<div class="hy-home-intro"><p>{esc(description)}</p>'
        "<p>特定個人情報保護評価書は、マイナンバーを含む個人情報ファイルを扱う事務について、地方公共団体などが"
        "個人のプライバシーへの影響とリスク対策を自ら評価し、公表する文書です（個人情報保護委員会が様式を定めています）。"
        "このサイトでは、公表された評価書を様式の順番のまま項目ごとに表示し、どの回答にも直接リンクできるようにしています。</p>"
        f'<dl class="hy-meta hy-counts"><div><dt>団体</dt><dd>{len(with_docs)} 団体</dd></div>'
        f"<div><dt>評価書</dt><dd>{n_a} 件</dd></div><div><dt>審議会記録</dt><dd>{n_r} 件</dd></div></dl>"
        + (f'<p class="hy-muted">様式別: {forms}</p>' if forms else "")
        + "</div>"
    )
    parts = [front_matter(title=safe_title(ctx.site_title)), f"# {md_inline(ctx.site_title)}", block(intro)]

    compare = sorted(
        (o for o in outputs if isinstance(o, Page) and o.path.startswith(COMPARE_PREFIX)),
        key=lambda p: (p.path != f"{COMPARE_PREFIX}index.md", p.path),
    )
    if compare:
        lis = "".join(f'<li><a href="{esc(rel_url(url_of(p.path), base))}">{esc(p.title)}</a></li>' for p in compare)
        parts += ["## 都市間の比較 { #compare }", block(f'<ul class="hy-list">{lis}</ul>')]

    others = sorted(
        (o for o in outputs if isinstance(o, Page) and o.in_nav and not o.path.startswith(COMPARE_PREFIX) and o.path != HOME_PATH),
        key=lambda p: p.path,
    )
    if others:
        lis = "".join(f'<li><a href="{esc(rel_url(url_of(p.path), base))}">{esc(p.title)}</a></li>' for p in others)
        parts += ["## 検索・データ { #more }", block(f'<ul class="hy-list">{lis}</ul>')]

    parts.append("## 団体 { #municipalities }")
    trs = []
    for code, m in sorted(corpus.municipalities.items()):
        a, r = _docs_of(corpus, code)
        trs.append(
            f'<tr><td data-label="団体"><a href="{esc(rel_url(url_of(A.municipality_path(m.slug)), base))}">{esc(m.name)}</a></td>'
            f'<td data-label="都道府県">{esc(m.prefecture)}</td><td data-label="団体コード">{esc(code)}</td>'
            f'<td data-label="評価書">{len(a)} 件</td><td data-label="審議会記録">{len(r)} 件</td></tr>'
        )
    parts.append(
        block(
            '<div class="hy-scroll"><table class="hy-table hy-stack"><thead><tr><th scope="col">団体</th><th scope="col">都道府県</th>'
            '<th scope="col">団体コード</th><th scope="col">評価書</th><th scope="col">審議会記録</th></tr></thead>'
            f'<tbody>{"".join(trs)}</tbody></table></div>'
        )
    )

    parts.append("## 最近公表された評価書 { #latest }")
    latest = sorted(corpus.assessments, key=lambda d: (date_key(d.cover.published), d.id), reverse=True)[:LATEST]
    if latest:
        parts.append(block(assessment_table(latest, links, base, with_municipality=True, caption=f"公表日の新しい順（最大 {LATEST} 件）")))
    else:
        parts.append(block('<p class="hy-muted">評価書はまだ収録されていません。</p>'))
    parts.append("## このサイトの読み方 { #about }")
    parts.append(
        block(
            '<div class="hy-home-about"><ul class="hy-list">'
            "<li>各評価書のページは、表紙・Ⅰ〜Ⅵ・別添の順に、評価書の番号と項目名のまま表示します。冒頭の「概要」に、事務、システム、"
            "ファイル、対象人数、委託の件数、保管期間、「課題が残されている」等の回答をまとめています。</li>"
            "<li>選択式の回答は、公式の選択肢を並べ、選ばれた回答に ◉ と「← 回答」を付けて示します。チェック欄は ☑（○あり）/ ☐（○なし）で示します。</li>"
            "<li>各項目の ¶ は、その回答への固定リンクです。監査や引用にお使いください。</li>"
            "<li>原本から読み取りにくい箇所などは「⚠ 曖昧」などの転記メモとしてその項目に表示し、ページ末尾に一覧にしています。"
            "正確な内容は出典の評価書（PDF）で確認してください。</li></ul></div>"
        )
    )
    return Page(HOME_PATH, ctx.site_title, "\n\n".join(parts) + "\n", in_nav=True)


def portal_description(site_config) -> str:
    """The portal's description from site_config/portal.yaml, as validated by hyoka.siteconfig ('' when the
    file is missing; a broken file is reported by validation, which stops the build before any page)."""
    from pathlib import Path

    from .siteconfig import load_site_config

    return load_site_config(Path(site_config)).portal.description
