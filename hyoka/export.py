"""Open data: every assessment and every flat table, as JSON and as CSV that opens in Excel.

Written by the build under `data/` (see `TABLES` for the columns).  CSV is UTF-8 with BOM and one header
row; a cell that a spreadsheet would run as a formula is prefixed with an apostrophe (`hyoka.csvout`, the
one CSV writer of the project: = + - @ and ＝ ＋ － ＠, also after leading spaces, a leading tab or CR).
JSON holds the same rows unaltered.  No MkDocs here.
"""

from __future__ import annotations

import collections
import dataclasses
from typing import Any, Iterable, Iterator, NamedTuple

from . import anchors, formkeys
from .csvout import dict_rows_csv, neutralise  # noqa: F401  (neutralise: the rule, re-exported for callers)
from .findings import RULES, run_rules
from .jsonout import dumps as dumps_indented  # json.dumps(…, ensure_ascii=False, indent=1), faster
from .loader import Corpus, to_data
from .schema import Assessment
from .site import SiteContext

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
        "回答（選択式・チェック欄の設問ごと。Ⅰ〜Ⅵ・別添3）",
        [
            ("municipality_code", "全国地方公共団体コード"),
            ("municipality", "団体名"),
            ("assessment_id", "評価書の ID"),
            ("assessment_title", "評価書名"),
            ("form", "様式（様式2／様式3／様式4）"),
            ("form_version", "様式の版（印刷のまま）"),
            ("file_no", "特定個人情報ファイルの番号（Ⅱ・Ⅲ。ほかは 0）"),
            ("file", "特定個人情報ファイル名（Ⅱ・Ⅲ。ほかは空）"),
            ("section", "この様式での区分（半角数字: Ⅰ-1, Ⅱ-4, Ⅲ-2, Ⅳ-1 …。モデルの項目は様式4の番号、Ⅲ〜Ⅴの区分は印刷の番号）"),
            ("section_title", "区分の見出し（印刷のまま、またはモデルの公式の項目名）"),
            ("key", "設問のキー（様式・版をまたいで同じ設問は同じキー。下の「キーの決め方」）"),
            ("risk", "リスクの ID（Ⅲ-2/R1 … 様式4のリスク番号。まとめて印刷されたリスクは Ⅲ-4/R1-5）。リスクの外の設問は空"),
            ("risk_title", "リスク名（印刷のまま）"),
            ("item", "繰り返しの欄（委託事項1、提供先2、システム1、変更箇所3 …）。なければ空"),
            ("question", "設問（公式の項目名・印刷のまま）"),
            ("kind", "choice（選択肢）／ tick（チェック欄 [ ○ ]）／ check（該当なしのチェック）"),
            ("answer", "回答: 選んだ公式の選択肢。チェック欄は ○ のついた選択肢を「 / 」でつないで1つのセルに。空欄のまま（印刷で未記入）は空"),
            ("detail", "チェック欄の選択肢の後の（ ）内の記載"),
            ("path", "YAML の項目のパス（転記メモの path と同じ）"),
            ("permalink", "その設問へのリンク（評価書のページ上のアンカー）"),
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


def _companies(ctx: SiteContext):
    from pathlib import Path

    from .companies import load_companies

    return load_companies(Path(ctx.site_config_dir))


class EntrustmentSource(NamedTuple):
    """What an `entrustments` row was made from: the assessment, its file number (1-based), the 委託事項 and
    the company mention of the row (hyoka.companies.Mention; None when the cell names no company)."""

    doc: Assessment
    file_no: int
    item: Any
    mention: Any


MEMORY_DOCUMENTS = 64  # document_rows kept in memory when a disk cache holds them all (least recently used out)


class Rows:
    """Flat rows of each table for a corpus.

    Memory: with a disk cache (`corpus.cache`), only the last MEMORY_DOCUMENTS documents' rows are kept here;
    every other pass over the corpus reads them from the cache again (never all at once).  Without one, every
    document's rows are kept for the build (computing them again would cost more than reading them)."""

    def __init__(self, corpus: Corpus, ctx: SiteContext | None = None, findings: list | None = None):
        self.corpus = corpus
        self.ctx = ctx or SiteContext()
        self.findings = findings
        self.registry = _companies(self.ctx)
        self._memo: collections.OrderedDict[str, dict[str, Any]] = collections.OrderedDict()  # document_rows by id
        self._reg_digest: str | None = None

    @classmethod
    def of(cls, corpus: Corpus, ctx: SiteContext) -> "Rows":
        """The build's Rows (kept on the SiteContext): the views that read the open data's rows share one,
        so each document's rows are read or computed once per build."""
        got = getattr(ctx, "_rows", None)
        if got is None or got.corpus is not corpus:
            got = cls(corpus, ctx, findings=ctx.findings)
            ctx._rows = got
        return got

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

    # Per assessment: its rows of the four per-document tables (and its JSON), read from the disk cache
    # (hyoka.cache, `corpus.cache`) when its source, municipality entry, company registry and site URL are
    # those of a cached entry; the tables are these rows in corpus order.
    PER_DOCUMENT = ("entrustments", "retention", "answers", "changes")

    def documents(self) -> Iterable[Any]:
        """What the passes over the rows iterate: the models, or with a lazy corpus their summaries (id and
        municipality are all `document_rows` needs of a cached document; the model is read only on a miss)."""
        from .loader import LazyAssessments

        a = self.corpus.assessments
        return self.corpus.summaries() if isinstance(a, LazyAssessments) else a

    def document_rows(self, doc: Any) -> dict[str, Any]:
        """{table: rows} of one assessment (its model, or its summary from `documents()`) for PER_DOCUMENT,
        "data": the assessment as data (to_data), and the same as the data files hold them: "data_json"
        (data/assessments/<id>.json without its last line end), "json" and "csv" {table: this document's rows
        as in data/<table>.json / .csv}."""
        memo = self._memo
        if doc.id in memo:
            memo.move_to_end(doc.id)
            return memo[doc.id]
        cache = self.corpus.cache
        src = cache.source(doc.id) if cache is not None else None
        key = got = None
        if src is not None:
            from .documents import registry_digest

            if self._reg_digest is None:
                self._reg_digest = registry_digest(self.registry)
            m = self.corpus.municipalities[doc.municipality]
            key = cache.key("rows", src, repr(m), self._reg_digest, self.ctx.site_url or "")
            got = cache.get("rows", key)
            if got is not None and not _valid_entry(got, doc.id, self.PER_DOCUMENT):
                cache.reject("rows")
                got = None
        if got is None:
            if not isinstance(doc, Assessment):  # a summary: the model is needed to compute the rows
                doc = self.corpus.assessments.get(doc.id)
            got = {"entrustments": list(self._entrustments(doc)), "retention": list(self._retention(doc)),
                   "answers": list(self._answers(doc)), "changes": list(self._changes(doc)),
                   "data": {"type": "assessment", **to_data(doc)}}
            # and as the data files write them: this document's part of each table's JSON and CSV
            got["data_json"] = dumps_indented(got["data"])
            got["json"] = {t: _json_items(got[t]) for t in self.PER_DOCUMENT}
            got["csv"] = {t: _csv_rows(got[t], TABLE_COLUMNS[t]) for t in self.PER_DOCUMENT}
            if key is not None:
                cache.put("rows", key, got)
        memo[doc.id] = got
        if cache is not None and src is not None:
            while len(memo) > MEMORY_DOCUMENTS:
                memo.popitem(last=False)
        return got

    def entrustments(self) -> Iterator[dict[str, Any]]:
        for doc in self.documents():
            yield from self.document_rows(doc)["entrustments"]

    def entrustment_sources(self) -> Iterator[tuple[dict[str, Any], EntrustmentSource]]:
        """(row of `entrustments`, where it came from): the open data's rows and what the comparison pages
        (hyoka.views.compare) group and show them by, from one loop."""
        for doc in self.corpus.assessments:
            yield from self._entrustment_pairs(doc)

    def retention(self) -> Iterator[dict[str, Any]]:
        for doc in self.documents():
            yield from self.document_rows(doc)["retention"]

    def answers(self) -> Iterator[dict[str, Any]]:
        """Every choice and tick question of every assessment (hyoka.formkeys.answers), one row each."""
        for doc in self.documents():
            yield from self.document_rows(doc)["answers"]

    def changes(self) -> Iterator[dict[str, Any]]:
        for doc in self.documents():
            yield from self.document_rows(doc)["changes"]

    def _entrustment_pairs(self, doc: Assessment) -> Iterator[tuple[dict[str, Any], EntrustmentSource]]:
        """One assessment's `entrustments` rows with what each was made from (the one loop of both)."""
        for fi, f in enumerate(doc.files):
            for e in f.entrustment.items if f.entrustment else []:
                mentions = [m for m in self.registry.mentions(e.contractor) if not m.not_a_name] or [None]
                for m in mentions:
                    company = m.display_name if m else ""
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
                    }, EntrustmentSource(doc, fi + 1, e, m)

    def _entrustments(self, doc: Assessment) -> Iterator[dict[str, Any]]:
        return (row for row, _ in self._entrustment_pairs(doc))

    def _retention(self, doc: Assessment) -> Iterator[dict[str, Any]]:
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

    def _answers(self, doc: Assessment) -> Iterator[dict[str, Any]]:
        head = {**self._base(doc), "assessment_title": doc.cover.title, "form": doc.form, "form_version": doc.form_version}
        for x in formkeys.answers(doc):
            row = dataclasses.asdict(x)
            anchor = row.pop("anchor")
            yield {**head, **row, "permalink": self.link(doc, anchor)}

    def _changes(self, doc: Assessment) -> Iterator[dict[str, Any]]:
        for ch in doc.changes:
            yield {**self._base(doc), "date": ch.date or "", "item": ch.item or "", "before": ch.before or "",
                   "after": ch.after or "", "timing": ch.timing or "", "reason": ch.reason or ""}

    def findings_rows(self) -> Iterator[dict[str, Any]]:
        by_id = self.corpus.doc_map()
        found = self.findings if self.findings is not None else run_rules(self.corpus.assessments, cache=self.corpus.cache)
        for f in found:
            yield self.finding_row(f, by_id[f.assessment_id])

    def finding_row(self, f, doc: Assessment) -> dict[str, Any]:
        """One finding's row of the `findings` table (also what the findings page's CSV button writes)."""
        r = RULES[f.rule_id]
        return {**self._base(doc), "assessment_title": doc.cover.title, "rule_id": r.id, "rule": r.title,
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
    return (dumps_indented(value) + "\n").encode("utf-8")  # = json.dumps(…, ensure_ascii=False, indent=1)
TABLE_COLUMNS = {name: [c for c, _ in cols] for name, (_, cols) in TABLES.items()}


def _indent(text: str) -> str:
    """JSON written with indent=1 at the top, as it is written one level down (inside a list)."""
    return " " + text.replace("\n", "\n ")  # a JSON text has no raw line break inside a string


def _json_items(values: list) -> str:
    """The elements of a list as `to_json` writes them inside it, joined ("" for none)."""
    return ",\n".join(_indent(dumps_indented(v)) for v in values)


def _csv_rows(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """The data lines `to_csv` writes for these rows (without the BOM and the header)."""
    head = len(to_csv([], columns).decode("utf-8"))
    return to_csv(rows, columns).decode("utf-8")[head:]


def _valid_entry(got: Any, doc_id: str, tables: tuple[str, ...]) -> bool:
    """A cached document_rows entry has exactly its keys and types, and is this document's."""
    return (isinstance(got, dict) and set(got) == {*tables, "data", "data_json", "json", "csv"}
            and isinstance(got["data"], dict) and got["data"].get("id") == doc_id and isinstance(got["data_json"], str)
            and all(isinstance(got[t], list) and all(isinstance(r, dict) and r.get("assessment_id") == doc_id for r in got[t])
                    for t in tables)
            and all(isinstance(got[k], dict) and set(got[k]) == set(tables) and all(isinstance(v, str) for v in got[k].values())
                    for k in ("json", "csv")))
