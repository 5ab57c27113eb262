"""A deterministic (seeded) generator of synthetic national corpora, modelled on the real content.

    python -m bench.generate --n 1000 --seed 1 --out /tmp/corpus

writes `/tmp/corpus/content/<slug>/<id>.yaml` and `/tmp/corpus/site_config/` (a generated
municipalities.yaml with check-digit-valid 全国地方公共団体コード; companies.yaml, portal.yaml and the
JSON Schema copied from the repository).  It never writes into the repository's content/.

The model (see README "Performance" and `MODEL` below):

- Templates are the real assessments of each form that validate on their own (content/*/*.yaml; the
  page fixtures in tests/fixtures/pages/ only when a form has no real one).  A generated assessment
  starts from a template of its form, so every section, label, risk title and choice list is the
  form's own.
- Form mix: most are 様式2 基礎項目 nationally (FORM_SHARES).
- Structure is resampled: number of 特定個人情報ファイル, of 委託事項 per file, of 提供先/移転先, of
  systems and of 変更箇所 rows (COUNT distributions below: the real content's counts widened by the
  national spread the GUIDE describes — e.g. 住基 全項目 has 3 files).  Files with their Ⅲ risk
  blocks, 委託事項, 提供先, systems and change rows are drawn from the pool of all real ones.
- Free text (every model field typed as plain text whose printed value is 30+ characters) is
  replaced by real sentences drawn from the pool of all real text, to a length of
  original × lognormal(0, 0.45): the same vocabulary (and so the same bigram statistics for the
  index) and the real spread of lengths.  Labels, risk titles, names and choice answers are kept.
- Transcription notes of the template are kept where their path still exists; every required
  item left null gets a 「空欄」 note, as the validator demands.
- About a third of 様式4 assessments get a council record (第三者点検 答申), linked both ways.

Everything depends only on (templates, seed, n): the same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import hashlib
import json
import math
import random
import re
import shutil
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from hyoka import schema as S
from hyoka.loader import _nulls_of_required, _parse_path, _resolves, check_digit_ok, load_document
from hyoka.yamlmarks import path_str

REPO = Path(__file__).resolve().parent.parent

# ---- the model ----------------------------------------------------------------------------------

# National mix of forms among published 評価書: every assessed affair has a 基礎項目評価書 and only
# large or risky ones go on to 重点項目 / 全項目 (GUIDE §1 しきい値判断).
FORM_SHARES = {"様式2": 0.75, "様式3": 0.10, "様式4": 0.15}

# Count distributions: {value: weight}.  Real content has 1 file per 様式3/4 and 1 委託事項 per file;
# national 全項目評価書 (住基, 税, 国保 …) commonly have several files, many 委託事項 and long 提供先 lists.
COUNTS: dict[str, dict[str, dict[int, float]]] = {
    "files": {"様式3": {1: 0.7, 2: 0.2, 3: 0.1}, "様式4": {1: 0.55, 2: 0.25, 3: 0.12, 4: 0.08}},
    "entrust": {"様式3": {0: 0.15, 1: 0.4, 2: 0.3, 3: 0.15}, "様式4": {0: 0.1, 1: 0.25, 2: 0.25, 3: 0.2, 4: 0.1, 5: 0.05, 6: 0.05}},
    "provide": {"様式3": {0: 0.6, 1: 0.2, 2: 0.1, 4: 0.1}, "様式4": {0: 0.3, 1: 0.15, 2: 0.15, 3: 0.1, 5: 0.1, 8: 0.1, 15: 0.05, 30: 0.05}},
    "transfer": {"様式3": {0: 0.8, 1: 0.1, 2: 0.1}, "様式4": {0: 0.5, 1: 0.2, 2: 0.15, 4: 0.1, 8: 0.05}},
    "systems": {"様式3": {1: 0.2, 2: 0.3, 3: 0.3, 4: 0.2}, "様式4": {2: 0.15, 3: 0.25, 4: 0.25, 5: 0.2, 6: 0.15}},
}
CHANGE_SCALE = (0.2, 1.3)  # change rows: a real count of the same form × uniform(…)
COUNCIL_SHARE = 0.33  # of 様式4 assessments that get a 第三者点検 答申 record
ASSESSMENTS_PER_CITY = 12  # mean; city sizes are skewed (a few cities publish many)
TEXT_MIN = 30  # shorter printed text (names, one-liners) is kept as printed
TEXT_SIGMA = 0.45

AFFAIRS = [
    ("juki", "住民基本台帳に関する事務"),
    ("zei", "個人住民税の賦課・徴収に関する事務"),
    ("kokuho", "国民健康保険に関する事務"),
    ("kaigo", "介護保険に関する事務"),
    ("jidoteate", "児童手当に関する事務"),
    ("yobosesshu", "予防接種に関する事務"),
    ("seiho", "生活保護に関する事務"),
    ("nenkin", "国民年金に関する事務"),
    ("shogai", "障害者福祉に関する事務"),
    ("koki", "後期高齢者医療に関する事務"),
    ("kosodate", "子ども・子育て支援に関する事務"),
    ("kenko", "健康増進に関する事務"),
    ("boshi", "母子保健に関する事務"),
    ("fuyo", "児童扶養手当に関する事務"),
    ("kotei", "固定資産税の賦課・徴収に関する事務"),
    ("shuugaku", "就学援助に関する事務"),
    ("jutaku", "公営住宅の管理に関する事務"),
    ("kokyu", "公金受取口座の利用に関する事務"),
]
FILE_NAME_SUFFIXES = ["関係情報ファイル", "宛名情報ファイル", "本人確認情報ファイル", "送付先情報ファイル", "履歴情報ファイル"]
ENTRUST_TITLES = [
    "システムの保守・運用", "帳票の印刷・封入封緘", "データ入力業務", "電算処理業務", "窓口業務",
    "コールセンター業務", "ガバメントクラウドの運用", "通知書の作成・発送", "データ移行", "書類の保管・廃棄",
]
PLACE_KANJI = "山川田中本松竹梅桜森林岡島崎宮原野沢浜里村上下東西南北大小高長新古青白赤石金銀水富豊福吉安平和春秋"
SYLLABLES = ["ka", "ki", "ku", "sa", "shi", "su", "ta", "chi", "tsu", "na", "ni", "ha", "hi", "fu", "ma", "mi",
             "mo", "ya", "yo", "ra", "ri", "wa", "o", "no", "to", "se", "so", "ne", "ro", "ga", "zu", "be"]
PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
    "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
    "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
    "宮崎県", "鹿児島県", "沖縄県",
]
REAL_CITY_NAMES = ["加須市", "越谷市", "横浜市", "金沢市", "高槻市"]
THRESHOLD_FOR_FORM = {
    "様式2": "基礎項目評価の実施が義務付けられる",
    "様式3": "基礎項目評価及び重点項目評価の実施が義務付けられる",
    "様式4": "基礎項目評価及び全項目評価の実施が義務付けられる",
}
FORM_SLUG = {"様式2": "kiso", "様式3": "juten", "様式4": "zenkomoku"}

# Keys whose value is kept as printed even when long (names, labels, keys for comparison).
KEEP_KEYS = {
    "label", "title", "name", "file_name", "recipient", "contractor", "form_version", "document", "pages", "url",
    "path", "number", "organization", "head_title", "department", "departments", "note", "source_lines", "period",
    "submitted", "review", "contact", "subject", "affair", "council", "addressee", "sender", "record_type",
    "answer", "item", "id", "municipality", "type",
}


# ---- templates ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Templates:
    assessments: dict[str, list[dict]]  # form → raw data of valid real assessments
    council: list[dict]
    sentences: list[str]
    contractors: list[str]
    entrustments: list[dict]
    provisions: list[dict]
    systems: list[dict]
    changes: dict[str, list[dict]]
    change_counts: dict[str, list[int]]
    file_pairs: dict[str, list[tuple[dict, dict | None]]]  # form → (file block, its Ⅲ risk block)
    sources: list[str]
    fingerprint: str


def _valid_raw(paths: list[Path]) -> list[tuple[Path, dict, BaseModel]]:
    out = []
    for p in paths:
        loaded, problems = load_document(p)
        if loaded is None or problems:
            continue
        out.append((p, loaded.marked.data, loaded.doc))
    return out


def load_templates(repo: Path = REPO) -> Templates:
    real = _valid_raw(sorted((repo / "content").rglob("*.yaml")))
    fixtures = _valid_raw(sorted((repo / "tests" / "fixtures" / "pages").glob("*.yaml")))
    assessments: dict[str, list[dict]] = {f: [] for f in FORM_SHARES}
    council: list[dict] = []
    sources: list[str] = []
    h = hashlib.sha256()
    for pool, origin in ((real, "content"), (fixtures, "fixture")):
        for p, data, doc in pool:
            if isinstance(doc, S.Assessment):
                if origin == "fixture" and assessments[doc.form]:
                    continue
                assessments[doc.form].append(data)
            elif isinstance(doc, S.CouncilRecord):
                if origin == "fixture" and council:
                    continue
                council.append(data)
            else:
                continue
            sources.append(str(p.relative_to(repo)))
            h.update(p.read_bytes())
    missing = [f for f, v in assessments.items() if not v]
    if missing:
        raise RuntimeError(f"no valid template for {missing}")
    all_docs = [d for v in assessments.values() for d in v] + council
    sentences: set[str] = set()
    for d in all_docs:
        for s in _strings(d):
            if len(s) >= TEXT_MIN:
                for part in re.split(r"(?<=。)|\n", s):
                    part = part.strip()
                    if 8 <= len(part) <= 300:
                        sentences.add(part)
    contractors: set[str] = set()
    entrust, provs, systems = [], [], []
    changes: dict[str, list[dict]] = {f: [] for f in FORM_SHARES}
    change_counts: dict[str, list[int]] = {f: [] for f in FORM_SHARES}
    pairs: dict[str, list[tuple[dict, dict | None]]] = {f: [] for f in FORM_SHARES}
    for form, docs in assessments.items():
        for d in docs:
            changes[form].extend(d.get("changes") or [])
            change_counts[form].append(len(d.get("changes") or []))
            systems.extend((d.get("basic_info") or {}).get("systems") or [])
            risks = {r.get("file_name"): r for r in d.get("risks") or []}
            for i, f in enumerate(d.get("files") or []):
                r = risks.get(f.get("name")) or ((d.get("risks") or [None] * (i + 1))[i] if i < len(d.get("risks") or []) else None)
                pairs[form].append((f, r))
                for e in (f.get("entrustment") or {}).get("items") or []:
                    entrust.append(e)
                    if e.get("contractor"):
                        contractors.add(e["contractor"])
                pv = f.get("provision") or {}
                provs.extend((pv.get("provisions") or []) + (pv.get("transfers") or []))
    comp = yaml.load((repo / "site_config" / "companies.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    for c in comp.get("companies") or []:
        contractors.add(c["name"])
        contractors.update(str(s) for s in c.get("spellings") or [])
    return Templates(
        assessments, council, sorted(sentences), sorted(contractors), entrust, provs, systems, changes, change_counts,
        pairs, sources, h.hexdigest()[:16],
    )


def _strings(obj: Any):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


# ---- free text fields from the model --------------------------------------------------------------


def _field_kind(annotation: Any) -> tuple[str, type[BaseModel] | None]:
    """('text' | 'model' | 'models' | 'other', model class)."""
    origin = typing.get_origin(annotation)
    if origin is list:
        (arg,) = typing.get_args(annotation)
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return "models", arg
        return "other", None
    if annotation is str:
        return "text", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    args = typing.get_args(annotation)
    if args:
        non_none = [a for a in args if a is not type(None)]
        if non_none == [str]:
            return "text", None
        if len(non_none) == 1:
            return _field_kind(non_none[0])
    return "other", None


class Generator:
    def __init__(self, templates: Templates, seed: int):
        self.t = templates
        self.rng = random.Random(seed)

    # -- small helpers
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def count(self, kind: str, form: str) -> int:
        dist = COUNTS[kind][form]
        return self.rng.choices(list(dist), weights=list(dist.values()))[0]

    def text_like(self, original: str, city: str) -> str:
        target = max(TEXT_MIN, int(len(original) * math.exp(self.rng.gauss(0, TEXT_SIGMA))))
        parts: list[str] = []
        size = 0
        while size < target:
            s = self.pick(self.t.sentences)
            parts.append(s)
            size += len(s)
        out = ""
        for i, s in enumerate(parts):
            out += s if i == 0 else ("\n" if self.rng.random() < 0.35 else "") + s
        for real in REAL_CITY_NAMES:
            out = out.replace(real, city)
        return out

    def retext(self, model: type[BaseModel], data: Any, city: str) -> None:
        """Replace long free text in `data` (shaped as `model`) in place."""
        if not isinstance(data, dict):
            return
        for name, f in model.model_fields.items():
            if name not in data or data[name] is None:
                continue
            kind, sub = _field_kind(f.annotation)
            v = data[name]
            if kind == "text" and name not in KEEP_KEYS and isinstance(v, str) and len(v) >= TEXT_MIN:
                data[name] = self.text_like(v, city)
            elif kind == "model" and sub is not None:
                self.retext(sub, v, city)
            elif kind == "models" and sub is not None and isinstance(v, list):
                for x in v:
                    self.retext(sub, x, city)

    @staticmethod
    def ja_date(d: dt.date) -> str:
        return f"令和{d.year - 2018}年{d.month}月{d.day}日"

    def date_between(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rng.randrange((b - a).days))

    # -- municipalities
    def municipalities(self, n_cities: int) -> list[dict]:
        codes: set[str] = set()
        names: set[str] = set()
        slugs: set[str] = set()
        out = []
        while len(out) < n_cities:
            pref = self.rng.randrange(1, 48)
            kind = self.rng.choices(["市", "町", "村"], weights=[0.45, 0.43, 0.12])[0]
            body = self.rng.randrange(201, 300) if kind == "市" else self.rng.randrange(300, 800)
            stem = f"{pref:02d}{body:03d}"
            s = sum(int(d) * w for d, w in zip(stem, (6, 5, 4, 3, 2)))
            code = stem + str((11 - s % 11) % 10)
            assert check_digit_ok(code)
            name = "".join(self.rng.sample(PLACE_KANJI, 2)) + kind
            slug = "".join(self.pick(SYLLABLES) for _ in range(self.rng.randrange(2, 5)))
            if code in codes or name in names or slug in slugs:
                continue
            codes.add(code)
            names.add(name)
            slugs.add(slug)
            out.append({"code": code, "name": name, "prefecture": PREFECTURES[pref - 1], "slug": slug})
        return out

    # -- one assessment
    def assessment(self, form: str, city: dict, affair: tuple[str, str], doc_id: str) -> dict:
        d = copy.deepcopy(self.pick(self.t.assessments[form]))
        cname = city["name"]
        affair_slug, affair_name = affair
        as_of = self.date_between(dt.date(2019, 5, 1), dt.date(2025, 10, 1))
        d["id"] = doc_id
        d["municipality"] = city["code"]
        tpr = (d.get("procedures") or {}).get("third_party_review")
        if isinstance(tpr, dict):
            tpr.pop("council_records", None)  # links to the template's records: only generated records link
        d["source"] = {"document": f"synthetic/{doc_id}.pdf", "as_of": as_of}
        cover = d.setdefault("cover", {})
        cover["title"] = f"{affair_name}　{S.FORM_NAMES[form]}"
        cover["organization"] = f"{cname}長"
        cover["published"] = self.ja_date(as_of)
        bi = d.setdefault("basic_info", {})
        bi.setdefault("affair", {})["name"] = affair_name
        base = affair_name.removesuffix("に関する事務")
        if form == "様式2":
            th = d.setdefault("threshold", {})
            th["target_people"] = self.pick(["1,000人以上1万人未満", "1万人以上10万人未満"])
            th["handlers"] = "500人未満"
            th["serious_accident"] = "発生なし"
            th["result"] = THRESHOLD_FOR_FORM[form]
            for sec in d.get("other_measures") or []:
                for item in sec.get("items") or []:
                    if item.get("label") == "提出する特定個人情報保護評価書の種類":
                        item["answer"] = "基礎項目評価書"
            if bi.get("file_names"):
                bi["file_names"] = [f"{base}{s}" for s in FILE_NAME_SUFFIXES[: self.rng.randrange(1, 4)]]
        else:
            bi["affair"]["target_people"] = "30万人以上" if form == "様式4" and self.rng.random() < 0.5 else "10万人以上30万人未満"
            self._files(d, form, base, cname)
            self._systems(d, form)
            proc = d.get("procedures")
            if isinstance(proc, dict) and isinstance(proc.get("baseline"), dict):
                proc["baseline"]["threshold_result"] = THRESHOLD_FOR_FORM[form]
        pool = self.t.changes[form]
        if pool:
            n = int(self.pick(self.t.change_counts[form]) * self.rng.uniform(*CHANGE_SCALE))
            d["changes"] = [copy.deepcopy(self.pick(pool)) for _ in range(n)]
        else:
            d["changes"] = []
        self.retext(S.Assessment, d, cname)
        return d

    def _files(self, d: dict, form: str, base: str, cname: str) -> None:
        n = self.count("files", form)
        files, risks, names = [], [], []
        for j in range(n):
            f, r = copy.deepcopy(self.pick(self.t.file_pairs[form]))
            name = f"{base}{FILE_NAME_SUFFIXES[j % len(FILE_NAME_SUFFIXES)]}"
            f["name"] = name
            names.append(name)
            self._entrust(f, form)
            self._provide(f, form)
            files.append(f)
            if r is not None:
                r["file_name"] = name
                risks.append(r)
        d["files"] = files
        d["risks"] = risks
        d["basic_info"]["file_names"] = names

    def _entrust(self, f: dict, form: str) -> None:
        k = self.count("entrust", form)
        items = []
        for i in range(k):
            e = copy.deepcopy(self.pick(self.t.entrustments)) if self.t.entrustments else {}
            e["no"] = i + 1
            e["title"] = self.pick(ENTRUST_TITLES)
            if self.rng.random() < 0.1:
                e["contractor"] = "、".join(self.rng.sample(self.t.contractors, 2))
            else:
                e["contractor"] = self.pick(self.t.contractors)
            e["subcontract"] = self.rng.choices(["再委託する", "再委託しない"], weights=[0.45, 0.55])[0]
            items.append(e)
        f["entrustment"] = {"status": "委託する" if k else "委託しない", "count": k, "items": items} if k else {"status": "委託しない", "items": []}

    def _provide(self, f: dict, form: str) -> None:
        np_, nt = self.count("provide", form), self.count("transfer", form)

        def one(i: int) -> dict:
            if self.t.provisions:
                p = copy.deepcopy(self.pick(self.t.provisions))
            else:
                p = {"recipient": "", "legal_basis": "番号法第19条第8号"}
            p["no"] = i + 1
            p["recipient"] = self.pick(["都道府県知事", "市町村長", "厚生労働大臣", "日本年金機構", "地方公共団体情報システム機構",
                                        "全国健康保険協会", "文部科学大臣", "教育委員会", "税務課", "国民健康保険課"])
            return p

        ticked = (["提供を行っている"] if np_ else []) + (["移転を行っている"] if nt else []) or ["行っていない"]
        f["provision"] = {
            "status": {"ticked": ticked},
            "provision_count": np_ or None,
            "transfer_count": nt or None,
            "provisions": [one(i) for i in range(np_)],
            "transfers": [one(i) for i in range(nt)],
        }

    def _systems(self, d: dict, form: str) -> None:
        if not self.t.systems:
            return
        n = self.count("systems", form)
        out = []
        for i in range(n):
            s = copy.deepcopy(self.pick(self.t.systems))
            s["no"] = i + 1
            out.append(s)
        d["basic_info"]["systems"] = out

    def council_record(self, a: dict, city: dict, rid: str) -> dict:
        r = copy.deepcopy(self.pick(self.t.council))
        r["id"] = rid
        r["municipality"] = city["code"]
        r["assessments"] = [a["id"]]
        r["council"] = f"{city['name']}個人情報保護審議会"
        for key, value in (("addressee", f"{city['name']}個人情報保護審議会 会長 様"), ("sender", f"{city['name']}長")):
            if key in r:
                r[key] = value
        r["affair"] = a["basic_info"]["affair"]["name"]
        r["source"] = {"document": f"synthetic/{rid}.pdf", "as_of": a["source"]["as_of"]}
        self.retext(S.CouncilRecord, r, city["name"])
        proc = a.setdefault("procedures", {})
        tpr = proc.setdefault("third_party_review", {})
        tpr["council_records"] = [rid]
        return r


def fix_notes(model: type[BaseModel], data: dict) -> dict:
    """Keep the template's notes whose path exists; note every required item left null (空欄)."""
    notes = []
    probe = dict(data, transcription_notes=[])
    doc = model.model_validate(probe)
    for n in data.get("transcription_notes") or []:
        target = _parse_path(str(n.get("path", "")))
        if target is not None and _resolves(doc, target):
            notes.append(n)
    noted = {n["path"] for n in notes}
    for path, _label in _nulls_of_required(doc, ()):
        p = path_str(path)
        if p not in noted:
            notes.append({"path": p, "kind": "空欄", "note": "原本の欄が空欄（合成データ）。"})
            noted.add(p)
    data["transcription_notes"] = notes
    return data


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=10_000)


@dataclasses.dataclass
class Generated:
    root: Path
    content: Path
    site_config: Path
    assessments: list[tuple[str, str, str]]  # (id, slug, form)
    council_records: list[tuple[str, str]]  # (id, slug)
    municipalities: int
    forms: dict[str, int]
    yaml_bytes: int
    templates: list[str]
    fingerprint: str


def generate(n: int, out: Path, seed: int = 1, templates: Templates | None = None) -> Generated:
    """Write a corpus of n assessments (plus council records) under out/content and out/site_config."""
    out = Path(out)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    site_config = out / "site_config"
    site_config.mkdir(parents=True, exist_ok=True)
    t = templates or load_templates()
    g = Generator(t, seed)
    n_cities = max(1, math.ceil(n / ASSESSMENTS_PER_CITY))
    cities = g.municipalities(n_cities)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_cities)]  # skewed: big cities publish more
    forms = list(FORM_SHARES)
    assessments, records, counts, total = [], [], {f: 0 for f in forms}, 0
    used: set[str] = set()
    for k in range(n):
        city = g.rng.choices(cities, weights=weights)[0] if k >= n_cities else cities[k]
        form = g.rng.choices(forms, weights=list(FORM_SHARES.values()))[0]
        affair = g.pick(AFFAIRS)
        base = f"{city['slug']}-{affair[0]}-{FORM_SLUG[form]}"
        doc_id, i = base, 2
        while doc_id in used:
            doc_id, i = f"{base}-{i}", i + 1
        used.add(doc_id)
        a = g.assessment(form, city, affair, doc_id)
        rec = None
        if form == "様式4" and t.council and g.rng.random() < COUNCIL_SHARE:
            rid = f"{doc_id}-toshin"
            used.add(rid)
            rec = g.council_record(a, city, rid)
        fix_notes(S.Assessment, a)
        folder = content / city["slug"]
        folder.mkdir(exist_ok=True)
        text = _dump(a)
        (folder / f"{doc_id}.yaml").write_text(text, encoding="utf-8")
        total += len(text.encode())
        assessments.append((doc_id, city["slug"], form))
        counts[form] += 1
        if rec is not None:
            fix_notes(S.CouncilRecord, rec)
            text = _dump(rec)
            (folder / f"{rec['id']}.yaml").write_text(text, encoding="utf-8")
            total += len(text.encode())
            records.append((rec["id"], city["slug"]))
    used_codes = {c["code"] for c in cities}
    lines = ["# 合成データ（bench.generate）: 全国地方公共団体コード（検査数字つき）"]
    for c in sorted(cities, key=lambda c: c["code"]):
        if c["code"] in used_codes:
            lines.append(f"\"{c['code']}\": {{name: {c['name']}, prefecture: {c['prefecture']}, slug: {c['slug']}}}")
    (site_config / "municipalities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("companies.yaml", "portal.yaml", "hyoka.schema.json"):
        src = REPO / "site_config" / name
        if src.exists():
            shutil.copyfile(src, site_config / name)
    return Generated(out, content, site_config, assessments, records, n_cities, counts, total, t.sources, t.fingerprint)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--validate", action="store_true", help="load the result with hyoka.loader.load_corpus")
    args = ap.parse_args(argv)
    if (args.out.resolve() / "content") == (REPO / "content").resolve() or args.out.resolve() == REPO:
        ap.error("refusing to write into the repository's content/")
    g = generate(args.n, args.out, args.seed)
    info = {k: v for k, v in dataclasses.asdict(g).items() if k not in ("assessments", "council_records")}
    info.update(assessments=len(g.assessments), council_records=len(g.council_records))
    print(json.dumps(info, ensure_ascii=False, default=str, indent=1))
    if args.validate:
        from hyoka.loader import load_corpus

        c = load_corpus(g.content, g.site_config)
        for p in c.problems[:20]:
            print(p)
        print(f"{len(c.assessments)} assessments, {len(c.council_records)} records, {len(c.problems)} problems")
        return 1 if c.problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
