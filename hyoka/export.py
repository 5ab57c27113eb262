"""Open data: every assessment and every flat table, as JSON and as CSV that opens in Excel.

Written by the build under `data/` (see `TABLES` for the columns).  CSV is UTF-8 with BOM and one header
row; a cell that a spreadsheet would run as a formula is prefixed with an apostrophe (`hyoka.csvout`, the
one CSV writer of the project: = + - @ and ＝ ＋ － ＠, also after leading spaces, a leading tab or CR).
JSON holds the same rows unaltered.  No MkDocs here.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from . import anchors
from .choices import norm_label
from .csvout import dict_rows_csv, neutralise  # noqa: F401  (neutralise: the rule, re-exported for callers)
from .findings import RULES, run_rules
from .jsonschema import document_schema
from .loader import Corpus, to_data
from .schema import Assessment
from .site import Asset, Page, SiteContext, register

# table name -> (title, [(column, description)])
TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "entrustments": (
        "委託（委託事項ごと、会社ごと）",
        [
            ("municipality_code", "全国地方公共団体コード"),
            ("municipality", "団体名"),
            ("assessment_id", "評価書の ID（ページの URL に使われる）"),
            ("assessment_title", "評価書名"),
            ("file", "特定個人情報ファイル名"),
            ("item_no", "委託事項の番号"),
            ("item", "委託事項"),
            ("contractor", "⑥委託先名（印刷のまま。複数社の欄は全社分が同じ値）"),
            ("company", "会社名（正規化。1つの欄に複数社あるときは会社ごとに1行）"),
            ("subcontract", "⑦再委託の有無（再委託する／再委託しない）"),
            ("permalink", "その委託事項へのリンク"),
        ],
    ),
    "retention": (
        "保管期間（ファイルごと）",
        [
            ("municipality_code", "全国地方公共団体コード"),
            ("municipality", "団体名"),
            ("assessment_id", "評価書の ID"),
            ("assessment_title", "評価書名"),
            ("file", "特定個人情報ファイル名"),
            ("retention", "②保管期間（公式の選択肢）"),
            ("reason", "その妥当性（印刷のまま）"),
            ("permalink", "その保管・消去の項目へのリンク"),
        ],
    ),
    "answers": (
        "リスク対策の回答（Ⅲ・Ⅳの選択式の回答ごと）",
        [
            ("municipality_code", "全国地方公共団体コード"),
            ("municipality", "団体名"),
            ("assessment_id", "評価書の ID"),
            ("assessment_title", "評価書名"),
            ("form", "様式（様式2／様式3／様式4）"),
            ("form_version", "様式の版（印刷のまま）"),
            ("file", "特定個人情報ファイル名（Ⅳは空）"),
            ("section", "Ⅲ-2 〜 Ⅲ-7、Ⅳ-1 … の区分"),
            ("risk", "リスク名（標準化: 全角半角・空白を統一。都市・版をまたいで比べるキー）"),
            ("question", "設問（印刷のまま）"),
            ("answer", "回答（公式の選択肢）"),
            ("permalink", "その回答へのリンク"),
        ],
    ),
    "changes": (
        "変更箇所（別添の行ごと）",
        [
            ("municipality_code", "全国地方公共団体コード"),
            ("municipality", "団体名"),
            ("assessment_id", "評価書の ID"),
            ("date", "変更日（印刷のまま）"),
            ("item", "項目"),
            ("before", "変更前の記載"),
            ("after", "変更後の記載"),
            ("timing", "提出時期（事前／事後）"),
            ("reason", "提出時期に係る説明"),
        ],
    ),
    "findings": (
        "点検結果（ビルドが評価書ごとに検出した事項）",
        [
            ("municipality_code", "全国地方公共団体コード"),
            ("municipality", "団体名"),
            ("assessment_id", "評価書の ID"),
            ("assessment_title", "評価書名"),
            ("rule_id", "ルールの ID"),
            ("rule", "ルール名"),
            ("severity", "重要度（要対応／要確認／参考）"),
            ("basis", "根拠"),
            ("statement", "検出した事項"),
            ("evidence", "評価書の記載（引用）"),
            ("permalink", "該当箇所へのリンク"),
        ],
    ),
}


def standard_risk_title(title: str) -> str:
    """The comparison key of a risk title across cities and form versions (NFKC, no spaces)."""
    return norm_label(title)


def _companies(ctx: SiteContext):
    from pathlib import Path

    from .companies import load_companies

    return load_companies(Path(ctx.site_config_dir))


class Rows:
    """Flat rows of each table for a corpus."""

    def __init__(self, corpus: Corpus, ctx: SiteContext | None = None, findings: list | None = None):
        self.corpus = corpus
        self.ctx = ctx or SiteContext()
        self.findings = findings
        self.registry = _companies(self.ctx)

    def companies(self, contractor: str | None) -> list[str]:
        """One entry per company the 委託先名 cell names: the canonical name, or the spelling as printed if unknown."""
        mentions = [m for m in self.registry.mentions(contractor) if not m.not_a_name]
        return [m.display_name for m in mentions] or [""]

    def _base(self, doc: Assessment) -> dict[str, str]:
        m = self.corpus.municipalities[doc.municipality]
        return {"municipality_code": doc.municipality, "municipality": m.name, "assessment_id": doc.id}

    def link(self, doc: Assessment, anchor: str | None) -> str:
        slug = self.corpus.municipalities[doc.municipality].slug
        return (self.ctx.site_url or "") + anchors.permalink(slug, doc.id, anchor)

    def entrustments(self) -> Iterator[dict[str, Any]]:
        for doc in self.corpus.assessments:
            for fi, f in enumerate(doc.files):
                for e in f.entrustment.items if f.entrustment else []:
                    for company in self.companies(e.contractor):
                        yield {
                            **self._base(doc),
                            "assessment_title": doc.cover.title,
                            "file": f.name,
                            "item_no": e.no,
                            "item": e.title,
                            "contractor": e.contractor or "",
                            "company": company,
                            "subcontract": e.subcontract or "",
                            "permalink": self.link(doc, anchors.entrustment(fi + 1, e.no)),
                        }

    def retention(self) -> Iterator[dict[str, Any]]:
        for doc in self.corpus.assessments:
            for fi, f in enumerate(doc.files):
                period = f.retention.period if f.retention else None
                yield {
                    **self._base(doc),
                    "assessment_title": doc.cover.title,
                    "file": f.name,
                    "retention": (period.period if period else None) or "",
                    "reason": (period.reason if period else None) or "",
                    "permalink": self.link(doc, anchors.retention(fi + 1)),
                }

    def answers(self) -> Iterator[dict[str, Any]]:
        for doc in self.corpus.assessments:
            head = {**self._base(doc), "assessment_title": doc.cover.title, "form": doc.form, "form_version": doc.form_version}
            for fi, fr in enumerate(doc.risks):
                for sec in fr.sections:
                    for ki, rk in enumerate(sec.risks):
                        for qi, item in enumerate(rk.items):
                            if item.answer:
                                yield {**head, "file": fr.file_name, "section": f"Ⅲ-{sec.no}", "risk": standard_risk_title(rk.title),
                                       "question": item.label, "answer": item.answer,
                                       "permalink": self.link(doc, anchors.risk_item(fi + 1, sec.no, ki + 1, qi + 1))}
                    for qi, item in enumerate(sec.items):
                        if item.answer:
                            yield {**head, "file": fr.file_name, "section": f"Ⅲ-{sec.no}", "risk": "",
                                   "question": item.label, "answer": item.answer,
                                   "permalink": self.link(doc, anchors.risk_section_item(fi + 1, sec.no, qi + 1))}
            for si, sec in enumerate(doc.other_measures):
                for qi, item in enumerate(sec.items):
                    if item.answer:
                        yield {**head, "file": "", "section": f"Ⅳ-{sec.no or si + 1}", "risk": standard_risk_title(sec.title),
                               "question": item.label, "answer": item.answer,
                               "permalink": self.link(doc, anchors.other_measure(si + 1, qi + 1))}

    def changes(self) -> Iterator[dict[str, Any]]:
        for doc in self.corpus.assessments:
            for ch in doc.changes:
                yield {**self._base(doc), "date": ch.date or "", "item": ch.item or "", "before": ch.before or "",
                       "after": ch.after or "", "timing": ch.timing or "", "reason": ch.reason or ""}

    def findings_rows(self) -> Iterator[dict[str, Any]]:
        by_id = {d.id: d for d in self.corpus.assessments}
        found = self.findings if self.findings is not None else run_rules(self.corpus.assessments)
        for f in found:
            doc = by_id[f.assessment_id]
            r = RULES[f.rule_id]
            yield {**self._base(doc), "assessment_title": doc.cover.title, "rule_id": r.id, "rule": r.title,
                   "severity": r.severity, "basis": r.basis, "statement": f.statement, "evidence": f.evidence,
                   "permalink": self.link(doc, f.anchor)}

    def table(self, name: str) -> list[dict[str, Any]]:
        fn = {"entrustments": self.entrustments, "retention": self.retention, "answers": self.answers,
              "changes": self.changes, "findings": self.findings_rows}[name]
        return list(fn())


def to_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> bytes:
    """A table as CSV by the project's one CSV writer (`hyoka.csvout`: BOM, CRLF, formula cells neutralised)."""
    return dict_rows_csv(rows, columns)


def to_json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _data_page(counts: dict[str, int]) -> Page:
    lines = [
        "# オープンデータ",
        "",
        "このポータルのすべてのデータは、ビルドのたびに次の場所に書き出されます。CSV は UTF-8（BOM 付き）で、Excel でそのまま開けます。"
        "表計算ソフトが数式として実行しうるセル（=, +, -, @ またはその全角 ＝ ＋ － ＠ で始まるもの。先頭の空白の後も含みます。タブ・改行（CR）で始まるもの。負の数 -5 も含みます）は、先頭にアポストロフィ（'）を付けて文字列にしています。JSON は同じ行を加工せずに収めます。",
        "",
        "| データ | 内容 | 形式 |",
        "| --- | --- | --- |",
        "| 評価書（全件） | 検証済みの全評価書（YAML と同じ形） | [JSON](assessments.json) |",
        "| 評価書（1件ずつ） | `data/assessments/<ID>.json`（各評価書のページからリンク） | JSON |",
        "| 審議会記録 | 答申・諮問 | [JSON](council_records.json) |",
        "| データの形式 | YAML／JSON の JSON Schema（モデルから生成） | [JSON Schema](schema.json) |",
    ]
    for name, (title, _) in TABLES.items():
        lines.append(f"| {title} | {counts[name]:,} 行 | [CSV]({name}.csv) ・ [JSON]({name}.json) |")
    for name, (title, cols) in TABLES.items():
        lines += ["", f"## {title} {{#{name}}}", "", f"`data/{name}.csv` ・ `data/{name}.json`（{counts[name]:,} 行）", "",
                  "| 列 | 内容 |", "| --- | --- |"]
        lines += [f"| `{c}` | {d} |" for c, d in cols]
    return Page("data/index.md", "オープンデータ", "\n".join(lines) + "\n", in_nav=True)


@register
def data_files(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
    docs = [{"type": "assessment", **to_data(d)} for d in corpus.assessments]
    yield Asset("data/assessments.json", to_json(docs))
    for d in docs:
        yield Asset(f"data/assessments/{d['id']}.json", to_json(d))
    yield Asset("data/council_records.json", to_json([{"type": "council_record", **to_data(r)} for r in corpus.council_records]))
    yield Asset("data/schema.json", to_json(document_schema()))
    rows = Rows(corpus, ctx, findings=ctx.findings)
    counts = {}
    for name, (_, cols) in TABLES.items():
        table = rows.table(name)
        counts[name] = len(table)
        yield Asset(f"data/{name}.json", to_json(table))
        yield Asset(f"data/{name}.csv", to_csv(table, [c for c, _ in cols]))
    yield _data_page(counts)
