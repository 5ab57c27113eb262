"""Build a real site in a temporary directory, the way `make site` does (GUIDE §4: awesome-nav's tests).

Used by tests/test_pages.py and tests/test_browser.py through the session fixture `built_site`
(tests/conftest.py).  Each xdist worker builds its own copy in its own tmp dir.

    python tests/sitebuild.py /tmp/out      # the same build by hand (prints the site dir)
"""

from __future__ import annotations

import copy
import dataclasses
import os
import shutil
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"

# Characters and sequences that mean something to Markdown, HTML, Jinja or a URL.
HOSTILE = (
    "| *強* _u_ **b** # 見出し [リンク](javascript:alert(1)) <script>alert('x')</script> "
    '<img src=x onerror=alert(1)> &amp; &lt;b&gt; &#42; `code` {: #id } {{ jinja }} {% raw %} '
    "<!-- c --> \\ ~~s~~ ![i](https://evil.example/i.png) <https://evil.example/> javascript:alert(1)"
)


# A very long line without a space (it must wrap, never widen the page).
LONG_WORD = "特定個人情報保護評価書" * 40 + "x" * 300



def two_document_project(root: Path) -> Path:
    """A project in `root` with our mkdocs.yml, docs/, site_config/ and two small assessments (the loader
    fixture, twice: `minimal` and `second` of 越谷市)."""
    for name in ("mkdocs.yml", "docs", "site_config"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    text = (REPO / "tests" / "fixtures" / "loader" / "minimal.yaml").read_text(encoding="utf-8")
    d = root / "content" / "koshigaya"
    d.mkdir(parents=True, exist_ok=True)
    for doc_id in ("minimal", "second"):
        (d / f"{doc_id}.yaml").write_text(text.replace("id: minimal", f"id: {doc_id}"), encoding="utf-8")
    return root

def hostile(n: int) -> str:
    # A line break and an indented line too: Markdown would read them as a code block.
    return f"H{n:03d}⟦{HOSTILE}\n\n    indented\n---\n{LONG_WORD}⟧"


@dataclasses.dataclass
class BuiltSite:
    root: Path  # the project copy (mkdocs.yml, docs/, site_config/, content/)
    site: Path  # the built site
    hostile: dict[str, str]  # doc id → {model path → hostile text} for hostile docs
    hostile_paths: dict[str, dict[str, str]]
    real_ids: list[str]  # ids of documents copied from the repo's content/

    def page(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def _walk_strings(data: Any, path: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _walk_strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _walk_strings(v, path + (i,))
    elif isinstance(data, str):
        out.append(path)
    return out


def _set(data: Any, path: tuple, value: Any) -> None:
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def _path_str(path: tuple) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s


def make_hostile(src: dict, model: type, new_id: str, counter: list[int]) -> tuple[dict, dict[str, str]]:
    """Every free-text string of `src` replaced by a numbered hostile string, where the model allows it."""
    from pydantic import ValidationError

    data = copy.deepcopy(src)
    data["id"] = new_id
    done: dict[str, str] = {}
    skip_keys = {"id", "type", "municipality", "form", "form_version", "status", "path", "kind", "as_of", "council_records", "assessments", "record_type"}
    for path in _walk_strings(data):
        if path[-1] in skip_keys or (len(path) >= 2 and path[-2] in ("ticked", "council_records", "assessments")):
            continue
        if len(path) >= 2 and path[-2] == "details":
            pass  # the text after a tick is free text
        old = _get(data, path)
        counter[0] += 1
        value = hostile(counter[0])
        _set(data, path, value)
        try:
            model.model_validate(data)
        except ValidationError:
            _set(data, path, old)  # a choice, a date, …: not free text
            continue
        done[_path_str(path)] = value
    # Ⅲ names the files of Ⅱ (the loader checks risks[].file_name against files[].name): keep them paired.
    names = {f.get("name"): i for i, f in enumerate(src.get("files") or [])}
    for i, r in enumerate(data.get("risks") or []):
        j = names.get((src["risks"][i] or {}).get("file_name"))
        if j is not None:
            r["file_name"] = data["files"][j]["name"]
            key = f"risks[{i}].file_name"
            if f"files[{j}].name" in done:
                done[key] = r["file_name"]
            else:
                done.pop(key, None)
    return data, done


def _read(path: Path) -> dict:
    """YAML as the project reads it (YAML 1.2-like: `no:` is a string key, not False)."""
    from hyoka.yamlmarks import read_marked

    marked, problems = read_marked(path.read_bytes(), str(path))
    assert marked is not None and not problems, problems
    return marked.data


def _dump(data: dict) -> str:
    """JSON is YAML, and keeps every key and string exactly (no YAML 1.1 booleans)."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def _get(data: Any, path: tuple) -> Any:
    for p in path:
        data = data[p]
    return data


def build_site(tmp: Path, include_real: bool = True) -> BuiltSite:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from hyoka import schema as S

    root = tmp / "project"
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "site_config", root / "site_config")
    content = root / "content"
    content.mkdir()
    real_ids: list[str] = []
    if include_real and (REPO / "content").is_dir():
        from hyoka.loader import load_corpus

        # Real content when it validates as a whole (transcription may be in progress elsewhere).
        corpus = load_corpus(REPO / "content", REPO / "site_config", root=REPO)
        if not corpus.problems:
            shutil.copytree(REPO / "content", content / "real")
            real_ids = [d.id for d in [*corpus.assessments, *corpus.council_records]]
    fx = content / "fixtures"
    fx.mkdir()
    for p in sorted(FIXTURES.glob("*.yaml")):
        shutil.copy(p, fx / p.name)
    # Hostile variants of the complete assessment and of the council record, linked to each other.
    counter = [0]
    full = _read(FIXTURES / "fixture-zenkomoku.yaml")
    rec = _read(FIXTURES / "fixture-toshin.yaml")
    full["procedures"]["third_party_review"]["council_records"] = ["fixture-hostile-record"]
    rec["assessments"] = ["fixture-hostile"]
    h_a, paths_a = make_hostile(full, S.Assessment, "fixture-hostile", counter)
    h_r, paths_r = make_hostile(rec, S.CouncilRecord, "fixture-hostile-record", counter)
    for data in (h_a, h_r):
        (fx / f"{data['id']}.yaml").write_text(_dump(data), encoding="utf-8")
    _register_test_companies(root)
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
    build(cfg)
    return BuiltSite(root, root / "site", {}, {"fixture-hostile": paths_a, "fixture-hostile-record": paths_r}, real_ids)


def _register_test_companies(root: Path) -> None:
    """The test contractors go into the copy of companies.yaml, so that the strict build has no warning."""
    import json

    from hyoka.companies import load_companies
    from hyoka.loader import load_corpus

    corpus = load_corpus(root / "content", root / "site_config", root=root)
    cells = [it.contractor for a in corpus.assessments for f in a.files if f.entrustment for it in f.entrustment.items]
    unknown = load_companies(root / "site_config").unknown_spellings(cells)
    if unknown:
        import yaml

        path = root / "site_config" / "companies.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data.setdefault("companies", []).append({"name": "テスト用の委託先", "spellings": unknown})
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hyoka-site")
    if out.exists():
        shutil.rmtree(out)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    b = build_site(out)
    print(b.site)
