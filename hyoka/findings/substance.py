"""Substance: answers that deserve an auditor's attention on their merits."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from .. import anchors
from ..schema import Assessment
from . import Context, Finding, finding, quote, rule
from .walk import risk_items

# The longest time each official 保管期間 choice allows, in years (None: no upper bound / not fixed).
RETENTION_MAX_YEARS: dict[str, float | None] = {
    "1年未満": 0.99,
    "1年": 1,
    "2年": 2,
    "3年": 3,
    "4年": 4,
    "5年": 5,
    "6年以上10年未満": 9.99,
    "10年以上20年未満": 19.99,
    "20年以上": None,
    "定められていない": None,
}
_STATUTE = re.compile(r"(法|令|規則|条例|規程)")
_YEARS = re.compile(r"(\d+)年間?(?:以上)?(?:の間)?(?:保管|保存)")


def statute_years(reason: str | None) -> int | None:
    """The number of years a statute fixes, where the reason text cites one (「…施行令第６条の２において、５年間保管…」)."""
    if not reason:
        return None
    text = unicodedata.normalize("NFKC", reason)
    if not _STATUTE.search(text):
        return None
    years = [int(m.group(1)) for m in _YEARS.finditer(text)]
    return max(years) if years else None


@rule("S01", "保管期間が、記載された法令の定める期間より短い", "要対応", "評価書に引用された法令（保存期間の定め）")
def retention_shorter_than_statute(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    for fi, f in enumerate(doc.files):
        period = f.retention.period if f.retention else None
        if period is None or period.period is None:
            continue
        years = statute_years(period.reason)
        longest = RETENTION_MAX_YEARS.get(period.period)
        if years is not None and longest is not None and longest < years:
            yield finding("S01", doc, f"files[{fi}].retention.period", anchors.retention(fi + 1),
                          f"ファイル{fi + 1}の保管期間は「{period.period}」だが、その妥当性の欄は{years}年間の保管を定める法令を引いている。",
                          quote(period.reason))


@rule("S02", "「課題が残されている」と自己評価した項目", "参考", "評価書の自己評価（リスクへの対策は十分か）")
def issues_remaining(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    for placed in risk_items(doc):
        if placed.item.answer == "課題が残されている":
            where = placed.risk_title or placed.item.label
            yield finding("S02", doc, placed.path, placed.anchor,
                          f"Ⅲ-{placed.section_no}「{where}」について「課題が残されている」と回答している。", quote(placed.item.answer))
    for si, sec in enumerate(doc.other_measures):
        for qi, item in enumerate(sec.items):
            if item.answer == "課題が残されている":
                yield finding("S02", doc, f"other_measures[{si}].items[{qi}]", anchors.other_measure(si + 1, qi + 1),
                              f"Ⅳ「{item.label}」について「課題が残されている」と回答している。", quote(item.answer))
