"""Read and validate every file under `site_config/`, once, with the content's rigour.

    sc = load_site_config(Path("site_config"), root=Path("."))
    sc.problems         # [Problem]: each prints as  site_config/x.yaml:LINE:COL: field (label): message
    sc.municipalities   # code → Municipality
    sc.companies        # hyoka.companies.Registry (spellings → company)
    sc.portal           # Portal(title, description)

The files are user input like content/: read with the marked YAML reader (hyoka.yamlmarks: no tags,
aliases or duplicate keys, UTF-8 without BOM, no control characters), validated by pydantic models whose
field titles are the labels shown in messages, unknown keys refused with a "did you mean".  Names that
become part of a path or URL (a municipality's slug) follow hyoka.safepath's one rule and are unique.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .safepath import NAME_RE
from .yamlmarks import Marked, Problem, char_name, first_invisible, path_str, read_marked

FILES = ("municipalities.yaml", "companies.yaml", "portal.yaml")

def _text(value: str) -> str:
    hidden = first_invisible(value)  # the reader leaves these to us (read_marked(invisible=False)), for the label
    if hidden is not None:
        raise PydanticCustomError("site_text", "見えない文字 {what}が含まれています。取り除いてください", {"what": char_name(hidden)})
    for ch in value:
        if unicodedata.category(ch) == "Cc":
            raise PydanticCustomError("site_text", "制御文字 U+{code} が含まれています。取り除いてください", {"code": f"{ord(ch):04X}"})
    if not "".join(ch for ch in value if not ch.isspace() and not unicodedata.category(ch).startswith("M")):
        raise PydanticCustomError("site_text", "空です（空白・結合文字だけ）。値を書いてください")
    if unicodedata.normalize("NFC", value) != value:
        raise PydanticCustomError("site_text", "Unicode の正規化（NFC）がされていない文字があります（濁点・半濁点が別の文字になっているなど）。入力し直してください")
    return value


# The site's own top-level folders (the views' pages and the static files): a municipality's pages go to
# `<slug>/`, so a slug must not be one of them (`municipalities/` is the city picker, `data/` the open data …).
SITE_FOLDERS = ("assets", "compare", "data", "findings", "glossary", "municipalities", "search", "search-index")


def _slug(value: str) -> str:
    if not NAME_RE.fullmatch(value):
        raise PydanticCustomError(
            "site_slug", "「{value}」は URL とフォルダ名に使えません。英小文字・数字・ハイフンだけで、英小文字か数字で始めてください（80 文字まで）",
            {"value": value})
    if value in SITE_FOLDERS:
        raise PydanticCustomError(
            "site_slug", "「{value}」はサイトのページのフォルダ名（{folders}）と同じなので使えません。別の URL 名にしてください",
            {"value": value, "folders": "、".join(SITE_FOLDERS)})
    return value


def _corporate_number(value: str) -> str:
    from .companies import corporate_number_ok

    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise PydanticCustomError("site_corp", "法人番号「{value}」は半角数字 13 桁にしてください", {"value": value})
    if not corporate_number_ok(value):
        raise PydanticCustomError("site_corp", "法人番号「{value}」の検査数字が合いません", {"value": value})
    return value


def _int_to_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, Field(strict=True), AfterValidator(_text)]
Slug = Annotated[str, Field(strict=True), AfterValidator(_slug)]
CorporateNumber = Annotated[str, BeforeValidator(_int_to_str), AfterValidator(_corporate_number)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MunicipalityEntry(_Model):
    name: Text = Field(title="団体名")
    prefecture: Text = Field(title="都道府県")
    slug: Slug = Field(title="URL 名")


class CompanyEntry(_Model):
    name: Text = Field(title="正式名称")
    spellings: list[Text] = Field(default_factory=list, title="評価書に現れた表記")
    corporate_number: CorporateNumber | None = Field(default=None, title="法人番号")
    note: Text | None = Field(default=None, title="備考")


class CompaniesFile(_Model):
    companies: list[CompanyEntry] = Field(title="会社の一覧")
    not_company_names: list[Text] = Field(default_factory=list, title="会社名ではない記載")


class PortalFile(_Model):
    title: Text = Field(title="サイト名")
    description: Text = Field(title="サイトの説明")


@dataclasses.dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    prefecture: str
    slug: str


@dataclasses.dataclass(frozen=True)
class Portal:
    title: str = ""
    description: str = ""


@dataclasses.dataclass
class SiteConfig:
    municipalities: dict[str, Municipality]
    companies: Any  # hyoka.companies.Registry
    portal: Portal
    problems: list[Problem]
    rejected_codes: frozenset[str] = frozenset()  # codes written in municipalities.yaml whose entry has problems


def check_digit_ok(code: str) -> bool:
    """全国地方公共団体コード: the 6th digit is (11 - Σ(d_i × (6..2)) mod 11) mod 10."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    s = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2)))
    return (11 - s % 11) % 10 == int(code[5])


# ---- reading --------------------------------------------------------------------------------------


class _Shifted:
    """A Marked seen from inside one of its values (positions of `prefix + path`)."""

    def __init__(self, marked: Marked, prefix: tuple):
        self.marked, self.prefix = marked, prefix

    def pos(self, path):
        return self.marked.pos(self.prefix + tuple(path))


def _validate(model: type[BaseModel], data: Any, marked: Marked, file: str, prefix: tuple = ()) -> tuple[Any, list[Problem]]:
    from .loader import validation_problems

    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        out = []
        for p in validation_problems(exc, model, _Shifted(marked, prefix), file):  # type: ignore[arg-type]
            field = p.field
            if prefix:
                head = path_str(prefix)
                field = head if not field else (f"{head}{field}" if field.startswith("[") else f"{head}.{field}")
            message = p.message.replace("様式にない項目です", "この設定ファイルにない項目です")
            out.append(Problem(p.file, p.line, p.col, field, message))
        return None, out


def _read(site_config: Path, name: str, display: str, required: bool) -> tuple[Marked | None, list[Problem]]:
    path = site_config / name
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(site_config.resolve()):
            return None, [Problem(display, 1, 1, "", "site_config/ の外を指すシンボリックリンクです。ファイルそのものを置いてください")]
        raw = path.read_bytes()
    except FileNotFoundError:
        if not required:
            return None, []
        return None, [Problem(display, 1, 1, "", "ファイルがありません（site_config/ に置いてください）")]
    except OSError as exc:
        return None, [Problem(display, 1, 1, "", f"読めません: {exc.strerror}")]
    return read_marked(raw, display, invisible=False)  # the models check invisible characters, with labels


def _display(site_config: Path, name: str, root: Path | None) -> str:
    path = site_config / name
    base = root or site_config.parent
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _municipalities(marked: Marked | None, file: str) -> tuple[dict[str, Municipality], list[Problem], frozenset[str]]:
    out: dict[str, Municipality] = {}
    problems: list[Problem] = []
    if marked is None:
        return out, problems, frozenset()
    if not isinstance(marked.data, dict):
        return out, [Problem(file, 1, 1, "", "「全国地方公共団体コード: {name: …, prefecture: …, slug: …}」の対応表にしてください")], frozenset()
    slugs: dict[str, str] = {}
    rejected: set[str] = set()
    names: dict[tuple[str, str], str] = {}
    for code, entry in marked.data.items():
        pos = marked.pos((code,))
        field = f"{code} (全国地方公共団体コード)"
        if not isinstance(code, str):
            problems.append(Problem(file, pos.line, pos.col, field, f"コード {code} は \"…\" で囲んだ 6 桁の文字列にしてください（先頭の 0 が消えないように）"))
            continue
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            problems.append(Problem(file, pos.line, pos.col, field, f"「{code}」は 6 桁の半角数字にしてください"))
            continue
        if not check_digit_ok(code):
            problems.append(Problem(file, pos.line, pos.col, field, f"全国地方公共団体コード {code} の検査数字が合いません"))
            continue
        m, probs = _validate(MunicipalityEntry, entry, marked, file, (code,))
        problems += probs
        if m is None:
            rejected.add(code)
            continue
        if m.slug in slugs:
            p = marked.pos((code, "slug"))
            problems.append(Problem(file, p.line, p.col, f"{code}.slug (URL 名)", f"slug「{m.slug}」は {slugs[m.slug]} でも使われています。団体ごとに別にしてください"))
            rejected.add(code)
            continue
        if (m.prefecture, m.name) in names:
            p = marked.pos((code, "name"))
            problems.append(Problem(file, p.line, p.col, f"{code}.name (団体名)", f"{m.prefecture}{m.name} は {names[(m.prefecture, m.name)]} でも登録されています"))
            rejected.add(code)
            continue
        slugs[m.slug] = code
        names[(m.prefecture, m.name)] = code
        out[code] = Municipality(code, m.name, m.prefecture, m.slug)
    return out, problems, frozenset(rejected)


def _companies(marked: Marked | None, file: str):
    from .companies import Registry, company_key, registry_from_data

    if marked is None:
        return Registry({}, {}, set(), []), []
    if not isinstance(marked.data, dict):
        return Registry({}, {}, set(), []), [Problem(file, 1, 1, "", "「companies: [...]」と「not_company_names: [...]」の対応表にしてください")]
    model, problems = _validate(CompaniesFile, marked.data, marked, file)
    entries = marked.data.get("companies")
    owner: dict[str, tuple[int, str]] = {}  # key → (company index, spelling as written)
    for i, c in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(c, dict):
            continue
        spellings = c.get("spellings") if isinstance(c.get("spellings"), list) else []
        for j, spelling in enumerate([c.get("name"), *spellings]):
            if not isinstance(spelling, str) or not spelling.strip():
                continue
            key = company_key(spelling)
            where = ("companies", i, "name") if j == 0 else ("companies", i, "spellings", j - 1)
            label = "正式名称" if j == 0 else "評価書に現れた表記"
            first = owner.get(key)
            if first is None:
                owner[key] = (i, spelling)
                continue
            p = marked.pos(where)
            if first[0] == i:
                msg = f"表記「{spelling}」はこの会社に 2 回書かれています（「{first[1]}」と同じ表記とみなします）"
            else:
                other = entries[first[0]].get("name")
                msg = f"表記「{spelling}」は {other}（companies[{first[0]}]）にもあります。1 つの会社にだけ書いてください"
            problems.append(Problem(file, p.line, p.col, f"{path_str(where)} ({label})", msg))
    if problems or model is None:
        return Registry({}, {}, set(), []), problems
    return registry_from_data(model.model_dump(), file), []


def _portal(marked: Marked | None, file: str) -> tuple[Portal, list[Problem]]:
    if marked is None:
        return Portal(), []
    if not isinstance(marked.data, dict):
        return Portal(), [Problem(file, 1, 1, "", "「title: …」「description: …」の対応表にしてください")]
    model, problems = _validate(PortalFile, marked.data, marked, file)
    return (Portal(model.title, model.description) if model else Portal()), problems


# Read once per build: a rebuild in the same process (`mkdocs serve`) reads again only when a file changed.
_CACHE: dict[tuple[str, str], tuple[bytes, SiteConfig]] = {}


def _digest(site_config: Path) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for name in FILES:
        try:
            h.update(name.encode() + b"\0" + (site_config / name).read_bytes() + b"\0")
        except OSError as exc:
            h.update(f"{name}:{type(exc).__name__}".encode())
    return h.digest()


def load_site_config(site_config: Path, root: Path | None = None) -> SiteConfig:
    """Every file of `site_config/`, validated; all problems at once (never raises for bad input).
    municipalities.yaml is required; companies.yaml and portal.yaml may be absent (empty registry, no
    description) but, when present, must be valid."""
    site_config = Path(site_config)
    key = (str(site_config.absolute()), str(root))
    digest = _digest(site_config)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == digest:
        return hit[1]
    problems: list[Problem] = []
    disp = {name: _display(site_config, name, root) for name in FILES}
    marked, probs = _read(site_config, "municipalities.yaml", disp["municipalities.yaml"], required=True)
    problems += probs
    munis, probs, rejected = _municipalities(marked, disp["municipalities.yaml"])
    problems += probs
    marked, probs = _read(site_config, "companies.yaml", disp["companies.yaml"], required=False)
    problems += probs
    registry, probs = _companies(marked if not probs else None, disp["companies.yaml"])
    problems += probs
    marked, probs = _read(site_config, "portal.yaml", disp["portal.yaml"], required=False)
    problems += probs
    portal, probs = _portal(marked if not probs else None, disp["portal.yaml"])
    problems += probs
    sc = SiteConfig(munis, registry, portal, problems, rejected)
    _CACHE[key] = (digest, sc)
    return sc
