"""Internal consistency: the form contradicting itself."""

from __future__ import annotations

from typing import Iterator

from .. import anchors
from ..choices import norm_label
from ..schema import Assessment
from . import Context, Finding, finding, quote, rule
from .walk import label_is, risk_items

FORM = "評価書様式の記載要領（各項目の相互関係）"


@rule("C01", "委託の有無と委託事項の記載が合わない", "要確認", FORM)
def entrust_status_vs_items(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    for fi, f in enumerate(doc.files):
        e = f.entrustment
        if e is None:
            continue
        path, anchor = f"files[{fi}].entrustment", anchors.file(fi + 1)
        if e.status == "委託する" and not e.items:
            yield finding("C01", doc, path, anchor, f"ファイル{fi + 1}は「委託する」と答えているが、委託事項の記載がない。", quote(e.status))
        if e.status == "委託しない" and e.items:
            yield finding("C01", doc, path, anchor, f"ファイル{fi + 1}は「委託しない」と答えているが、委託事項が{len(e.items)}件記載されている。", quote(e.items[0].title))


@rule("C02", "印刷された件数と記載された項目の数が合わない", "要確認", FORM)
def printed_counts(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    for fi, f in enumerate(doc.files):
        e = f.entrustment
        if e is not None and e.count is not None and e.count != len(e.items):
            yield finding(
                "C02", doc, f"files[{fi}].entrustment.count", anchors.file(fi + 1),
                f"ファイル{fi + 1}の委託は「（ {e.count} ）件」と印刷されているが、委託事項は{len(e.items)}件記載されている。",
                f"（ {e.count} ）件",
            )
        p = f.provision
        if p is None:
            continue
        for count, items, annex, what in (
            (p.provision_count, p.provisions, p.provision_annex, "提供先"),
            (p.transfer_count, p.transfers, p.transfer_annex, "移転先"),
        ):
            # a list in a 別紙 may stand for the items (「提供先1 …（別紙１参照）」)
            if count is not None and count not in (len(items), len(annex), len(items) + len(annex)):
                yield finding(
                    "C02", doc, f"files[{fi}].provision", anchors.file(fi + 1),
                    f"ファイル{fi + 1}の{what}は「（ {count} ）件」と印刷されているが、{len(items)}件記載されている。",
                    f"（ {count} ）件",
                )


def _file_for_risks(doc: Assessment, risk_file_index: int) -> list[int]:
    """Which Ⅱ files a Ⅲ block speaks for: the same position when the counts agree, else all."""
    if len(doc.risks) == len(doc.files):
        return [risk_file_index - 1]
    return list(range(len(doc.files)))


@rule("C03", "再委託の有無とⅢの再委託先に関する回答が合わない", "要確認", FORM)
def subcontract_vs_risk_answer(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    for placed in risk_items(doc):
        item = placed.item
        if item.answer is None or not label_is(item, "再委託先による特定個人情報ファイルの適切な取扱いの確保", "再委託先による特定個人情報ファイルの適切な取扱いの担保"):
            continue
        files = _file_for_risks(doc, placed.file_index)
        subs = [
            e.subcontract
            for i in files
            if doc.files[i].entrustment
            for e in doc.files[i].entrustment.items
        ]
        if not subs:
            continue
        any_sub = "再委託する" in subs
        if not any_sub and item.answer != "再委託していない":
            yield finding("C03", doc, placed.path, placed.anchor,
                          "Ⅱの委託事項はすべて「再委託しない」だが、Ⅲでは再委託先の取扱いの確保について再委託がある前提で回答している。", quote(item.answer))
        if any_sub and item.answer == "再委託していない":
            yield finding("C03", doc, placed.path, placed.anchor,
                          "Ⅱに「再委託する」委託事項があるが、Ⅲでは「再委託していない」と回答している。", quote(item.answer))


def _no_provision_for_section5(p) -> bool:
    if "行っていない" in p.status.ticked:
        return True
    listed = [*p.provisions, *p.transfers, *p.provision_annex, *p.transfer_annex]
    if "移転を行っている" in p.status.ticked or not listed:
        return False
    return all(x.methods is not None and x.methods.ticked == ["情報提供ネットワークシステム"] for x in listed)


def _section(doc: Assessment, fi: int, no: str):
    for sec in doc.risks[fi].sections:
        if norm_label(sec.no) == no:
            return sec
    return None


def _answered(sec) -> bool:
    return any(i.answer for r in sec.risks for i in r.items) or any(i.answer for i in sec.items)


@rule("C04", "提供・移転の有無とⅢ-5の回答が合わない", "要確認", FORM)
def provision_vs_risk_section(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    for fi in range(len(doc.risks)):
        sec = _section(doc, fi, "5")
        if sec is None:
            continue
        files = [doc.files[i] for i in _file_for_risks(doc, fi + 1)]
        provs = [f.provision for f in files if f.provision and f.provision.status]
        if not provs:
            continue
        # Ⅲ-5 excludes provision through 情報提供ネットワークシステム: only other provision/transfer counts here
        none_at_all = all(_no_provision_for_section5(p) for p in provs)
        anchor = anchors.risk_section(fi + 1, sec.no)
        path = f"risks[{fi}].sections[{doc.risks[fi].sections.index(sec)}]"
        if none_at_all and sec.not_applicable is None and _answered(sec):
            yield finding("C04", doc, path, anchor,
                          "Ⅱでは（情報提供ネットワークシステムを通じた提供を除き）提供・移転を行っていないが、Ⅲ-5は「提供・移転しない」に○がなく、リスク対策が回答されている。", quote(sec.title))
        if not none_at_all and sec.not_applicable is not None:
            yield finding("C04", doc, path, anchor,
                          "Ⅱでは情報提供ネットワークシステム以外の方法による提供または移転を行っているが、Ⅲ-5では該当しない旨に○がついている。", quote(sec.not_applicable))


def _not_connected(sec) -> bool:
    """Ⅲ-6 ticks 接続しない for both 入手 and 提供 (or a plain 接続しない)."""
    na = sec.not_applicable or ""
    return ("接続しない（入手）" in na and "接続しない（提供）" in na) or na.strip() == "接続しない"


@rule("C05", "情報提供ネットワークシステムとの接続の記載が合わない", "要確認", FORM)
def network_vs_risk_section(doc: Assessment, ctx: Context) -> Iterator[Finding]:
    nl = doc.basic_info.network_linkage
    if nl is None or nl.status is None:
        return
    sections = [(fi, sec) for fi in range(len(doc.risks)) if (sec := _section(doc, fi, "6")) is not None]
    if not sections:
        return
    if nl.status == "実施する" and all(_not_connected(sec) for _, sec in sections):
        fi, sec = sections[0]
        yield finding("C05", doc, f"risks[{fi}].sections[{doc.risks[fi].sections.index(sec)}]", anchors.risk_section(fi + 1, sec.no),
                      "Ⅰで情報提供ネットワークシステムによる情報連携を「実施する」としているが、Ⅲ-6ではすべてのファイルについて入手・提供とも「接続しない」に○がついている。",
                      quote(sec.not_applicable))
    if nl.status == "実施しない":
        for fi, sec in sections:
            if not _not_connected(sec) and _answered(sec):
                yield finding("C05", doc, f"risks[{fi}].sections[{doc.risks[fi].sections.index(sec)}]", anchors.risk_section(fi + 1, sec.no),
                              "Ⅰで情報連携を「実施しない」としているが、Ⅲ-6は「接続しない」に○がなく、リスク対策が回答されている。", quote(nl.status))
