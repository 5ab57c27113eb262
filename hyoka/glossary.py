"""Plain words for the form's terms (issue 16): one explanation per term, as data, and the marks on a page.

Each term has a one-line explanation in plain Japanese that says what the official text says, no more,
and `source` names that text (番号法 = 行政手続における特定の個人を識別するための番号の利用等に関する法律;
指針 = 特定個人情報保護評価指針; the forms are those of 特定個人情報保護評価に関する規則).  An explanation
that is a paraphrase, not a quotation, says so only by being plain: the quotation is in the source.

Where the terms are shown:
- the glossary page (hyoka.views.glossary: glossary/index.md, one anchor `term-<key>` per term);
- on an assessment page, `mark_terms` turns a term in a label (`<dt>` of a row) or in a part's heading
  into a link to its glossary anchor that also shows the explanation on hover and on keyboard focus
  (CSS, `data-tip`), and on a first tap on a touch screen (assets/hyoka-terms.js); screen readers get
  the explanation as the link's description (`aria-describedby` → the hidden definitions the page
  carries).  Without JavaScript the term is still a link to the glossary.

The terms are fixed strings of this module (no text from content/ becomes markup here): `mark_terms`
only wraps a term found in text that the templates have already escaped.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from markupsafe import Markup

PAGE = "glossary/index.md"
PAGE_URL = "glossary/"


@dataclasses.dataclass(frozen=True)
class Term:
    key: str  # anchor on the glossary page: term-<key>
    term: str  # as printed on the form
    plain: str  # one line, plain Japanese
    source: str  # the official text the explanation follows
    match: str = ""  # regular expression for the term in labels (default: the term itself)

    @property
    def anchor(self) -> str:
        return f"term-{self.key}"

    @property
    def pattern(self) -> str:
        return self.match or re.escape(self.term)


TERMS: tuple[Term, ...] = (
    Term(
        "hyoka", "特定個人情報保護評価",
        "特定個人情報ファイルを持とうとする（持っている）国の機関や地方公共団体などが、プライバシーなどへの影響を予測して"
        "漏えいなどのリスクを分析し、リスクを減らす適切な措置をとることを宣言するもの。その結果が評価書です。",
        "番号法第27条・第28条、特定個人情報保護評価指針 第1（特定個人情報保護評価の意義）、個人情報保護委員会「特定個人情報保護評価とは」",
    ),
    Term(
        "kojin-bango", "個人番号",
        "住民票のある一人ひとりに指定される12けたの番号（マイナンバー）。住民票コードを変換して作られます。",
        "番号法第2条第5項・第7条・第8条、番号法施行令・同施行規則（11けたの番号と1けたの検査用数字）",
        match="個人番号(?!カード)",
    ),
    Term(
        "tokutei-kojin-joho", "特定個人情報",
        "個人番号（マイナンバー）を含む個人情報。個人番号の代わりに使われる番号・記号など（住民票コードを除く）を含むものも当たります。",
        "番号法第2条第8項",
        match="特定個人情報(?!ファイル|保護評価)",
    ),
    Term(
        "tokutei-kojin-joho-file", "特定個人情報ファイル",
        "個人番号を含む個人情報を、特定の人の情報を検索できるように体系的にまとめたもの（データベースや台帳）。"
        "評価書は、このファイルごとに入手・委託・提供・保管を書きます。",
        "番号法第2条第9項（個人番号をその内容に含む個人情報ファイル）、個人情報保護法第60条第2項（個人情報ファイル）",
    ),
    Term(
        "hyoka-jisshi-kikan", "評価実施機関",
        "評価を行い、評価書を作って公表する機関（○○市長、○○市教育委員会など）。",
        "特定個人情報保護評価指針 第2（定義）・第3（特定個人情報保護評価の実施主体）",
    ),
    Term(
        "nyushu-moto", "入手元",
        "特定個人情報をどこから受け取るか（本人、同じ機関の他の部署、他の行政機関や地方公共団体など）。評価書の選択肢から○をつけます。",
        "評価書様式（全項目評価書 Ⅱ 3．①入手元）",
    ),
    Term(
        "itaku", "委託",
        "特定個人情報ファイルを扱う仕事の全部または一部を、外部の事業者などに任せること。任せた側は、委託先が安全に管理するよう"
        "必要かつ適切な監督をしなければなりません。",
        "番号法第10条・第11条",
    ),
    Term(
        "saiitaku", "再委託",
        "委託を受けた事業者が、その仕事をさらに別の事業者に任せること。最初に委託した者の許諾を得た場合に限り認められます。",
        "番号法第10条第1項",
    ),
    Term(
        "teikyo", "提供",
        "特定個人情報を、評価実施機関の外の者（法人格の異なる他の行政機関・地方公共団体など）に渡すこと。"
        "番号法が定める場合のほかは禁止されています。",
        "番号法第19条、個人情報保護委員会「特定個人情報の適正な取扱いに関するガイドライン（行政機関等編）」（「提供」は法的な人格を超える特定個人情報の移動）",
        match="(?<!情報)提供(?=先|・移転|を行っ)",  # not 「委託先への…提供方法」: handing a file to a contractor is 委託
    ),
    Term(
        "iten", "移転",
        "特定個人情報を、同じ評価実施機関の中の他の部署に渡すこと。法人格を超えないので「提供」とは区別して書きます。",
        "評価書様式（全項目評価書 Ⅱ 5．特定個人情報の提供・移転）、個人情報保護委員会「特定個人情報の適正な取扱いに関するガイドライン（行政機関等編）」"
        "（法的な人格を超えない移動は「提供」ではなく「利用」）",
    ),
    Term(
        "network", "情報提供ネットワークシステム",
        "国の機関や地方公共団体などの間で、番号法が認める特定個人情報のやり取り（情報連携）を暗号化した通信で行い、管理する仕組み。"
        "内閣総理大臣が設置・管理します。",
        "番号法第2条第14項・第21条",
    ),
    Term(
        "hokan-kikan", "保管期間",
        "特定個人情報ファイルの記録を保管しておく期間。評価書では「1年未満」から「20年以上」、「定められていない」までの選択肢から選び、"
        "その妥当性を書きます。",
        "評価書様式（全項目評価書 Ⅱ 6．②保管期間）",
    ),
    Term(
        "shikiichi", "しきい値判断",
        "対象となる本人の数、特定個人情報ファイルの取扱者数、過去1年以内の重大事故の有無から、基礎項目評価・重点項目評価・全項目評価の"
        "どれを行うかを決めること。",
        "特定個人情報保護評価指針 第5 2（しきい値判断）、評価書様式（基礎項目評価書 Ⅱ しきい値判断項目）",
    ),
    Term(
        "toriatsukaisha", "取扱者数",
        "特定個人情報ファイルを扱う人の数（委託先の従業者を含む）。500人以上かどうかが、しきい値判断に使われます。",
        "特定個人情報保護評価指針 第5 2（しきい値判断）、評価書様式（基礎項目評価書 Ⅱ 2．取扱者数）",
    ),
    Term(
        "kiso", "基礎項目評価",
        "対象となる本人が1,000人以上の特定個人情報ファイルを扱う事務で行う、基本の評価（基礎項目評価書）。そのしきい値判断で、"
        "重点項目評価や全項目評価も必要かが決まります。",
        "特定個人情報保護評価指針 第5（特定個人情報保護評価の実施手続）、評価書様式（様式2 基礎項目評価書）",
    ),
    Term(
        "juten", "重点項目評価",
        "しきい値判断の結果（対象となる本人の数・取扱者数・重大事故の有無）により行う、基礎項目評価より詳しい評価（重点項目評価書）。",
        "特定個人情報保護評価指針 第5（特定個人情報保護評価の実施手続）、評価書様式（様式3 重点項目評価書）",
    ),
    Term(
        "zenkomoku", "全項目評価",
        "最も詳しい評価（全項目評価書）。対象となる本人が30万人以上の場合などに必要で、住民などからの意見の聴取を行い、"
        "地方公共団体などは第三者点検を受けてから公表します。",
        "特定個人情報保護評価指針 第5（特定個人情報保護評価の実施手続）、評価書様式（様式4 全項目評価書 Ⅵ 評価実施手続）",
    ),
    Term(
        "daisansha", "第三者点検",
        "地方公共団体などが全項目評価書を公表する前に、外部の者（個人情報保護審議会など）に内容を点検してもらうこと。",
        "特定個人情報保護評価指針 第5（特定個人情報保護評価の実施手続）、評価書様式（全項目評価書 Ⅵ 3．第三者点検）",
    ),
)

BY_KEY = {t.key: t for t in TERMS}

# Longest terms first, so that 特定個人情報ファイル wins over 特定個人情報, 再委託 over 委託, 情報提供ネットワーク
# システム over 提供 (each pattern also refuses the longer terms itself, for matches that start later).
_TERM_RE = re.compile("|".join(f"(?P<t{i}>{t.pattern})" for i, t in sorted(enumerate(TERMS), key=lambda x: -len(x[1].term))))
_INDEX = {f"t{i}": t for i, t in enumerate(TERMS)}


def find_terms(text: str) -> list[Term]:
    """The terms in `text`, in the order they occur (each once)."""
    out: list[Term] = []
    for m in _TERM_RE.finditer(text):
        t = _INDEX[m.lastgroup or ""]
        if t not in out:
            out.append(t)
    return out


def def_id(t: Term) -> str:
    return f"hy-def-{t.key}"


def term_link(t: Term, glossary_href: str, text: str | None = None) -> Markup:
    """The marked term: a link to its glossary anchor, the explanation shown on hover/focus/tap."""
    return Markup(
        '<a class="hy-term" href="{href}#{anchor}" data-tip="{tip}" aria-describedby="{did}">{text}</a>'
    ).format(href=glossary_href, anchor=t.anchor, tip=t.plain, did=def_id(t), text=text if text is not None else t.term)


@functools.lru_cache(maxsize=4096)
def _term_link(key: str, glossary_href: str, text: str) -> str:
    """term_link of an escaped text (a label's words, as the page has them), as text: the same few per site."""
    return str(term_link(BY_KEY[key], glossary_href, Markup(text)))


def definitions(terms: list[Term]) -> Markup:
    """The hidden definitions that the marked terms of a page point at (aria-describedby)."""
    return Markup("").join(
        Markup('<span id="{id}">{term}：{plain}</span>').format(id=def_id(t), term=t.term, plain=t.plain) for t in terms
    )


# A label (a row's <dt>) or a part's heading, as the templates write them: escaped text, then the ¶ link.
_LABEL_RE = re.compile(r'(<dt>|<h[3-6] class="hy-h">)([^<]*)(?=<a class="hy-permalink")')
_DESCRIBED_RE = re.compile(r'aria-describedby="hy-def-([^"]*)"')
DEFS_SLOT = '<span class="hy-gl-defs" hidden></span>'  # where the page's hidden definitions go (dataflow.html)


def mark_terms(markdown: str, glossary_href: str) -> str:
    """An assessment page's Markdown with the first term of each label or heading marked, each term once
    per section (between two `## ` headings), and the hidden definitions filled into DEFS_SLOT.

    The labels are text the templates have escaped; a term is a fixed string of this module, so wrapping
    it cannot open markup that content/ wrote.  A page without DEFS_SLOT is returned unchanged: every
    marked term must have its definition on the page."""
    if DEFS_SLOT not in markdown:
        return markdown
    used: list[Term] = []
    out: list[str] = []
    for chunk in re.split(r"(?m)^(?=## )", markdown):
        seen: set[str] = set()

        def one(m: re.Match) -> str:
            text = m.group(2)
            for tm in _TERM_RE.finditer(text):
                t = _INDEX[tm.lastgroup or ""]
                if t.key in seen:
                    continue
                seen.add(t.key)
                if t not in used:
                    used.append(t)
                return m.group(1) + text[:tm.start()] + _term_link(t.key, glossary_href, tm.group(0)) + text[tm.end():]
            return m.group(0)

        out.append(_LABEL_RE.sub(one, chunk))
    page = "".join(out)
    # the definitions of the terms marked here and of those the data-flow section marks itself
    described = set(_DESCRIBED_RE.findall(page))  # the keys of every aria-describedby="hy-def-<key>" (one pass)
    for t in TERMS:
        if t not in used and t.key in described:
            used.append(t)
    slot = Markup('<span class="hy-gl-defs" hidden>{}</span>').format(definitions([t for t in TERMS if t in used]))
    return page.replace(DEFS_SLOT, str(slot), 1)

