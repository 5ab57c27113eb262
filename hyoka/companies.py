"""委託先 names: split a 「⑥委託先名」 cell into companies and resolve each spelling to one company.

    registry = load_companies(Path("site_config"))
    for m in registry.mentions("日本通信紙株式会社、トッパン・フォームズ株式会社"):
        m.original    # 「日本通信紙株式会社」 exactly as printed (always kept and shown)
        m.company     # Company(id=…, name="日本通信紙株式会社", corporate_number=None) or None if unknown
        m.key         # the matching key (NFKC, no spaces, ㈱→株式会社, branch suffix removed)

The registry (site_config/companies.yaml) maps spellings to one canonical company and, only where
it is known, its 法人番号 (13 digits, check digit verified).  Mechanical variants (㈱ / （株）,
full-width and half-width spaces, NFKC) and a trailing 支社/支店/営業所 are folded before lookup;
anything else must be listed in the registry.  A spelling that does not resolve is *unknown*: it is
grouped only with spellings that have the same key, never merged into a registered company, and
`unknown_spellings()` lists it so the build can warn.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path
from typing import Iterable

# ---- normalisation (for matching only, never for display) -----------------------------------------

_ABBREV = [
    ("(株)", "株式会社"),
    ("(有)", "有限会社"),
    ("(合)", "合同会社"),
    ("(資)", "合資会社"),
    ("(名)", "合名会社"),
    ("(財)", "財団法人"),
    ("(社)", "社団法人"),
    ("(一財)", "一般財団法人"),
    ("(一社)", "一般社団法人"),
    ("(公財)", "公益財団法人"),
    ("(公社)", "公益社団法人"),
]
# A trailing office name: 「関西支社」「横浜支店」「北陸営業所」「本社」…
_BRANCH_SUFFIXES = ("支社", "支店", "営業所", "事業所", "事業部", "本社", "本店", "支局", "営業本部")
_SPACE_RE = re.compile(r"\s+")
_LABEL_RE = re.compile(r"^(?:受託事業者|受託者|委託先|事業者|業者)[:：]")
NOT_A_NAME = {"", "-", "ー", "―", "—", "－", "‐", "未定", "なし", "無し", "該当なし", "非公表", "公表しない", "(非公表)", "(未定)"}


def company_key(name: str) -> str:
    """Matching key of a spelling: NFKC, lower case, no spaces, ㈱/（株）→株式会社."""
    s = unicodedata.normalize("NFKC", name)
    s = _SPACE_RE.sub("", s)
    for short, full in _ABBREV:
        s = s.replace(short, full)
    return s.lower()


def branch_candidates(key: str, original: str) -> list[tuple[str, str]]:
    """Possible (base, branch) splits of a key that ends with an office name, longest base first."""
    suffix = next((x for x in _BRANCH_SUFFIXES if key.endswith(x)), None)
    if suffix is None:
        return []
    return [(key[:i], key[i:]) for i in range(len(key) - len(suffix), 1, -1)]


def printed_branch(original: str) -> tuple[str, str] | None:
    """('株式会社日立製作所', '関西支社') when the printed name sets the office apart with a space."""
    tokens = unicodedata.normalize("NFKC", original).split()
    if len(tokens) >= 2 and tokens[-1].endswith(_BRANCH_SUFFIXES):
        return company_key("".join(tokens[:-1])), tokens[-1]
    return None


_OPEN = "（(「『［[【〔"
_CLOSE = "）)」』］]】〕"
_SEPARATORS = "、，,；;\n／"


def split_contractors(cell: str | None) -> list[str]:
    """The company names in one 「⑥委託先名」 cell, as printed (separators outside brackets only)."""
    if not cell:
        return []
    parts: list[str] = []
    depth = 0
    buf: list[str] = []
    for ch in cell:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            parts.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    parts.append("".join(buf))
    out = []
    for p in parts:
        p = p.strip(" \u3000\t・")
        # 「及び」 joins two companies: 「A株式会社及びB株式会社」
        for q in re.split(r"(?<=株式会社)及び|及び(?=株式会社)", p):
            q = q.strip(" \u3000\t")
            if q:
                out.append(q)
    return out


def _unwrap(original: str) -> str:
    """「（受託事業者：株式会社サーベイリサーチセンター）」 → 「株式会社サーベイリサーチセンター」 (for the key only)."""
    s = unicodedata.normalize("NFKC", original).strip()
    if len(s) >= 2 and s[0] in "(（" and s[-1] in ")）":
        s = s[1:-1].strip()
    s = _LABEL_RE.sub("", s)
    return s


def corporate_number_ok(num: str) -> bool:
    """法人番号: 13 digits, the first is the check digit 9 - (Σ Pn×Qn mod 9), Qn = 1 (odd n) / 2 (even n)."""
    if len(num) != 13 or not num.isascii() or not num.isdigit():
        return False
    body = num[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(body), start=1))
    return int(num[0]) == 9 - total % 9


# ---- the registry --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Company:
    id: str  # stable id: the key of the canonical name
    name: str  # canonical name (as in the registry)
    corporate_number: str | None = None  # 法人番号, only where known
    note: str | None = None


@dataclasses.dataclass(frozen=True)
class Mention:
    original: str  # as printed in the cell
    key: str  # matching key (branch removed)
    branch: str | None  # 「関西支社」 if the spelling names an office
    company: Company | None  # None: unknown spelling (not in the registry)
    not_a_name: bool = False  # 「未定」「－」 …: not a company name

    @property
    def group_id(self) -> str:
        """Company id, or for an unknown spelling a separate group of its own key (never merged)."""
        if self.company:
            return self.company.id
        return "?" + self.key

    @property
    def display_name(self) -> str:
        return self.company.name if self.company else self.original


@dataclasses.dataclass
class Registry:
    companies: dict[str, Company]
    spellings: dict[str, str]  # key → company id
    not_names: set[str]
    problems: list[str]

    def resolve(self, original: str) -> Mention:
        raw_key = company_key(_unwrap(original))
        if raw_key in self.not_names or raw_key in {company_key(x) for x in NOT_A_NAME}:
            return Mention(original, raw_key, None, None, not_a_name=True)
        cid = self.spellings.get(raw_key)
        if cid:
            return Mention(original, raw_key, None, self.companies[cid])
        for base, branch in branch_candidates(raw_key, original):
            cid = self.spellings.get(base)
            if cid:
                return Mention(original, base, _display_branch(original, branch), self.companies[cid])
        split = printed_branch(_unwrap(original))
        if split:
            return Mention(original, split[0], split[1], None)
        return Mention(original, raw_key, None, None)

    def mentions(self, cell: str | None) -> list[Mention]:
        return [self.resolve(p) for p in split_contractors(cell)]

    def unknown_spellings(self, cells: Iterable[str | None]) -> list[str]:
        """Every printed spelling (sorted, unique) that does not resolve to a registered company."""
        out = set()
        for cell in cells:
            for m in self.mentions(cell):
                if m.company is None and not m.not_a_name:
                    out.add(m.original)
        return sorted(out)


def _display_branch(original: str, branch_key: str | None) -> str | None:
    if not branch_key:
        return None
    # Show the branch as printed (NFKC only for width), not the lower-cased key.
    s = _SPACE_RE.sub("", unicodedata.normalize("NFKC", original))
    return s[-len(branch_key):] if s.lower().endswith(branch_key) else branch_key


def load_companies(site_config: Path) -> Registry:
    """The registry of site_config/companies.yaml, read and validated by hyoka.siteconfig (a missing file is
    an empty registry); the file's problems, if any, are in `problems` as `file:line:col: …` lines."""
    from .siteconfig import load_site_config

    sc = load_site_config(Path(site_config))
    mine = [str(p) for p in sc.problems if Path(p.file).name == "companies.yaml"]
    return dataclasses.replace(sc.companies, problems=[*sc.companies.problems, *mine]) if mine else sc.companies


def registry_from_data(data: dict, where: str = "companies.yaml") -> Registry:
    companies: dict[str, Company] = {}
    spellings: dict[str, str] = {}
    problems: list[str] = []
    for i, entry in enumerate(data.get("companies") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.append(f"{where}: companies[{i}]: name（正式名称）が必要です")
            continue
        name = entry["name"]
        num = entry.get("corporate_number")
        if num is not None:
            num = str(num)
            if not corporate_number_ok(num):
                problems.append(f"{where}: companies[{i}] {name}: 法人番号「{num}」の検査数字が合いません")
                num = None
        cid = company_key(name)
        companies[cid] = Company(cid, name, num, entry.get("note"))
        for spelling in [name, *(entry.get("spellings") or [])]:
            key = company_key(str(spelling))
            other = spellings.get(key)
            if other and other != cid:
                problems.append(f"{where}: 表記「{spelling}」が {companies[other].name} と {name} の両方にあります")
                continue
            spellings[key] = cid
    not_names = {company_key(str(x)) for x in (data.get("not_company_names") or [])}
    return Registry(companies, spellings, not_names, problems)
