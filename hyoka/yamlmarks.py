"""Safe YAML reading that keeps a line/column for every value and refuses what PyYAML would hide.

PyYAML silently keeps the last of two equal keys (data loss), expands aliases (billion laughs) and,
with unsafe loaders, builds Python objects from tags.  Here the C composer (when present) builds the
node tree, and we construct plain data ourselves, so that we can:

- report duplicate keys at every level, aliases, merge keys and non-standard tags as problems;
- record the position of every value and every key by its path, for error messages.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

import yaml

try:  # GUIDE §5: the C loader is ~8x faster and keeps line marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclasses.dataclass(frozen=True)
class Pos:
    line: int  # 1-based
    col: int  # 1-based


@dataclasses.dataclass
class Problem:
    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.file}:{self.line}:{self.col}:{field} {self.message}"


@dataclasses.dataclass
class Marked:
    data: Any
    value_pos: dict[Path, Pos]
    key_pos: dict[Path, Pos]

    def pos(self, path: Path) -> Pos:
        """The nearest recorded position for a path (falls back to its parents)."""
        p = tuple(path)
        while True:
            if p in self.key_pos:
                return self.key_pos[p]
            if p in self.value_pos:
                return self.value_pos[p]
            if not p:
                return Pos(1, 1)
            p = p[:-1]


def path_str(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _pos(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str, invisible: bool = True) -> None:
        self.file = file
        self.invisible = invisible  # report zero-width and other invisible characters in text
        self.problems: list[Problem] = []
        self.value_pos: dict[Path, Pos] = {}
        self.key_pos: dict[Path, Pos] = {}
        self.seen: set[int] = set()
        self.alias_reported = False
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, pos: Pos, path: Path, msg: str) -> None:
        self.problems.append(Problem(self.file, pos.line, pos.col, path_str(path), msg))

    def build(self, node: yaml.Node, path: Path, depth: int = 0) -> Any:
        pos = _pos(node.start_mark)
        self.value_pos[path] = pos
        if id(node) in self.seen:
            if not self.alias_reported:  # one report is enough (an alias bomb would repeat it endlessly)
                self.problem(pos, path, "エイリアス（*参照）は使えません。値をそのまま書いてください")
                self.alias_reported = True
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problem(pos, path, f"入れ子が深すぎます（{MAX_DEPTH} 段まで）")
            return None
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                self.problem(pos, path, _bad_tag(node.tag))
                return None
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                kpos = _pos(key_node.start_mark)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problem(kpos, path, "マージキー（<<）は使えません")
                    continue
                # Keys are read as the text written (so `no:` is the key "no", not false).
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_SCALAR_TAGS:
                    shown = key_node.tag if isinstance(key_node, yaml.ScalarNode) else "（複合キー）"
                    self.problem(kpos, path, f"キーは文字列にしてください: {shown}")
                    continue
                key = key_node.value
                kpath = path + (key,)
                if key in out:
                    first = self.key_pos.get(kpath)
                    where = f"（最初は {first.line} 行目）" if first else ""
                    self.problem(kpos, kpath, f"キー「{key}」が重複しています{where}。後の値で前の値が消えてしまいます")
                    continue
                self.key_pos[kpath] = kpos
                out[key] = self.build(value_node, kpath, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.problem(pos, path, _bad_tag(node.tag))
                return None
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        # scalar
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            self.problem(pos, path, _bad_tag(node.tag))
            return None
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                self.problem(pos, path, f"存在しない日付です: {node.value}")
            else:
                self.problem(pos, path, f"値を読めません: {exc}")
            return None
        if node.tag == "tag:yaml.org,2002:int" and not _DECIMAL_RE.match(node.value):
            # YAML 1.1 (PyYAML) reads 010 as 8, 0x1F as 31, 1_000 as 1000, 1:20 as 80; YAML 1.2 differs.
            self.problem(
                pos, path,
                f"「{node.value}」は 10 進数の整数の書き方ではありません（YAML 1.1 では {value} と読まれてしまいます）。"
                f"整数なら先頭に 0 を付けない 10 進数の数字だけで、番号の文字列なら \"{node.value}\" と引用符で囲んで書いてください",
            )
            return None
        if isinstance(value, str):
            bad = _first_control_char(value)
            if bad is not None:
                self.problem(pos, path, f"制御文字 U+{ord(bad):04X} が含まれています。取り除いてください")
            elif self.invisible:
                hidden = _INVISIBLE_RE.search(value)
                if hidden is not None:
                    ch = hidden.group()
                    self.problem(pos, path, f"見えない文字 {char_name(ch)}が含まれています（{hidden.start() + 1} 文字目）。取り除いてください")
        return value


def _bad_tag(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"使えないタグです: {shown}（タグは読みません。!!python/… などはプログラムを動かせる危険なタグです）"


_HIDDEN_BREAKS = ("\x85", "\u2028", "\u2029")


# Category Cc is exactly U+0000–U+001F and U+007F–U+009F; \t and \n are allowed; then the bidi
# overrides.  One regex search instead of a Python loop per character (≈28% of load_corpus).
_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Plain decimal integers only: the one spelling YAML 1.1 and 1.2 read the same way.
_DECIMAL_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")

# Characters that show nothing, so that two names look the same and are not (zero-width, BOM inside text,
# soft hyphen, invisible direction marks and operators).
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff]")

CHAR_NAMES = {
    "\u00ad": "ソフトハイフン",
    "\u061c": "アラビア文字マーク",
    "\u180e": "モンゴル文字母音区切り",
    "\u200b": "ゼロ幅スペース",
    "\u200c": "ゼロ幅非接合子",
    "\u200d": "ゼロ幅接合子",
    "\u200e": "左から右へのマーク",
    "\u200f": "右から左へのマーク",
    "\u2060": "ワードジョイナー",
    "\u2061": "不可視の関数適用",
    "\u2062": "不可視の乗算記号",
    "\u2063": "不可視の区切り",
    "\u2064": "不可視の加算記号",
    "\ufeff": "ゼロ幅ノーブレークスペース・BOM",
    "\u3099": "結合用濁点",
    "\u309a": "結合用半濁点",
}


def first_invisible(text: str) -> str | None:
    """The first zero-width or otherwise invisible character in `text` (the reader's own rule), or None."""
    m = _INVISIBLE_RE.search(text)
    return m.group() if m else None


def char_name(ch: str) -> str:
    """「U+200B（ゼロ幅スペース）」: the code point and a name a reader can act on."""
    cp = ord(ch)
    compat = 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F
    name = CHAR_NAMES.get(ch) or ("CJK 互換漢字" if compat else unicodedata.name(ch, ""))
    return f"U+{ord(ch):04X}" + (f"（{name}）" if name else "")


def _first_control_char(s: str) -> str | None:
    m = _BAD_CHAR_RE.search(s)
    return m.group() if m else None


def read_marked(raw: bytes, file: str, invisible: bool = True) -> tuple[Marked | None, list[Problem]]:
    """Parse one YAML document from bytes. Returns (data with positions, problems).

    invisible=False leaves zero-width and other invisible characters in text to the caller's model (the
    site_config/ models check them field by field, with the field's label)."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(file, 1, 1, "", f"ファイルが大きすぎます（{len(raw):,} バイト。上限 {MAX_BYTES:,} バイト）")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(file, 1, 1, "", "ファイルの先頭に BOM があります。UTF-8（BOM なし）で保存してください")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(file, line, col, "", f"UTF-8 として読めないバイト列があります（0x{raw[exc.start]:02x}）。UTF-8 で保存してください")]
    if not text.strip():
        return None, [Problem(file, 1, 1, "", "ファイルが空です")]
    for ch in _HIDDEN_BREAKS:  # YAML silently reads these as line breaks: the text would change
        at = text.find(ch)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            col = at - (text.rfind("\n", 0, at) + 1) + 1
            return None, [Problem(file, line, col, "", f"改行として読まれてしまう文字 U+{ord(ch):04X} があります。取り除くか通常の改行にしてください")]
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = f"{exc.problem or ''}" + (f"（{exc.context}）" if exc.context else "")
        hint = ""
        if "\t" in text.splitlines()[line - 1] if line - 1 < len(text.splitlines()) else False:
            hint = "。インデントにタブは使えません。空白を使ってください"
        return None, [Problem(file, line, col, "", f"YAML の構文エラー: {detail}{hint}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, 1, "", f"YAML として読めません: {exc}")]
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, [Problem(file, 1, 1, "", "ファイルが空です")]
    if len(nodes) > 1:
        p = _pos(nodes[1].start_mark)
        return None, [Problem(file, p.line, p.col, "", "1 つのファイルには 1 つの文書だけを書いてください（--- で区切られた 2 つ目があります）")]
    builder = _Builder(file, invisible)
    data = builder.build(nodes[0], ())
    return Marked(data, builder.value_pos, builder.key_pos), builder.problems
