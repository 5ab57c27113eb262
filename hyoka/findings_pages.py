"""Auditor findings on the site (issue 11): a box on each assessment page, a section on each
municipality page, and one page across all cities (findings/index.md) with filters.

The findings are computed once per build (`ensure_findings`: the MkDocs plugin runs the rules in its
pre-build step and stores them in `SiteContext.findings`; a front end that did not is served the
same way, once, on first use), so every page, the data files (hyoka.export) and the search index
show the same list.

    from hyoka import findings_pages    # registers `findings_page` into hyoka.site.GENERATORS

Text from content/ (statements quote it) goes through `esc`.  No MkDocs here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable, Iterator

from . import anchors as A
from .findings import RULES, SEVERITIES, Finding, run_rules
from .htmlkit import block, esc, md_inline, rel_url, url_of
from .loader import Corpus
from .site import Asset, Page, SiteContext, register

PAGE = "findings/index.md"
DATA_PAGE = "data/index.md"

# severity → (css class, symbol): the severity is always written out; colour and symbol only add to it
SEVERITY_STYLE = {
    "要対応": ("hy-sev-act", "◆"),
    "要確認": ("hy-sev-check", "▲"),
    "参考": ("hy-sev-info", "●"),
}

INTRO = (
    "このサイトのビルドが、評価書の記載を様式の記載要領や評価指針・規則に照らして機械的に点検し、"
    "確認が必要と思われる箇所を示したものです。評価書の誤りや違反を断定するものではありません。"
    "各事項の「該当箇所」から、評価書の該当する項目を開いて記載を確かめてください。"
)


def ensure_findings(corpus: Corpus, ctx: SiteContext) -> list[Finding]:
    """The build's findings: `ctx.findings`, or the rules run now (for today) and stored there."""
    if ctx.findings is None:
        ctx.findings = run_rules(corpus.assessments, today=dt.date.today())
    return ctx.findings


def by_assessment(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.assessment_id, []).append(f)
    return out


def _order(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; otherwise the rule engine's order (rule by rule, as found)."""
    return sorted(findings, key=lambda f: SEVERITIES.index(f.rule.severity))


def severity_badge(severity: str) -> str:
    cls, sym = SEVERITY_STYLE.get(severity, ("hy-sev-info", "●"))
    return f'<span class="hy-sev {cls}"><span aria-hidden="true">{sym}</span> {esc(severity)}</span>'


def _item_link(slug: str, f: Finding, base: str) -> str:
    """A link to the item the finding concerns (the page top when it names no item)."""
    href = rel_url(A.permalink(slug, f.assessment_id, f.anchor), base)
    label = "該当箇所へ" if f.anchor else "該当箇所へ（ページの先頭）"
    return f'<a class="hy-finding-link" href="{esc(href)}">{label}</a>'


def _counts(findings: list[Finding]) -> str:
    c = Counter(f.rule.severity for f in findings)
    return "・".join(f"{severity_badge(s)} {c.get(s, 0)} 件" for s in SEVERITIES)


def _finding_li(f: Finding, link_html: str, doc_html: str = "") -> str:
    r = f.rule
    return (
        f'<li class="hy-finding" data-rule="{esc(r.id)}" data-severity="{esc(r.severity)}">'
        f'<p class="hy-finding-head">{severity_badge(r.severity)} <strong class="hy-finding-rule">{esc(r.id)} {esc(r.title)}</strong>{doc_html}</p>'
        f'<p class="hy-finding-statement">{esc(f.statement)}</p>'
        f'<p class="hy-finding-evidence"><span class="hy-finding-label">評価書の記載：</span><q class="hy-text">{esc(_unquoted(f.evidence))}</q></p>'
        f'<p class="hy-finding-foot">{link_html}<span class="hy-muted">（根拠：{esc(r.basis)}）</span></p></li>'
    )


def _unquoted(evidence: str) -> str:
    """The evidence without the 「」 that hyoka.findings.quote puts around it (the <q> shows quotes)."""
    if evidence.startswith("「") and evidence.endswith("」"):
        return evidence[1:-1]
    return evidence


# ---- assessment page ---------------------------------------------------------------------------


def assessment_box(findings: list[Finding], slug: str, page_url: str) -> str:
    """The box near the top of an assessment page ('' when the assessment has no finding)."""
    if not findings:
        return ""
    lis = [_finding_li(f, _item_link(slug, f, page_url)) for f in _order(findings)]
    all_page = rel_url(url_of(PAGE), page_url)
    return (
        '<section class="hy-findings" id="findings" aria-labelledby="findings-h">'
        f'<h2 id="findings-h" class="hy-h">点検結果（{len(findings)} 件）'
        '<a class="hy-permalink" href="#findings" title="点検結果へのリンク" aria-label="点検結果へのリンク">¶</a></h2>'
        f'<p class="hy-findings-counts">{_counts(findings)}</p>'
        f'<p class="hy-muted">{esc(INTRO)} <a href="{esc(all_page)}">全都市の点検結果</a></p>'
        f'<ol class="hy-findings-list">{"".join(lis)}</ol></section>'
    )


# ---- municipality page -------------------------------------------------------------------------


def municipality_section(findings: list[Finding], corpus: Corpus, page_url: str) -> list[str]:
    """Markdown parts for a municipality page: counts per severity and the list, per assessment."""
    parts = ["## 点検結果 { #findings }"]
    if not findings:
        parts.append(block('<p class="hy-muted">この団体の評価書について、点検で検出された事項はありません。</p>'))
        return parts
    docs = {d.id: d for d in corpus.assessments}
    lis = []
    for aid, found in by_assessment(findings).items():
        d = docs[aid]
        slug = corpus.municipalities[d.municipality].slug
        doc_link = f'<a href="{esc(rel_url(A.permalink(slug, aid, "findings"), page_url))}">{esc(d.cover.title)}</a>'
        items = "".join(_finding_li(f, _item_link(slug, f, page_url)) for f in _order(found))
        lis.append(f'<li class="hy-findings-doc"><p><strong>{doc_link}</strong>（{len(found)} 件）</p><ol class="hy-findings-list">{items}</ol></li>')
    all_page = rel_url(url_of(PAGE), page_url)
    parts.append(block(
        '<div class="hy-findings">'
        f'<p class="hy-findings-counts">{_counts(findings)}（計 {len(findings)} 件）</p>'
        f'<p class="hy-muted">{esc(INTRO)} <a href="{esc(all_page)}">全都市の点検結果</a></p>'
        f'<ul class="hy-plain">{"".join(lis)}</ul></div>'
    ))
    return parts


# ---- the page across all cities ----------------------------------------------------------------


def _attrs(**data: object) -> str:
    return "".join(f' data-{k}="{esc(v)}"' for k, v in data.items())


@register
def findings_page(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    """findings/index.md: every finding of every city, filterable (assets/hyoka-filter.js), and the rule catalogue."""
    from hyoka_search.compare import _filter_form, _head, _select

    findings = ensure_findings(corpus, ctx)
    run_rules([])  # every rule registered, also when there is no assessment
    base = url_of(PAGE)
    docs = {d.id: d for d in corpus.assessments}
    rows = []
    for f in findings:
        d = docs[f.assessment_id]
        m = corpus.municipalities[d.municipality]
        rows.append((f, d, m))
    rows.sort(key=lambda x: (x[2].code, x[1].id, SEVERITIES.index(x[0].rule.severity)))

    city = Counter((m.code, m.name) for _, _, m in rows)
    rule = Counter(f.rule_id for f, _, _ in rows)
    sev = Counter(f.rule.severity for f, _, _ in rows)
    form = Counter(d.form for _, d, _ in rows)
    out = [
        f"# {md_inline('点検結果（全都市）')}",
        "",
        INTRO + f"現在 {len(rows)} 件（評価書 {len({d.id for _, d, _ in rows})} 件）です。",
        "",
        "同じデータ: [findings.csv](../data/findings.csv) ・ [findings.json](../data/findings.json)"
        "（[オープンデータ](../data/index.md#findings) に列の説明があります）",
        "",
        _head(base),
        "",
        _filter_form([
            _select("city", "都市", [(code, name, n) for (code, name), n in sorted(city.items())]),
            _select("rule", "ルール", [(r, f"{r} {RULES[r].title}", n) for r, n in sorted(rule.items())]),
            _select("severity", "重要度", [(s, s, sev[s]) for s in SEVERITIES if sev.get(s)]),
            _select("form", "様式", [(x, x, n) for x, n in sorted(form.items())]),
        ]),
        "",
        "## 検出した事項 { #list }",
        "",
    ]
    trs = []
    for f, d, m in rows:
        r = f.rule
        trs.append(
            f"<tr data-row{_attrs(city=m.code, rule=r.id, severity=r.severity, form=d.form)}>"
            f'<td class="hyoka-nowrap">{esc(m.name)}</td>'
            f'<td><a href="{esc(rel_url(A.permalink(m.slug, d.id), base))}">{esc(d.cover.title)}</a></td>'
            f'<td class="hyoka-nowrap">{esc(d.form)}</td><td>{severity_badge(r.severity)}</td>'
            f'<td><a href="#rule-{esc(r.id.lower())}">{esc(r.id)}</a> {esc(r.title)}</td>'
            f'<td class="hyoka-text">{esc(f.statement)}</td><td class="hyoka-text">{esc(f.evidence)}</td>'
            f'<td class="hyoka-nowrap">{_item_link(m.slug, f, base)}</td></tr>'
        )
    if trs:
        out.append(block(
            '<div class="hyoka-scroll"><table class="hyoka-table hyoka-filterable" id="findings" data-count data-csv-name="findings-visible.csv">'
            "<caption>点検で検出した事項（都市・評価書の順）</caption>"
            '<thead><tr><th scope="col">都市</th><th scope="col">評価書</th><th scope="col">様式</th><th scope="col">重要度</th>'
            '<th scope="col">ルール</th><th scope="col">検出した事項</th><th scope="col">評価書の記載（引用）</th>'
            '<th scope="col">該当箇所</th></tr></thead>'
            f'<tbody>{"".join(trs)}</tbody></table></div>'
        ))
    else:
        out.append(block('<p class="hy-muted">検出した事項はありません。</p>'))
    out += ["", "## ルールの一覧 { #rules }", "",
            "点検に使うルールです。重要度は「要対応」（対応が必要と思われるもの）、「要確認」（記載の確認が必要なもの）、「参考」の3段階です。", ""]
    trs = []
    for r in sorted(RULES.values(), key=lambda r: r.id):
        trs.append(
            f'<tr id="rule-{esc(r.id.lower())}"><th scope="row">{esc(r.id)}</th><td>{esc(r.title)}</td><td>{severity_badge(r.severity)}</td>'
            f"<td>{esc(r.basis)}</td><td>{rule.get(r.id, 0)} 件</td></tr>"
        )
    out.append(block(
        '<div class="hyoka-scroll"><table class="hyoka-table" id="rule-catalogue"><caption>点検ルール</caption>'
        '<thead><tr><th scope="col">ID</th><th scope="col">ルール</th><th scope="col">重要度</th><th scope="col">根拠</th>'
        f'<th scope="col">検出数</th></tr></thead><tbody>{"".join(trs)}</tbody></table></div>'
    ))
    yield Page(PAGE, "点検結果", "\n".join(out) + "\n", in_nav=True)
