"""Imports go one way: the core (hyoka/) never imports hyoka_search, Whoosh or MkDocs.

hyoka_search (search/) depends on hyoka, the plugin (plugins/) on both.  Checked twice: every import
statement of every module under hyoka/, at any depth (in functions too), parsed with `ast`; and by
importing every core module in a fresh interpreter and looking at what got loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "hyoka"
FORBIDDEN = ("hyoka_search", "hyoka_mkdocs", "whoosh", "mkdocs", "material")


def _absolute(module: str | None, level: int, package: str) -> str:
    """The absolute name of `from <level dots><module> import …` in `package`."""
    if not level:
        return module or ""
    base = package.split(".")
    base = base[: len(base) - level + 1]
    return ".".join([*base, module] if module else base)


def forbidden_imports(source: str, package: str = "hyoka", filename: str = "<string>") -> list[str]:
    """`line: module` for every import of a FORBIDDEN package in `source` (a module of `package`)."""
    out = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [_absolute(node.module, node.level, package)]
        elif isinstance(node, ast.Call):  # importlib.import_module("…") / __import__("…")
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if fname in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                names = [str(node.args[0].value)]
        for n in names:
            if n.split(".")[0] in FORBIDDEN:
                out.append((node.lineno, n))
    return [f"{filename}:{line}: {n}" for line, n in sorted(out)]


def _modules() -> list[tuple[Path, str]]:
    out = []
    for p in sorted(CORE.rglob("*.py")):
        rel = p.relative_to(CORE.parent).with_suffix("")
        parts = list(rel.parts)
        package = ".".join(parts if parts[-1] == "__init__" else parts[:-1])
        out.append((p, package))
    return out


def test_the_check_sees_imports_at_any_depth():
    src = (
        "import json\n"
        "from .loader import load_corpus\n"
        "def f():\n"
        "    if True:\n"
        "        from hyoka_search.documents import corpus_documents\n"
        "    import whoosh.query as Q\n"
        "class C:\n"
        "    def m(self):\n"
        "        from mkdocs.plugins import BasePlugin\n"
        "        import importlib\n"
        "        return importlib.import_module('hyoka_search.cli')\n"
    )
    assert forbidden_imports(src) == [
        "<string>:5: hyoka_search.documents", "<string>:6: whoosh.query", "<string>:9: mkdocs.plugins",
        "<string>:11: hyoka_search.cli",
    ]
    assert forbidden_imports("from .. import x\nfrom ..hyoka_search import y\n", package="pkg.sub") == []


def test_there_are_modules_to_check():
    names = {p.name for p, _ in _modules()}
    assert {"sitesearch.py", "documents.py", "cli.py", "assessment.py", "home.py", "__init__.py"} <= names
    assert any(p.parent.name == "findings" for p, _ in _modules())  # subpackages too
    assert any(p.parent.name == "views" for p, _ in _modules())


@pytest.mark.parametrize("path,package", _modules(), ids=lambda v: str(v.relative_to(CORE)) if isinstance(v, Path) else None)
def test_core_module_imports_no_search_whoosh_or_mkdocs(path, package):
    assert forbidden_imports(path.read_text(encoding="utf-8"), package, str(path)) == []


def test_importing_the_whole_core_loads_none_of_them():
    code = (
        "import json, pkgutil, importlib, sys, hyoka\n"
        "for m in pkgutil.walk_packages(hyoka.__path__, 'hyoka.'):\n"
        "    importlib.import_module(m.name)\n"
        "from hyoka import cli\n"
        "cli.build_parser()\n"
        f"print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(r.stdout) == []
