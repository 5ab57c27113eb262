"""Load and validate every document under `content/`, reporting ALL problems with file, line and field.

    corpus = load_corpus(Path("content"), Path("site_config"))
    if corpus.problems: ...   # each prints as  path/to/file.yaml:LINE:COL: field.path (label): message

Nothing here imports MkDocs.
"""

from __future__ import annotations

import collections
import collections.abc
import dataclasses
import difflib
import errno
import functools
import hashlib
import json
import os
import re
import stat
import typing
import unicodedata
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from . import schema as S
from .cache import DocCache
from .siteconfig import Municipality, SiteConfig, check_digit_ok, load_site_config  # noqa: F401  (re-exported)
from .yamlmarks import Marked, Pos, Problem, char_name, path_str, read_marked


class ContentError(Exception):
    """Raised with every problem found; str() is the full report, one problem per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_registry(site_config: Path, root: Path | None = None) -> tuple[dict[str, Municipality], list[Problem]]:
    """The municipalities of site_config/ and the problems of every site_config file (hyoka.siteconfig)."""
    sc = load_site_config(site_config, root)
    return sc.municipalities, list(sc.problems)


# ---- pydantic errors -> our problems -------------------------------------------------------------


def _field_label(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """Walk the model along an error location and return the last field's official label."""
    current: Any = model
    label = None
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            f = current.model_fields.get(part)
            if f is None:
                return label
            label = f.title or label
            current = _inner_model(f.annotation)
        else:
            return label
    return label


_inner_model = S.inner_model


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            f = current.model_fields.get(part)
            current = _inner_model(f.annotation) if f else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _message(err: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    t = err["type"]
    value = err.get("input")
    if t == "missing":
        return "必須の項目がありません"
    if t == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"（「{close[0]}」の誤りですか？）" if close else ""
        return f"様式にない項目です{hint}。使える項目: {', '.join(allowed)}"
    if t == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"「{value}」は選択肢にありません。選べる値: {expected.replace(chr(39), '').replace(' or ', ', ')}"
    if t in ("int_type", "int_parsing"):
        if isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().isdigit():
            return f"数値が必要です（「{value}」は文字列です。全角数字や引用符は使わず半角数字で書いてください）"
        return f"整数が必要です（「{value}」）"
    if t == "string_type":
        if isinstance(value, (int, float, bool)):
            return f"文字列が必要です（{value!r} は数値・真偽値として読まれました。\"…\" で囲んでください）"
        if value is None:
            return "文字列が必要です（空欄・判読不能なら transcription_notes にその旨を書いてください）"
        return f"文字列が必要です（{type(value).__name__} が書かれています）"
    if t == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        return f"「{value}」は形式が違います（{pattern}）"
    if t in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        kind = {"list_type": "リスト（- で始まる行）", "dict_type": "対応表（キー: 値）"}.get(t, "項目の対応表（キー: 値）")
        return f"{kind}が必要です"
    if t in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        return f"日付（YYYY-MM-DD）が必要です（「{value}」）"
    if t == "greater_than_equal":
        return f"{err.get('ctx', {}).get('ge')} 以上にしてください（「{value}」）"
    return err["msg"]


def _union_noise(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic reports each member of `X | None` separately; keep the most telling error per place."""
    by_loc: dict[tuple, list[dict[str, Any]]] = {}
    for e in errors:
        by_loc.setdefault(_clean_loc(e["loc"]), []).append(e)
    out = []
    for loc, errs in by_loc.items():
        # Prefer our own messages, then literal errors, then anything but the None-branch
        errs.sort(key=lambda e: (0 if e["type"] not in ("none_required", "string_type", "is_instance_of") else 1))
        e = dict(errs[0])
        e["loc"] = loc
        out.append(e)
    return out


_UNION_TAGS = ("str", "none", "int", "function-plain", "function-after", "function-before", "literal", "is-instance")


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    out = []
    for p in loc:
        if isinstance(p, str) and (
            p in _UNION_TAGS
            or p.startswith("literal[")
            or p.startswith("function-")
            or p.startswith("list[")
            or p.startswith("dict[")
            or p.startswith("nullable[")
            or p[:1].isupper() and p in _MODEL_NAMES
            or p.startswith("is-instance[")
            or p.startswith("lax-or-strict")
            or p.startswith("json-or-python")
        ):
            continue
        out.append(p)
    return tuple(out)


_MODEL_NAMES = {
    name for name, obj in vars(S).items() if isinstance(obj, type) and issubclass(obj, BaseModel)
} | {"JaDate", "FactDate"}


def validation_problems(err: ValidationError, model: type[BaseModel], marked: Marked, file: str) -> list[Problem]:
    out = []
    for e in _union_noise(err.errors(include_url=False)):
        loc = tuple(e["loc"])
        if e["type"] == "choice":  # raised by Item's model validator: it is about the answer
            loc += ("answer",)
        pos = marked.pos(loc)
        label = None if e["type"] == "extra_forbidden" else _field_label(model, loc)
        field = path_str(loc) + (f" ({label})" if label else "")
        out.append(Problem(file, pos.line, pos.col, field, _message(e, model, loc)))
    return out


# ---- whole corpus --------------------------------------------------------------------------------


@dataclasses.dataclass
class Loaded:
    doc: S.Assessment | S.CouncilRecord
    path: Path
    marked: Marked


MEMORY_MODELS = 64  # assessments kept in memory by a lazy corpus (least recently used out)


@dataclasses.dataclass(frozen=True)
class _Ref:
    id: str
    path: Path
    display: str
    key: str  # its "load" entry in the disk cache
    municipality: str
    form: str = ""
    published: Any = None  # cover.published, as the model has it
    council_records: tuple[str, ...] = ()  # procedures.third_party_review.council_records

    @classmethod
    def of(cls, doc: S.Assessment, path: Path, display: str, key: str) -> "_Ref":
        tpr = doc.procedures.third_party_review if doc.procedures else None
        return cls(doc.id, path, display, key, doc.municipality, doc.form, doc.cover.published,
                   tuple(tpr.council_records) if tpr else ())


# What the cross-city passes read of an assessment (`Corpus.summaries()`): a lazy corpus answers them without
# reading any model.  Attribute names as on the model where they are the model's (id, municipality, form).
Summary = _Ref


class LazyAssessments(collections.abc.Sequence):
    """The corpus's assessments, in order, without holding them: each is read from its "load" entry of the
    disk cache (hyoka.cache; validated by pydantic again, ≈ 1 ms) when it is used, and the last
    MEMORY_MODELS stay in memory.  len(), iteration, indexing and `get(id)` as a list of models would.
    load_corpus validated every one of them; an entry that is gone meanwhile is parsed from its file again."""

    def __init__(self, refs: list[_Ref], cache: DocCache):
        self._refs = refs
        self._at = {r.id: i for i, r in enumerate(refs)}
        self._cache = cache
        self._models: collections.OrderedDict[str, S.Assessment] = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._refs)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._load(r) for r in self._refs[i]]
        return self._load(self._refs[i])

    def __iter__(self):
        for r in self._refs:
            yield self._load(r)

    def __contains__(self, doc) -> bool:
        return isinstance(doc, S.Assessment) and doc.id in self._at

    def ids(self) -> list[str]:
        return [r.id for r in self._refs]

    def refs(self) -> list[_Ref]:
        return list(self._refs)

    def get(self, doc_id: str) -> S.Assessment | None:
        i = self._at.get(doc_id)
        return None if i is None else self._load(self._refs[i])

    def of_municipality(self, code: str) -> list[S.Assessment]:
        return [self._load(r) for r in self._refs if r.municipality == code]

    def _load(self, ref: _Ref) -> S.Assessment:
        models = self._models
        doc = models.get(ref.id)
        if doc is not None:
            models.move_to_end(ref.id)
            return doc
        got = _from_disk(self._cache, ref.key, ref.path, ref.display, count=False)
        loaded = got[0] if got is not None else load_document(ref.path, ref.display)[0]
        if loaded is None or not isinstance(loaded.doc, S.Assessment) or loaded.doc.id != ref.id:
            raise ContentError([Problem(ref.display, 1, 1, "", "ビルド中にファイルが変わりました。もう一度ビルドしてください")])
        models[ref.id] = doc = loaded.doc
        while len(models) > MEMORY_MODELS:
            models.popitem(last=False)
        return doc


class _DocMap(collections.abc.Mapping):
    def __init__(self, assessments: LazyAssessments, records: dict[str, S.CouncilRecord]):
        self._a, self._r = assessments, records
        self._ids = [*assessments.ids(), *records]

    def __getitem__(self, doc_id: str):
        got = self._r.get(doc_id) or self._a.get(doc_id)
        if got is None:
            raise KeyError(doc_id)
        return got

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._r or doc_id in self._a._at

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclasses.dataclass
class Corpus:
    municipalities: dict[str, Municipality]
    assessments: list[S.Assessment]  # or LazyAssessments (a build with a disk cache: load_corpus)
    council_records: list[S.CouncilRecord]
    paths: dict[str, Path]
    problems: list[Problem]
    site_config: SiteConfig | None = None  # every file of site_config/, read once (hyoka.siteconfig)
    cache: DocCache | None = None  # the per-document disk cache of this build (hyoka.cache), if any

    def by_id(self, doc_id: str) -> S.Assessment | S.CouncilRecord | None:
        if isinstance(self.assessments, LazyAssessments):
            got = self.assessments.get(doc_id)
            if got is not None:
                return got
        else:
            for d in self.assessments:
                if d.id == doc_id:
                    return d
        for d in self.council_records:
            if d.id == doc_id:
                return d
        return None

    def doc_map(self) -> "collections.abc.Mapping[str, S.Assessment | S.CouncilRecord]":
        """id → document (assessments and council records): a dict, or with a lazy corpus a mapping that
        reads each assessment when it is looked up (never all at once)."""
        if isinstance(self.assessments, LazyAssessments):
            return _DocMap(self.assessments, {d.id: d for d in self.council_records})
        return {d.id: d for d in [*self.assessments, *self.council_records]}

    def summaries(self) -> list[Summary]:
        """Per assessment, in corpus order, the few facts the cross-city passes need (id, municipality, form,
        published, council_records): with a lazy corpus, no model is read."""
        if isinstance(self.assessments, LazyAssessments):
            return self.assessments.refs()
        got = getattr(self, "_summaries", None)
        if got is None or len(got) != len(self.assessments):
            got = self._summaries = [_Ref.of(d, self.paths.get(d.id, Path()), "", "") for d in self.assessments]
        return got

    def municipality_of(self, doc_id: str) -> str | None:
        """The municipality code of a document (assessment or council record), without reading a lazy model."""
        got = getattr(self, "_municipality_of", None)
        if got is None:
            got = self._municipality_of = {**{s.id: s.municipality for s in self.summaries()},
                                           **{d.id: d.municipality for d in self.council_records}}
        return got.get(doc_id)

    def assessments_of(self, code: str) -> list[S.Assessment]:
        """The assessments of one municipality, in corpus order."""
        if isinstance(self.assessments, LazyAssessments):
            return self.assessments.of_municipality(code)
        return [d for d in self.assessments if d.municipality == code]

    def raise_if_problems(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def content_files(content: Path) -> list[Path]:
    """The documents under `content` (what `scan_content` accepts)."""
    return scan_content(content, content.parent)[0]


def scan_content(content: Path, base: Path) -> tuple[list[Path], list[Problem]]:
    """Every entry under `content`: the `.yaml` documents to read, and a problem for anything else.

    Nothing is skipped in silence: a file with another extension (`x.YAML`, `x.yaml.txt`, `x.yml`), a file
    named only `.yaml`, a dangling symbolic link, a link whose target lies outside the repository (`base`),
    a link to a folder, and anything that is not a regular file (a named pipe would hang the build) are
    each refused with a message.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    repo = base.resolve()
    if not content.resolve().is_relative_to(repo):  # `--content` elsewhere: its own parent is the repository
        repo = content.resolve().parent

    def refuse(p: Path, message: str) -> None:
        problems.append(Problem(_display(p, base), 1, 1, "", message))

    for dirpath, dirnames, filenames in os.walk(content):  # never follows links to folders
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                refuse(here / name, "フォルダへのシンボリックリンクは読みません。実際のフォルダにしてください")
                dirnames.remove(name)
        dirnames.sort()
        for name in sorted(filenames):
            p = here / name
            why = _refusal(p, name, repo)
            if why:
                refuse(p, why)
            else:
                files.append(p)
    return sorted(files), problems


def _display(p: Path, base: Path) -> str:
    try:
        return str(p.relative_to(base))
    except ValueError:
        return str(p)


def _refusal(p: Path, name: str, repo: Path) -> str | None:
    """Why a file under content/ cannot be read as a document (None: it can)."""
    if p.is_symlink():
        target = os.readlink(p)
        try:
            resolved = p.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # a loop is RuntimeError up to Python 3.12, OSError(ELOOP) after
            if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
                return f"シンボリックリンクが循環しています（→ {target}）。リンクを消して実際のファイルを置いてください"
            return f"リンク先のないシンボリックリンクです（→ {target}）。リンク先を直すか、リンクを消してください"
        if not resolved.is_relative_to(repo):
            return f"シンボリックリンクのリンク先（{target}）がリポジトリの外にあります。リポジトリの外のファイルは読みません"
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        return f"読めません: {exc.strerror}"
    if not stat.S_ISREG(mode):
        return "通常のファイルではありません（名前付きパイプ・デバイスなど）。content/ には .yaml ファイルだけを置いてください"
    if name == ".yaml":
        return "ファイル名が「.yaml」だけです。評価書の id をファイル名にしてください（<id>.yaml）"
    if name.endswith(".yaml"):
        return None
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ext.lower() in ("yaml", "yml"):
        return f"拡張子は小文字の .yaml にしてください（「{name}」→「{stem}.yaml」）。ほかの拡張子のファイルは読みません"
    shown = f"拡張子「.{ext}」" if dot and stem else "拡張子なし"
    return f"評価書・審議会記録の YAML（<id>.yaml）ではないファイルです（{shown}）。content/ には .yaml ファイルだけを置いてください"


def load_document(path: Path, display: str | None = None, raw: bytes | None = None) -> tuple[Loaded | None, list[Problem]]:
    """Parse and validate one file (no cross-file checks); `raw`: its bytes, if already read."""
    file = display or str(path)
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        return None, [Problem(file, 1, 1, "", f"読めません: {exc.strerror}")]
    marked, problems = read_marked(raw, file)
    if marked is None:
        return None, problems
    data = marked.data
    if not isinstance(data, dict):
        return None, problems + [Problem(file, 1, 1, "", "文書の一番上は「キー: 値」の対応表にしてください")]
    kind = data.get("type")
    model = S.DOCUMENT_TYPES.get(kind) if isinstance(kind, str) else None
    if model is None:
        pos = marked.pos(("type",))
        allowed = ", ".join(S.DOCUMENT_TYPES)
        return None, problems + [Problem(file, pos.line, pos.col, "type (種類)", f"「{kind}」は文書の種類にありません。選べる値: {allowed}")]
    if problems:  # structural YAML problems (duplicates, tags …) make the data unreliable
        reported = {p.field for p in problems}
        problems = [_labelled(p, model) for p in problems]
        try:
            model.model_validate(data)
        except ValidationError as exc:
            problems += [p for p in validation_problems(exc, model, marked, file) if p.field.split(" (")[0] not in reported]
        return None, problems
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc, model, marked, file)
    loaded = Loaded(doc, path, marked)
    problems += _document_checks(loaded, file)
    if problems:
        return None, problems
    return loaded, []


def _document_checks(loaded: Loaded, file: str) -> list[Problem]:
    doc, marked = loaded.doc, loaded.marked
    out: list[Problem] = []
    stem = loaded.path.stem
    if doc.id != stem:
        pos = marked.pos(("id",))
        out.append(Problem(file, pos.line, pos.col, "id (ID)", f"id「{doc.id}」がファイル名「{stem}」と違います。同じにしてください"))
    if isinstance(doc, S.Assessment):
        m = re.search(r"様式\s*([0-9])", unicodedata.normalize("NFKC", doc.form_version))
        if not m or f"様式{m.group(1)}" != doc.form:
            pos = marked.pos(("form_version",))
            out.append(Problem(file, pos.line, pos.col, "form_version (様式の版)", f"様式の版「{doc.form_version}」が様式「{doc.form}」と合いません"))
        if doc.form == "様式2" and doc.threshold is None:
            pos = marked.pos(("form",))
            out.append(Problem(file, pos.line, pos.col, "threshold (しきい値判断（様式2 Ⅱ・Ⅲ）)", "様式2（基礎項目評価書）には threshold（しきい値判断）が必要です"))
    out += _text_checks(doc, marked, file)
    if isinstance(doc, S.Assessment):
        out += _file_name_checks(doc, marked, file)
    noted = {n.path for n in doc.transcription_notes}
    for i, note in enumerate(doc.transcription_notes):
        target = _parse_path(note.path)
        if target is None or not _resolves(doc, target):
            pos = marked.pos(("transcription_notes", i, "path"))
            out.append(Problem(file, pos.line, pos.col, f"transcription_notes[{i}].path (対象の項目)", f"「{note.path}」という項目はこの文書にありません"))
    for path, label in _nulls_of_required(doc, ()):
        if path_str(path) not in noted:
            pos = marked.pos(path)
            out.append(
                Problem(file, pos.line, pos.col, f"{path_str(path)} ({label})", "必須の項目が空（null）です。判読不能・空欄・非公表なら transcription_notes にこの項目のメモを書いてください")
            )
    return out


def _labelled(p: Problem, model: type[BaseModel]) -> Problem:
    """A problem the YAML reader found, with the official label of its field added (「cover.title (評価書名)」)."""
    loc = _parse_path(p.field) if p.field else None
    label = _field_label(model, loc) if loc else None
    if not label:
        return p
    return dataclasses.replace(p, field=f"{p.field} ({label})")


def _problem(marked: Marked, file: str, loc: tuple[str | int, ...], label: str | None, message: str) -> Problem:
    pos = marked.pos(loc)
    return Problem(file, pos.line, pos.col, path_str(loc) + (f" ({label})" if label else ""), message)


# Characters that show nothing on their own: required text made only of them is blank.
_SHOWS_NOTHING = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "Mc"}
_BLANK_GLYPHS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}  # Hangul fillers, blank braille


def is_blank(text: str) -> bool:
    """True when the text shows no character: empty, spaces only, invisible or combining marks only."""
    return all(ch.isspace() or ch in _BLANK_GLYPHS or unicodedata.category(ch) in _SHOWS_NOTHING for ch in text)


# Names compared across documents and cities (companies, titles, file and system names): written in NFC,
# so that two names that look the same are the same text.
NAME_FIELDS = {
    (S.Entrustment, "contractor"), (S.Entrustment, "title"), (S.Cover, "title"), (S.System, "name"),
    (S.Provision, "recipient"), (S.PersonalInfoFile, "name"), (S.FileRisks, "file_name"), (S.Affair, "name"),
    (S.Risk, "title"), (S.CouncilRecord, "subject"),
}


def _not_nfc(text: str) -> str | None:
    """What in the text is not NFC, named (None when the text is NFC)."""
    if unicodedata.is_normalized("NFC", text):
        return None
    for i, ch in enumerate(text):
        if unicodedata.combining(ch) and i > 0:
            pair = text[i - 1] + ch
            nfc = unicodedata.normalize("NFC", pair)
            if nfc != pair:
                return (f"{i} 文字目からの「{text[i - 1]}」U+{ord(text[i - 1]):04X} と {char_name(ch)}の 2 文字は、"
                        f"1 文字の「{nfc}」" + "".join(f"U+{ord(c):04X}" for c in nfc) + " で書いてください")
        nfc = unicodedata.normalize("NFC", ch)
        if nfc != ch:
            return (f"{i + 1} 文字目の「{ch}」{char_name(ch)}は、正規化した「{nfc}」"
                    + "".join(f"U+{ord(c):04X}" for c in nfc) + " で書いてください")
    return "合成済みの文字（NFC）で書いてください"


@functools.lru_cache(maxsize=None)
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool, str | None, bool, bool], ...]:
    """Per model class: (name, required, label, nullable, is a name field) of each field, computed once."""
    return tuple((name, f.is_required(), f.title, type(None) in typing.get_args(f.annotation), (model, name) in NAME_FIELDS)
                 for name, f in model.model_fields.items())


def _text_checks(doc: BaseModel, marked: Marked, file: str) -> list[Problem]:
    """Blank required text, non-NFC names and duplicate item numbers, in one walk over the document."""
    out: list[Problem] = []

    def walk(obj: BaseModel, loc: tuple[str | int, ...]) -> None:
        for name, required, label, nullable, is_name in _fields(type(obj)):
            value = getattr(obj, name)
            if value is None:
                continue
            here = loc + (name,)
            if isinstance(value, str):
                if required and is_blank(value):
                    hint = "判読不能・空欄なら null にして transcription_notes にその旨を書いてください" if nullable else "印刷のとおりに書いてください"
                    out.append(_problem(marked, file, here, label, f"必須の項目が空です（空白・見えない文字・結合文字しかありません）。{hint}"))
                elif is_name:
                    why = _not_nfc(value)
                    if why:
                        out.append(_problem(marked, file, here, label, f"NFC に正規化されていない文字があります: {why}"))
            elif isinstance(value, BaseModel):
                walk(value, here)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                _unique_numbers(value, here, marked, file, out)
                for i, v in enumerate(value):
                    walk(v, here + (i,))

    walk(doc, ())
    return out


def _number_key(no: Any) -> Any:
    if isinstance(no, str):
        text = unicodedata.normalize("NFKC", no).strip()
        return re.sub(r"[^0-9a-z]+", "", text.lower()) or text  # as anchors.py turns it into a link name
    return no


def _unique_numbers(items: list[BaseModel], loc: tuple[str | int, ...], marked: Marked, file: str, out: list[Problem]) -> None:
    """Two entries of one list with the same number (two 委託事項1, two システム2 …): the number is the
    item's name on the page and in its permanent link, so it must be unique within its list."""
    if "no" not in type(items[0]).model_fields:
        return
    seen: dict[Any, int] = {}
    for i, v in enumerate(items):
        no = getattr(v, "no", None)
        if no is None:
            continue
        key = _number_key(no)
        if key in seen:
            label = type(v).model_fields["no"].title
            first = path_str(loc + (seen[key],))
            out.append(_problem(marked, file, loc + (i, "no"), label,
                                f"番号「{no}」が重複しています（{first} と同じ）。番号はページ内のリンク名にもなるので、同じリストの中で重ならないようにしてください"))
        else:
            seen[key] = i


def _file_name_checks(doc: S.Assessment, marked: Marked, file: str) -> list[Problem]:
    """Ⅲ is written per file: each risks[].file_name must be the name of one of the files in Ⅱ."""
    names = [f.name for f in doc.files]
    out = []
    for i, r in enumerate(doc.risks):
        if r.file_name not in names:
            have = f"Ⅱ にあるファイル: {' / '.join(f'「{n}」' for n in names)}" if names else "Ⅱ（files）にファイルがありません"
            out.append(_problem(marked, file, ("risks", i, "file_name"), S.FileRisks.model_fields["file_name"].title,
                                f"「{r.file_name}」という特定個人情報ファイルは Ⅱ（files[].name）にありません。{have}"))
    return out


def _parse_path(text: str) -> tuple[str | int, ...] | None:
    parts: list[str | int] = []
    for m in re.finditer(r"([^.\[\]]+)|\[(\d+)\]", text):
        if m.group(1) is not None:
            parts.append(m.group(1))
        else:
            parts.append(int(m.group(2)))
    return tuple(parts) if parts and path_str(tuple(parts)) == text else None


def _resolves(obj: Any, path: tuple[str | int, ...]) -> bool:
    for part in path:
        if isinstance(part, int):
            if not isinstance(obj, list) or part >= len(obj):
                return False
            obj = obj[part]
        elif isinstance(obj, BaseModel):
            if part not in type(obj).model_fields:
                return False
            obj = getattr(obj, part)
        elif isinstance(obj, dict):
            if part not in obj:
                return False
            obj = obj[part]
        else:
            return False
    return True


def _nulls_of_required(obj: Any, path: tuple[str | int, ...]) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(obj, BaseModel):
        for name, f in type(obj).model_fields.items():
            value = getattr(obj, name)
            if value is None and f.is_required():
                yield path + (name,), f.title or name
            else:
                yield from _nulls_of_required(value, path + (name,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _nulls_of_required(v, path + (i,))


# Parsed documents by (path, display name), checked against a digest of the file's bytes: a rebuild
# in the same process (`mkdocs serve`) re-parses and re-validates only the files that changed.  With a
# disk cache (hyoka.cache), a new process reads the validated model from there instead of parsing again.
_DOC_CACHE: dict[tuple[str, str], tuple[str, Loaded | None, list[Problem]]] = {}


def _load_document_cached(path: Path, display: str, cache: DocCache | None = None) -> tuple[Loaded | None, list[Problem], str | None]:
    """(loaded, problems, digest of the file's bytes)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return (*load_document(path, display), None)
    src = hashlib.blake2b(raw, digest_size=20).hexdigest()
    key = (str(path), display)
    hit = _DOC_CACHE.get(key) if cache is None else None  # with a disk cache, that is the cache (memory)
    disk_key = cache.key("load", src, display) if cache is not None else None
    if hit is not None and hit[0] == src:
        if cache is not None:  # in use (sweep keeps it), and counted as reused
            cache.used.add(("load", disk_key))
            cache.stats[("load", "hit")] += 1
        return hit[1], list(hit[2]), src
    got = _from_disk(cache, disk_key, path, display) if cache is not None else None
    if got is not None:
        loaded, probs = got
    else:
        loaded, probs = load_document(path, display, raw=raw)
        if cache is not None:
            cache.put_bytes("load", disk_key, _to_disk(_slim(loaded), probs))
    if cache is None:
        _DOC_CACHE[key] = (src, _slim(loaded), list(probs))
    else:
        _DOC_CACHE.pop(key, None)
    return loaded, probs, src


_CROSS_FILE_KEYS = ("id", "municipality", "procedures", "assessments")


def _slim(loaded: Loaded | None) -> Loaded | None:
    """What load_corpus needs of a cached document: the model and the positions its cross-file checks
    report (the raw data and every other position are dropped, so the cache costs little memory)."""
    if loaded is None:
        return None
    m = loaded.marked
    keep = lambda d: {p: v for p, v in d.items() if p and p[0] in _CROSS_FILE_KEYS}  # noqa: E731
    return Loaded(loaded.doc, loaded.path, Marked(None, keep(m.value_pos), keep(m.key_pos)))


def _pos_list(d: dict) -> list:
    return [[list(p), v.line, v.col] for p, v in d.items()]


def _to_disk(loaded: Loaded | None, problems: list[Problem]) -> bytes:
    """One line of metadata (problems, the kept positions), then the model as pydantic's JSON."""
    meta: dict[str, Any] = {"problems": [dataclasses.astuple(p) for p in problems]}
    if loaded is None:
        return json.dumps(meta, ensure_ascii=False).encode("utf-8") + b"\n"
    meta.update(type=loaded.doc.type, value_pos=_pos_list(loaded.marked.value_pos), key_pos=_pos_list(loaded.marked.key_pos))
    return json.dumps(meta, ensure_ascii=False).encode("utf-8") + b"\n" + loaded.doc.model_dump_json(exclude_unset=True).encode("utf-8")  # fields_set survives (formkeys reads it)


def _from_disk(cache: DocCache, key: str, path: Path, display: str, count: bool = True) -> tuple[Loaded | None, list[Problem]] | None:
    """A cached load result, validated again (None: absent, or not a valid entry for this file).
    `count`: False for the lazy corpus's reads (not counted in the cache's hits and misses)."""
    payload = cache.get_bytes("load", key, count=count)
    if payload is None:
        return None
    try:
        head, _, body = payload.partition(b"\n")
        meta = json.loads(head)
        problems = [Problem(str(f), int(ln), int(col), str(fd), str(msg)) for f, ln, col, fd, msg in meta["problems"]]
        if any(p.file != display for p in problems):
            raise ValueError("foreign problems")
        if not body:
            if not problems:
                raise ValueError("neither a document nor problems")
            return None, problems
        model = S.DOCUMENT_TYPES[meta["type"]]
        doc = model.model_validate_json(body)  # validated again: a cache entry is never trusted blindly
        if doc.id != path.stem or problems:
            raise ValueError("not this file's document")
        pos = lambda rows: {tuple(p): Pos(int(ln), int(col)) for p, ln, col in rows}  # noqa: E731
        return Loaded(doc, path, Marked(None, pos(meta["value_pos"]), pos(meta["key_pos"]))), []
    except (ValueError, KeyError, TypeError, ValidationError):
        if count:
            cache.reject("load")
        return None


def load_corpus(content: Path, site_config: Path, root: Path | None = None, cache: DocCache | None = None) -> Corpus:
    """Load every YAML under `content`; collect all problems, including cross-file ones.

    `cache`: a disk cache (hyoka.cache.DocCache) to read validated documents from and write them to; it
    records each accepted document's source digest (the base of the later steps' keys) and is kept in
    `Corpus.cache` for those steps."""
    sc = load_site_config(site_config, root)
    municipalities, problems = sc.municipalities, list(sc.problems)
    assessments: list[S.Assessment] = []
    refs: list[_Ref] = []  # with a disk cache: the assessments as references (LazyAssessments), not models
    records: list[S.CouncilRecord] = []
    paths: dict[str, Path] = {}
    loaded_all: list[tuple[Loaded, str]] = []
    base = root or content.parent
    files, scan_problems = scan_content(content, base)
    problems += scan_problems
    by_slug = {m.slug: m for m in municipalities.values()}
    for path in files:
        display = _display(path, base)
        loaded, probs, src = _load_document_cached(path, display, cache)
        problems += probs
        if loaded is None:
            continue
        doc = loaded.doc
        if doc.id in paths:
            pos = loaded.marked.pos(("id",))
            problems.append(Problem(display, pos.line, pos.col, "id (ID)", f"id「{doc.id}」は {paths[doc.id]} でも使われています"))
            continue
        if doc.municipality not in municipalities:
            pos = loaded.marked.pos(("municipality",))
            why = ("検査数字が合いません" if not check_digit_ok(doc.municipality)
                   else "site_config/municipalities.yaml のこのコードの登録に問題があります（そちらを直してください）"
                   if doc.municipality in sc.rejected_codes else "site_config/municipalities.yaml に登録がありません")
            problems.append(Problem(display, pos.line, pos.col, "municipality (全国地方公共団体コード)", f"コード {doc.municipality} は使えません: {why}"))
            continue
        folder = path.parent.name if path.parent != content else None
        other = by_slug.get(folder) if folder else None
        if other is not None and other.code != doc.municipality:
            own = municipalities[doc.municipality]
            pos = loaded.marked.pos(("municipality",))
            where = _display(path.parent, base)
            problems.append(Problem(display, pos.line, pos.col, "municipality (全国地方公共団体コード)",
                                    f"{own.name}（{own.code}）の文書が{other.name}のフォルダ {where}/ にあります。"
                                    f"content/{own.slug}/ に移すか、municipality を直してください"))
            continue
        paths[doc.id] = Path(display)
        if cache is not None and src is not None:
            cache.digests[doc.id] = src
        lazy = cache is not None and src is not None and isinstance(doc, S.Assessment)
        if lazy:
            refs.append(_Ref.of(doc, path, display, cache.key("load", src, display)))
            loaded = Loaded(refs[-1], loaded.path, loaded.marked)  # what the link checks read of it (id, council_records)
        elif isinstance(doc, S.Assessment):
            refs.append(_Ref.of(doc, path, display, ""))
            assessments.append(doc)
        else:
            records.append(doc)
        loaded_all.append((_slim(loaded), display))  # the link checks need only a few positions
    ids = {**{r.id: _ASSESSMENT for r in refs}, **{d.id: d for d in records}}
    for loaded, display in loaded_all:
        problems += _link_checks(loaded, display, ids)
    if cache is not None and cache.write_error is None and all(r.key for r in refs):
        corpus_assessments: Any = LazyAssessments(refs, cache)  # every one of them is in the cache
    elif len(assessments) == len(refs):
        corpus_assessments = assessments
    else:  # the cache could not be written: the models are read once more and held (as without a cache)
        corpus_assessments = [loaded.doc for r in refs for loaded in [load_document(r.path, r.display)[0]] if loaded is not None]
    return Corpus(municipalities, corpus_assessments, records, paths, problems, sc, cache)


_ASSESSMENT = object()  # in the link checks' id table: an assessment (its model is not held)


def _link_checks(loaded: Loaded, file: str, ids: dict[str, Any]) -> list[Problem]:
    doc, out = loaded.doc, []
    if isinstance(doc, (S.Assessment, _Ref)):  # a model, or the reference a lazy corpus keeps instead
        facts = doc if isinstance(doc, _Ref) else _Ref.of(doc, loaded.path, file, "")
        for i, rid in enumerate(facts.council_records):
            target = ids.get(rid)
            if not isinstance(target, S.CouncilRecord):
                pos = loaded.marked.pos(("procedures", "third_party_review", "council_records", i))
                out.append(Problem(file, pos.line, pos.col, f"procedures.third_party_review.council_records[{i}] (審議会の記録)", f"審議会記録「{rid}」がありません"))
            elif doc.id not in target.assessments:
                pos = loaded.marked.pos(("procedures", "third_party_review", "council_records", i))
                out.append(Problem(file, pos.line, pos.col, f"procedures.third_party_review.council_records[{i}] (審議会の記録)", f"審議会記録「{rid}」の assessments にこの評価書「{doc.id}」がありません（リンクは両方向に書きます）"))
    else:
        for i, aid in enumerate(doc.assessments):
            if not (ids.get(aid) is _ASSESSMENT or isinstance(ids.get(aid), S.Assessment)):
                pos = loaded.marked.pos(("assessments", i))
                out.append(Problem(file, pos.line, pos.col, f"assessments[{i}] (対象の評価書)", f"評価書「{aid}」がありません"))
    return out


# ---- dumping -------------------------------------------------------------------------------------


def to_data(doc: BaseModel) -> dict[str, Any]:
    """The document as plain data in the YAML model's shape (dates as printed)."""
    return doc.model_dump(mode="json", exclude_defaults=True)


def dump_yaml(doc: BaseModel) -> str:
    data = to_data(doc)
    data = {"type": getattr(doc, "type"), **data}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
