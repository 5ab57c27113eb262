"""Disk full and other OS errors during a real build end in one Japanese line that says what to do — no
traceback — and the published site and index stay as they were (issue 17).  The error is injected into
the real build (a write of MkDocs, the copy of the index, the index update of `hyoka index`); no disk is
actually filled."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitebuild import two_document_project

REPO = Path(__file__).resolve().parents[1]

# Runs `mkdocs build --strict` with one OS call made to fail (sys.argv[1] chooses which).
WRAPPER = textwrap.dedent('''
    import errno, os, shutil, sys
    which, code = sys.argv[1], int(sys.argv[2])
    if which == "page":  # the 3rd page MkDocs writes
        from mkdocs import utils
        real = utils.write_file
        calls = [0]
        def write_file(content, output_path):
            calls[0] += 1
            if calls[0] == 3:
                raise OSError(code, os.strerror(code), output_path)
            return real(content, output_path)
        utils.write_file = write_file
    elif which == "index-copy":  # copying the live index into the new version (shutil.Error, as a full disk gives)
        import hyoka.publish as P
        real_copytree = shutil.copytree
        def copytree(src, dst, **kw):
            def copy(s, d):
                raise OSError(code, os.strerror(code), d)
            kw["copy_function"] = copy
            return real_copytree(src, dst, **kw)
        P.shutil = type(shutil)("shutil_for_test")
        P.shutil.__dict__.update(shutil.__dict__)
        P.shutil.copytree = copytree
    elif which == "switch":  # the one rename that publishes
        import hyoka.publish as P
        real_replace = os.replace
        def replace(a, b):
            if str(b).endswith("current"):
                raise OSError(code, os.strerror(code), str(b))
            return real_replace(a, b)
        P.os = type(os)("os_for_test")
        P.os.__dict__.update(os.__dict__)
        P.os.replace = replace
    sys.argv = ["mkdocs", "build", "--strict"]
    from mkdocs.__main__ import cli
    cli()
''')


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("oserr") / "project"
    root.mkdir()
    two_document_project(root)
    (root / "wrapper.py").write_text(WRAPPER, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True, text=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert r.returncode == 0, r.stderr
    return root


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


CASES = [
    ("page", errno.ENOSPC, "サイトと索引を書き出せませんでした: ディスクがいっぱいです（", "空きを作ってから、もう一度ビルドしてください"),
    ("page", errno.EACCES, "書き込む権限がありません（", "フォルダの所有者と権限を確認してから"),
    ("page", errno.EROFS, "読み取り専用のファイルシステムです（", "書き込めるようにマウントし直してください"),
    ("index-copy", errno.ENOSPC, "ディスクがいっぱいです（", "空きを作ってから"),
    ("switch", errno.EIO, "入出力エラー", "ディスクの状態を確認してから"),
]


@pytest.mark.parametrize("which,code,what,todo", CASES, ids=[f"{c[0]}-{errno.errorcode[c[1]]}" for c in CASES])
def test_os_error_during_a_build_is_one_line_and_the_old_site_stays(built, which, code, what, todo):
    live_site, live_index = _tree(built / "site"), _tree(built / ".hyoka-index")
    version = (built / ".publish" / "current").resolve()
    r = subprocess.run([sys.executable, "wrapper.py", which, str(code)], cwd=built, capture_output=True, text=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = [line for line in (r.stdout + r.stderr).splitlines() if what in line]
    assert len(lines) == 1, r.stdout + r.stderr
    assert todo in lines[0] and lines[0].endswith("公開中のサイトと索引は前のまま変わっていません")
    assert (built / ".publish" / "current").resolve() == version
    assert _tree(built / "site") == live_site and _tree(built / ".hyoka-index") == live_index
    assert not [p for p in (built / ".publish").iterdir() if p.name.endswith(".building")]


def test_os_error_in_hyoka_index_is_one_line(built, monkeypatch, capsys):
    from hyoka_search.cli import main
    from hyoka_search import index as index_module

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(built / ".hyoka-index" / "x.seg"))

    live_index = _tree(built / ".hyoka-index")
    text = (built / "content" / "koshigaya" / "minimal.yaml").read_text(encoding="utf-8")
    extra = built / "content" / "koshigaya" / "third.yaml"
    extra.write_text(text.replace("id: minimal", "id: third"), encoding="utf-8")
    monkeypatch.setattr(index_module, "apply_plan", full)
    monkeypatch.setattr("hyoka_search.build.apply_plan", full)
    monkeypatch.chdir(built)
    try:
        assert main(["index"]) == 1
    finally:
        extra.unlink()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("索引を書き出せませんでした: ディスクがいっぱいです（")
    assert _tree(built / ".hyoka-index") == live_index
