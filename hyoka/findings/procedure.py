"""Procedure: what the 評価指針 and 規則 require of the assessment process."""

from __future__ import annotations

from typing import Iterator

from .. import anchors
from ..choices import norm_label
from ..jadate import JaDateError
from ..schema import Assessment
from . import Context, Finding, finding, quote, rule

RULES_15 = "特定個人情報保護評価に関する規則 第15条（一定期間経過後の評価の再実施）、特定個人情報保護評価指針"
GUIDE_THIRD = "特定個人情報保護評価指針 第6の2（地方公共団体等による全項目評価書の第三者点検）"
GUIDE_PUBLIC = "特定個人情報保護評価指針 第6の2（国民・住民等からの意見の聴取）"
CHANGES = "評価書様式の記載要領（別添 変更箇所）"
GUIDE_THRESHOLD = "特定個人情報保護評価に関する規則 第6条・第7条（しきい値判断）"


def _empty(text: object) -> bool:
    return text is None or norm_label(str(text)) in ("", "-", "－", "‐", "ー")


@rule("P01", "全項目評価書に第三者点検の記載がない", "要対応", GUIDE_THIRD)
def third_party_review(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    if doc.form != "様式4":
        return
    t = doc.procedures.third_party_review if doc.procedures else None
    if t is None or all(_empty(v) for v in (t.date, t.method, t.result)):
        yield finding("P01", doc, "procedures.third_party_review", "s6",
                      "全項目評価書であるが、Ⅵ 3．第三者点検の実施日・方法・結果の記載がない。", "（記載なし）")
    elif any("予定" in str(v) for v in (t.date, t.method) if v):
        yield finding("P01", doc, "procedures.third_party_review", "s6",
                      "第三者点検は公表時点で「予定」と記載されており、結果の記載がない。" if _empty(t.result) else "第三者点検の実施日・方法に「予定」と記載されている。",
                      quote(t.date if t.date and "予定" in str(t.date) else t.method))


@rule("P02", "全項目評価書に意見の聴取（パブリックコメント）の記載がない", "要対応", GUIDE_PUBLIC)
def public_comment(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    if doc.form != "様式4":
        return
    p = doc.procedures.public_comment if doc.procedures else None
    if p is None or (_empty(p.method) and _empty(p.period)):
        yield finding("P02", doc, "procedures.public_comment", "s6",
                      "全項目評価書であるが、Ⅵ 2．国民・住民等からの意見の聴取の方法・期間の記載がない。", "（記載なし）")


def expected_threshold_result(target: str | None, handlers: str | None, accident: str | None) -> str | None:
    """The しきい値判断 result the form's own table gives for the 様式2 answers (GUIDE §1)."""
    if target is None or handlers is None or accident is None:
        return None
    heavy = handlers == "500人以上" or accident == "発生あり"
    if target.startswith("1,000人未満"):
        return "特定個人情報保護評価の実施が義務付けられない"
    if target == "1,000人以上1万人未満":
        return "基礎項目評価の実施が義務付けられる"
    if target == "1万人以上10万人未満":
        return "基礎項目評価及び重点項目評価の実施が義務付けられる" if heavy else "基礎項目評価の実施が義務付けられる"
    if target == "10万人以上30万人未満":
        return "基礎項目評価及び全項目評価の実施が義務付けられる" if heavy else "基礎項目評価及び重点項目評価の実施が義務付けられる"
    if target == "30万人以上":
        return "基礎項目評価及び全項目評価の実施が義務付けられる"
    return None


_KIND_IN_RESULT = {"様式3": "重点項目評価", "様式4": "全項目評価"}


@rule("P03", "しきい値判断の結果が評価書の種類・回答と合わない", "要確認", GUIDE_THRESHOLD)
def threshold_result(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    th = doc.threshold
    if th is not None and th.result is not None:
        expected = expected_threshold_result(th.target_people, th.handlers, th.serious_accident)
        if expected is not None and expected != th.result:
            yield finding("P03", doc, "threshold.result", None,
                          f"しきい値判断項目の回答（対象人数「{th.target_people}」、取扱者数「{th.handlers}」、重大事故「{th.serious_accident}」）からは「{expected}」となるが、結果は次のとおり記載されている。",
                          quote(th.result))
    b = doc.procedures.baseline if doc.procedures else None
    if b is not None and b.threshold_result and doc.form in _KIND_IN_RESULT:
        if _KIND_IN_RESULT[doc.form] not in b.threshold_result:
            yield finding("P03", doc, "procedures.baseline.threshold_result", "s6",
                          f"{doc.form_name}であるが、Ⅵ 1．基礎項目評価のしきい値判断結果は次のとおり記載されている。", quote(b.threshold_result))


@rule("P04", "公表日から5年を経過している（再評価の時期）", "要確認", RULES_15)
def five_years(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    if doc.cover.published is None or doc.status == "終了":
        return
    published = doc.cover.published.date
    try:
        due = published.replace(year=published.year + 5)
    except ValueError:  # 29 February
        due = published.replace(year=published.year + 5, day=28)
    if ctx.today >= due:
        yield finding("P04", doc, "cover.published", None,
                      f"公表日（{published.isoformat()}）から5年を経過している（{ctx.today.isoformat()} 時点）。一定期間経過後の再評価の対象となりうる。",
                      quote(doc.cover.published))


@rule("P05", "変更箇所の変更日が公表日より後になっている", "要確認", CHANGES)
def change_after_publication(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    if doc.cover.published is None:
        return
    published = doc.cover.published.date
    later: list[tuple[int, object]] = []
    for i, ch in enumerate(doc.changes):
        if ch.date is None:
            continue
        try:
            when = ch.date.date
        except JaDateError:
            continue
        if when > published:
            later.append((i, ch))
    if later:
        i, first = later[0]
        latest = max(ch.date.date for _, ch in later)
        yield finding("P05", doc, f"changes[{i}].date", anchors.change(i + 1),
                      f"変更箇所のうち{len(later)}行の変更日が公表日（{published.isoformat()}）より後である（最も遅いものは {latest.isoformat()}）。表紙の公表日が更新されていない可能性がある。",
                      quote(first.date))
