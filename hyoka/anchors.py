"""Stable URLs and in-page anchors: one place, so pages, index, exports and findings agree.

Page paths (Markdown source paths, site-relative; MkDocs turns `x/y.md` into `x/y/`):
    index.md                              home
    {slug}/index.md                       one municipality (slug from site_config/municipalities.yaml)
    {slug}/{doc_id}.md                    one assessment or council record

Anchors inside an assessment page (files, items and risks numbered from 1, as printed):
    summary                               the summary box on top
    s1, s1-system-{n}                     Ⅰ 基本情報, システムn
    file-{f}                              Ⅱ for file f
    file-{f}-entrust-{n}                  委託事項n of file f
    file-{f}-provide-{n} / -transfer-{n}  提供先n / 移転先n
    file-{f}-retention                    保管・消去 of file f
    risk-{f}                              Ⅲ for file f
    risk-{f}-{sec}                        Ⅲ section (2…7) of file f
    risk-{f}-{sec}-{k}                    リスクk (the k-th risk block) of that section
    risk-{f}-{sec}-{k}-{q}                q-th item of that risk (a choice answer or measure)
    risk-{f}-{sec}-item-{q}               q-th item outside the risk blocks
    s4-{s}-{q}, s5-{s}-{q}                Ⅳ / Ⅴ section s, item q
    s6                                    Ⅵ 評価実施手続
    change-{n}                            別添 変更箇所, row n
    notes                                 転記メモ
"""

from __future__ import annotations

import re
import unicodedata


def _part(sec: str) -> str:
    """A printed section number (「２」, "2") as an anchor-safe token."""
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", str(sec)).lower()) or "x"


def page_path(slug: str, doc_id: str) -> str:
    return f"{slug}/{doc_id}.md"


def municipality_path(slug: str) -> str:
    return f"{slug}/index.md"


def page_url(slug: str, doc_id: str) -> str:
    """Site-relative URL of a document page (directory URLs)."""
    return f"{slug}/{doc_id}/"


def permalink(slug: str, doc_id: str, anchor: str | None = None) -> str:
    return page_url(slug, doc_id) + (f"#{anchor}" if anchor else "")


def system(n: int) -> str:
    return f"s1-system-{n}"


def file(f: int) -> str:
    return f"file-{f}"


def entrustment(f: int, n: int) -> str:
    return f"file-{f}-entrust-{n}"


def provision(f: int, n: int) -> str:
    return f"file-{f}-provide-{n}"


def transfer(f: int, n: int) -> str:
    return f"file-{f}-transfer-{n}"


def retention(f: int) -> str:
    return f"file-{f}-retention"


def risk_file(f: int) -> str:
    return f"risk-{f}"


def risk_section(f: int, sec: str) -> str:
    return f"risk-{f}-{_part(sec)}"


def risk(f: int, sec: str, k: int) -> str:
    return f"risk-{f}-{_part(sec)}-{k}"


def risk_item(f: int, sec: str, k: int, q: int) -> str:
    return f"risk-{f}-{_part(sec)}-{k}-{q}"


def risk_section_item(f: int, sec: str, q: int) -> str:
    return f"risk-{f}-{_part(sec)}-item-{q}"


def other_measure(s: int, q: int) -> str:
    return f"s4-{s}-{q}"


def disclosure(s: int, q: int) -> str:
    return f"s5-{s}-{q}"


def change(n: int) -> str:
    return f"change-{n}"
