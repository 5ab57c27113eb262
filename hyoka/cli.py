"""Command line: the core's commands `hyoka validate` and `hyoka schema` (no MkDocs, no Whoosh here).

The `hyoka` console script is `hyoka_search.cli:main`: it takes this parser and adds the commands that
need the Whoosh index (`hyoka index`, `hyoka search`), so the core never imports hyoka_search.
`main` here runs the core's commands alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from .loader import load_corpus
from .jsonschema import document_schema


def _cmd_validate(args: argparse.Namespace) -> int:
    corpus = load_corpus(Path(args.content), Path(args.site_config), root=Path.cwd())
    for p in corpus.problems:
        print(p, file=sys.stderr)
    n_docs = len(corpus.assessments) + len(corpus.council_records)
    if corpus.problems:
        print(f"エラー {len(corpus.problems)} 件（読み込めた文書 {n_docs} 件）", file=sys.stderr)
        return 1
    print(f"OK: 評価書 {len(corpus.assessments)} 件、審議会記録 {len(corpus.council_records)} 件")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(document_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser(*extensions: Callable[[Any], None]) -> argparse.ArgumentParser:
    """The core's commands; each of `extensions` is called with the subparsers to add its own."""
    ap = argparse.ArgumentParser(prog="hyoka", description="評価書ポータルのコマンド")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="content/ のすべての YAML を検証し、問題をすべて報告する")
    v.add_argument("--content", default="content")
    v.add_argument("--site-config", default="site_config")
    v.set_defaults(func=_cmd_validate)
    s = sub.add_parser("schema", help="YAML の JSON Schema を出力する（モデルから生成）")
    s.add_argument("-o", "--output")
    s.set_defaults(func=_cmd_schema)
    for extend in extensions:
        extend(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
