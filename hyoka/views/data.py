"""The data view: open data under data/ (every assessment as JSON, every flat table as JSON and CSV that
opens in Excel) and the page that describes it (data/index.md).  The rows are hyoka.export's.

No MkDocs here.
"""

from __future__ import annotations

from typing import Iterator

from .. import formkeys
from ..export import TABLES, Rows, to_csv, to_json
from ..loader import to_data
from ..jsonschema import document_schema
from ..loader import Corpus
from ..site import Asset, Page, SiteContext

NAME = "data"


def _answers_keys() -> list[str]:
    """The key scheme and the risk ids of the answers table (hyoka.formkeys), for data/index.md."""
    lines = ["", "### キーの決め方 {#answers-keys}", "",
             "同じ設問は、都市・様式（様式2／3／4）・様式の版が違っても同じ `key` になります。区分の番号は半角数字です（`Ⅳ-1`。`Ⅳ-１` とは書きません）。"
             "チェック欄は1設問1行で、○ のついた選択肢を「 / 」でつないで `answer` の1つのセルに入れます（○ が1つもなければ空）。"
             "印刷で空欄の選択式の設問も1行として残し、`answer` を空にします。",
             "", "| キーの例 | 意味 |", "| --- | --- |"]
    lines += [f"| {k} | {d} |" for k, d in formkeys.KEY_SCHEME]
    lines += ["", "#### リスクの ID {#answers-risks}", "",
              "リスクの ID は、印刷されたリスク名（「リスク１：」を除く）を様式4の決まったリスク名の一覧と照らして決めます（印刷の番号ではありません。"
              "様式3 Ⅲ6 の「リスク２：不正な提供が行われるリスク」は `Ⅲ-6/R5`）。"
              "Ⅲ-4（委託）の 措置の設問（「特定個人情報の提供ルール」など）は、どの版でも様式4でその設問が置かれたリスクの ID を `key` に持ちます。",
              "", "| リスクの ID | 様式4のリスク名 | まとめて印刷された版 |", "| --- | --- | --- |"]
    lines += [f"| `{rid}` | {title} | {covers} |" for rid, title, covers in formkeys.risk_table()]
    return lines


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
        if name == "answers":
            lines += _answers_keys()
    return Page("data/index.md", "オープンデータ", "\n".join(lines) + "\n", in_nav=True)


def generate(corpus: Corpus, ctx: SiteContext) -> Iterator[Page | Asset]:
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
