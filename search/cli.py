"""The `hyoka` command (console script `hyoka_search.cli:main`): the core's commands from hyoka.cli
(`validate`, `schema`) plus `hyoka index` and `hyoka search`, added here by `add_commands`.

    hyoka index                                  build or update .hyoka-index from content/
    hyoka search "再委託" --city 加須市 --form 様式4 --format csv --limit 50

Exit codes: 0 results (or none found), 1 content/ has errors, 2 a malformed query or filter.
No MkDocs here.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from hyoka import fields
from hyoka.csvout import dict_rows_csv
from hyoka.documents import KIND_LABELS, SECTION_ORDER

from .query import FACETS, QueryError, hit_json, search

FACET_TITLES = {f.name: f.label for f in fields.FACETS}  # the registry's labels (hyoka.fields)
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ",
          "1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ", "4": "Ⅳ", "5": "Ⅴ", "6": "Ⅵ"}


class UsageError(Exception):
    """A filter value that cannot be used (exit 2, Japanese message)."""


def add_commands(sub) -> None:
    ix = sub.add_parser("index", help="検索用の索引を作成・更新する（変わった項目だけ入れ替える）")
    _paths(ix)
    ix.set_defaults(func=cmd_index)
    s = sub.add_parser("search", help="評価書を項目単位で検索する（" + "・".join(f.label for f in fields.FACETS) + "で絞り込み）",
                       description='検索語は空白で区切るとすべてを含む項目、OR でどちらか、NOT または -語 で除外、"…" でまとめて一語。')
    s.add_argument("query", help='検索語（例: "個人番号カード"、"再委託 OR 委託先"）。空文字なら絞り込みだけ')
    for f in fields.FACETS:  # one option per facet of the registry
        s.add_argument(f"--{f.option}", dest=f.name, help=f"{f.label}（{f.help}）")
    s.add_argument("--format", choices=("table", "json", "csv"), default="table")
    s.add_argument("--limit", type=int, default=20, help="表示する件数（既定 20）")
    s.add_argument("--base-url", default="", help="パーマリンクの前に付ける URL（例: https://example.jp/）")
    s.add_argument("--no-update", action="store_true", help="索引を更新せずに検索する")
    _paths(s)
    s.set_defaults(func=cmd_search)


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content")
    p.add_argument("--site-config", default="site_config")
    p.add_argument("--index-dir", default=".hyoka-index")


# ---- index ---------------------------------------------------------------------------------------


def _stamp_path(index_dir: Path) -> Path:
    return index_dir / "hyoka-built.stamp"


def _newest_source(content: Path, site_config: Path) -> float:
    newest = 0.0
    for base in (content, site_config):
        if base.exists():
            for p in base.rglob("*"):
                if p.is_file():
                    newest = max(newest, p.stat().st_mtime)
    return newest


def ensure_index(args: argparse.Namespace, quiet: bool = False) -> int:
    """Build or update the index; 0 on success, 1 if content/ has errors."""
    from hyoka.loader import load_corpus

    from hyoka.publish import Publication

    from .build import build_index

    content, site_config, index_dir = Path(args.content), Path(args.site_config), Path(args.index_dir)
    corpus = load_corpus(content, site_config, root=Path.cwd())
    if corpus.problems:
        for p in corpus.problems:
            print(p, file=sys.stderr)
        print(f"content/ と site_config/ にエラーが {len(corpus.problems)} 件あります。索引は作りません", file=sys.stderr)
        return 1
    # Published like a site build (hyoka.publish): a new version holding the new index and, as hard links,
    # the live site; one switch; a failed or killed run leaves the live index as it was.
    pub = Publication([index_dir], seed_from_live=(index_dir,), keep_others=True)
    try:
        new_index = pub.start()[index_dir.absolute()]
        report = build_index(corpus, site_config, new_index, work_dir=pub.work_dir)
        for p in report.problems:
            print(p, file=sys.stderr)
        if report.problems:
            pub.abort()
            return 1
        _stamp_path(new_index).write_text("", encoding="utf-8")
        pub.commit()
    except OSError as exc:  # disk full, no permission …: one line, the live index untouched
        pub.abort()
        from hyoka.oserrors import describe

        print(describe(exc, "索引を書き出せませんでした"), file=sys.stderr)
        return 1
    except BaseException:
        pub.abort()
        raise
    if not quiet:
        print(report.stats.summary())
    else:
        print(report.stats.summary(), file=sys.stderr)
    if report.unknown:
        print("警告: " + report.unknown_message(), file=sys.stderr)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    return ensure_index(args)


def _needs_update(args: argparse.Namespace) -> bool:
    stamp = _stamp_path(Path(args.index_dir))
    if not stamp.exists():
        return True
    return _newest_source(Path(args.content), Path(args.site_config)) > stamp.stat().st_mtime


# ---- search --------------------------------------------------------------------------------------


def _lexicon(ix, field: str) -> list[str]:
    with ix.reader() as r:
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in r.lexicon(field)]


def _nfkc(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _pick(ix, field: str, value: str, what: str) -> str:
    values = _lexicon(ix, field)
    if value in values:
        return value
    hits = [v for v in values if _nfkc(v) == _nfkc(value)]
    if hits:
        return hits[0]
    sample = " / ".join(values[:12]) + (" …" if len(values) > 12 else "")
    raise UsageError(f"{what}「{value}」に当たるものが索引にありません。使える値: {sample or '（なし）'}")


def resolve_filters(ix, args: argparse.Namespace) -> dict[str, str]:
    """The filters of the options (one per facet of hyoka.fields), each value resolved to the index's."""
    from hyoka.companies import load_companies
    from hyoka.loader import load_registry

    f: dict[str, str] = {}
    site_config = Path(args.site_config)
    L = fields.label
    for name in fields.NAMES:
        given = getattr(args, name, None)
        if not given:
            continue
        if name == "city":
            munis, _ = load_registry(site_config)
            v = _nfkc(given)
            code = next((m.code for m in munis.values() if v in (m.code, _nfkc(m.name), m.slug, _nfkc(m.name).removesuffix("市"))), None)
            if code is None:
                names = "、".join(f"{m.name}（{m.code}）" for m in munis.values())
                raise UsageError(f"{L(name)}「{given}」が見つかりません。使える{L(name)}: {names}")
            f[name] = code
        elif name == "form":
            m = re.search(r"[234]", _nfkc(given))
            if not m:
                raise UsageError(f"{L(name)}「{given}」は使えません。{' / '.join(fields.facet(name).order or ())} のどれかを指定してください")
            f[name] = f"様式{m.group(0)}"
        elif name == "section":
            v = _nfkc(given).upper()
            head, _, tail = v.partition("-")
            head = _ROMAN.get(head, head)
            if head not in SECTION_ORDER:
                raise UsageError(f"{L(name)}「{given}」は使えません。使える{L(name)}: {' / '.join(SECTION_ORDER)}（細目は Ⅲ-4 のように）")
            if tail:
                f["part"] = f"{head}-{tail.lower()}"
            else:
                f[name] = head
        elif name == "risk_key":
            head, _, tail = _nfkc(given).upper().partition("-")
            rid = f"{_ROMAN.get(head, head)}-{tail}"
            if not re.fullmatch(r"Ⅲ-\d+/R\d+(-\d+)?", rid):
                raise UsageError(f"{L(name)}「{given}」は使えません。Ⅲ-2/R1 のように、区分とリスク番号で指定してください（一覧は data/index.md）")
            f[name] = rid
        elif name == "company":
            f[name] = load_companies(site_config).resolve(given).group_id
        elif name == "kind":
            by_label = {_nfkc(v): k for k, v in KIND_LABELS.items()}
            kind = given if given in KIND_LABELS else by_label.get(_nfkc(given))
            if kind is None:
                raise UsageError(f"{L(name)}「{given}」は使えません。使える{L(name)}: {' / '.join(KIND_LABELS.values())}")
            f[name] = kind
        elif fields.facet(name).order is not None:  # a choice of the form: one of its options
            allowed = list(fields.facet(name).order or ())
            hit = next((r for r in allowed if _nfkc(r) == _nfkc(given)), None)
            if hit is None:
                raise UsageError(f"{L(name)}「{given}」は選択肢にありません。選べる値: {' / '.join(allowed)}")
            f[name] = hit
        else:  # free values (回答): one the index has
            f[name] = _pick(ix, name, given, L(name))
    return f


def _facet_label(field: str, value: str, names: dict[str, str], registry) -> str:
    """A facet value's display name (hyoka.fields), with the 団体名 and the registry's 正式名称."""
    if field == "company":
        names = {cid: c.name for cid, c in registry.companies.items()}
    return fields.facet(field).value_label(value, names)


def cmd_search(args: argparse.Namespace) -> int:
    from hyoka.companies import load_companies
    from hyoka.loader import load_registry

    from .index import open_index
    from .query import parse_query

    try:
        parse_query(args.query)  # a malformed query is reported before any work
    except QueryError as exc:
        print(f"検索語の誤り: {exc}", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 0:
        print("--limit は 0 以上にしてください", file=sys.stderr)
        return 2
    if not args.no_update and _needs_update(args):
        rc = ensure_index(args, quiet=True)
        if rc:
            return rc
    try:
        ix = open_index(Path(args.index_dir))
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        try:
            filters = resolve_filters(ix, args)
            result = search(ix, args.query, filters, limit=args.limit)
        except (QueryError, UsageError) as exc:
            print(f"検索語の誤り: {exc}" if isinstance(exc, QueryError) else str(exc), file=sys.stderr)
            return 2
    finally:
        ix.close()
    munis, _ = load_registry(Path(args.site_config))
    names = {m.code: m.name for m in munis.values()}
    registry = load_companies(Path(args.site_config))
    facets = {}
    for f in FACETS:  # each facet's values in the registry's order (fixed, or by count)
        counts = dict(result.facets.get(f, []))
        facets[f] = [{"value": v, "label": _facet_label(f, v, names, registry), "count": counts[v]}
                     for v in fields.sort_values(f, counts)]
    hits = [hit_json(h) for h in result.hits]
    for h in hits:
        h["permalink"] = args.base_url + (h["permalink"] or "")
    out = sys.stdout
    if args.format == "json":
        json.dump({"query": args.query, "filters": filters, "total": result.total, "hits": hits, "facets": facets},
                  out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "csv":
        cols = [k for k in hits[0].keys()] if hits else list(hit_json({}).keys())
        rows = []
        for h in hits:
            row = dict(h)
            if row.get("companies"):
                row["companies"] = "; ".join(m["original"] for m in row["companies"])
            rows.append(row)
        data = dict_rows_csv(rows, cols)  # the project's one CSV writer: BOM, CRLF, formula cells neutralised
        if hasattr(out, "buffer"):
            out.flush()
            out.buffer.write(data)
            out.buffer.flush()
        else:
            out.write(data.decode("utf-8"))
    else:
        _print_table(args, result.total, hits, facets, out)
    return 0


def _print_table(args, total: int, hits: list[dict], facets: dict, out) -> None:
    q = args.query or "（すべて）"
    print(f"「{q}」: {total} 件" + (f"（上位 {len(hits)} 件を表示）" if len(hits) < total else ""), file=out)
    if not total:
        print("該当する項目はありません。", file=out)
    for i, h in enumerate(hits, 1):
        where = " › ".join(x for x in [h["part_title"] or h["section"], h["file_name"] or "", h["item"] or h["kind"]] if x)
        ans = f" [{h['answer']}]" if h.get("answer") else ""
        print(f"\n{i:>3}. {h['municipality']} › {h['title']}（{h['form'] or h['kind']}）", file=out)
        print(f"     {where}{ans}", file=out)
        if h.get("snippet"):
            print(f"     {h['snippet']}", file=out)
        print(f"     {h['permalink']}", file=out)
    shown = [(f, v) for f, v in facets.items() if v]
    if shown:
        print("\n絞り込みの候補（件数）:", file=out)
        for f, values in shown:
            items = " / ".join(f"{v['label']} {v['count']}" for v in values[:12])
            more = f" ほか {len(values) - 12}" if len(values) > 12 else ""
            print(f"  {FACET_TITLES.get(f, f)}: {items}{more}", file=out)


# ---- the `hyoka` command ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """hyoka.cli's parser (validate, schema) with `index` and `search` added."""
    from hyoka.cli import build_parser as core_parser

    return core_parser(add_commands)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
