"""The corpus of bad inputs (tests/bad_inputs/<case>/content/…): each gets exactly the reviewed message
in <case>/expected.txt — file, line, column, field and a Japanese explanation — and none crashes or passes.

A case may bring its own site_config files (<case>/site_config/<name> replaces the project's file;
<case>/site_config/<name>.absent removes it); a case without content/ gets one valid assessment
(tests/fixtures/loader/minimal.yaml, of 越谷市)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hyoka.cli import main
from hyoka.loader import load_corpus

HERE = Path(__file__).parent
ROOT = HERE.parent
CASES = sorted(p for p in (HERE / "bad_inputs").iterdir() if p.is_dir())


def _tree(tmp_path: Path, case: Path) -> Path:
    if (case / "content").is_dir():
        shutil.copytree(case / "content", tmp_path / "content")
    else:
        (tmp_path / "content" / "koshigaya").mkdir(parents=True)
        shutil.copy(HERE / "fixtures" / "loader" / "minimal.yaml", tmp_path / "content" / "koshigaya" / "minimal.yaml")
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    for own in sorted((case / "site_config").iterdir()) if (case / "site_config").is_dir() else []:
        if own.name.endswith(".absent"):
            (tmp_path / "site_config" / own.name.removesuffix(".absent")).unlink()
        else:
            shutil.copy(own, tmp_path / "site_config" / own.name)
    return tmp_path


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len([c for c in CASES if (c / "site_config").is_dir()]) >= 25  # site_config/ is input too (issue 17)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_exact_message(tmp_path, case):
    root = _tree(tmp_path, case)
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    got = [str(p) for p in corpus.problems]
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert got, "a bad input was silently accepted"
    assert got == expected
    for p in corpus.problems:  # every message names the file and a real position
        assert p.file.startswith(("content/", "site_config/")) and p.line >= 1 and p.col >= 1


@pytest.mark.parametrize("case", CASES[::7], ids=[c.name for c in CASES[::7]])
def test_validate_command_reports_and_exits_nonzero(tmp_path, case, monkeypatch, capsys):
    root = _tree(tmp_path, case)
    monkeypatch.chdir(root)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (case / "expected.txt").read_text(encoding="utf-8").splitlines()[0] in err


def test_ten_megabyte_file_is_refused_without_parsing(tmp_path):
    root = _tree(tmp_path, CASES[0])
    shutil.rmtree(root / "content")
    (root / "content" / "a").mkdir(parents=True)
    big = (HERE / "fixtures" / "loader" / "minimal.yaml").read_text(encoding="utf-8")
    big += "# " + "x" * (10 * 1024 * 1024) + "\n"
    (root / "content" / "a" / "minimal.yaml").write_text(big, encoding="utf-8")
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    assert [str(p) for p in corpus.problems] == [
        f"content/a/minimal.yaml:1:1: ファイルが大きすぎます（{len(big.encode()):,} バイト。上限 2,097,152 バイト）"
    ]


def test_all_problems_of_all_files_in_one_run(tmp_path):
    """Errors in several files are all reported together, not one at a time."""
    root = tmp_path
    shutil.copytree(ROOT / "site_config", root / "site_config")
    for name in ("choice-retention", "dup-key-cover", "encoding-bom"):
        src = next((HERE / "bad_inputs" / name / "content").rglob("*.yaml"))
        dst = root / "content" / name / f"{src.stem}.yaml"
        dst.parent.mkdir(parents=True)
        text = src.read_bytes().replace(b"id: minimal", f"id: {name}".encode())
        dst = dst.with_name(f"{name}.yaml")
        dst.write_bytes(text)
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    files = {p.file for p in corpus.problems}
    assert files == {f"content/{n}/{n}.yaml" for n in ("choice-retention", "dup-key-cover", "encoding-bom")}


# ---- files the loader would have skipped or pulled in: links and special files (issue 17) ---------
# (built here: git and copytree cannot carry a dangling link, a link out of the repository or a pipe)


def _minimal_tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "site_config", root / "site_config")
    (root / "content" / "koshigaya").mkdir(parents=True)
    return root


def _problems(root: Path) -> list[str]:
    return [str(p) for p in load_corpus(root / "content", root / "site_config", root=root).problems]


def test_dangling_symlink_is_refused(tmp_path):
    root = _minimal_tree(tmp_path)
    (root / "content" / "koshigaya" / "gone.yaml").symlink_to("nowhere.yaml")
    assert _problems(root) == [
        "content/koshigaya/gone.yaml:1:1: リンク先のないシンボリックリンクです（→ nowhere.yaml）。リンク先を直すか、リンクを消してください"
    ]


def test_symlink_loop_is_refused(tmp_path):
    root = _minimal_tree(tmp_path)
    d = root / "content" / "koshigaya"
    (d / "a.yaml").symlink_to("b.yaml")
    (d / "b.yaml").symlink_to("a.yaml")
    assert _problems(root) == [
        "content/koshigaya/a.yaml:1:1: シンボリックリンクが循環しています（→ b.yaml）。リンクを消して実際のファイルを置いてください",
        "content/koshigaya/b.yaml:1:1: シンボリックリンクが循環しています（→ a.yaml）。リンクを消して実際のファイルを置いてください",
    ]


def test_symlink_out_of_the_repository_is_refused_and_not_read(tmp_path):
    root = _minimal_tree(tmp_path)
    outside = tmp_path / "secret.yaml"
    shutil.copy(HERE / "fixtures" / "loader" / "minimal.yaml", outside)
    (root / "content" / "koshigaya" / "minimal.yaml").symlink_to(outside)
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    assert [str(p) for p in corpus.problems] == [
        f"content/koshigaya/minimal.yaml:1:1: シンボリックリンクのリンク先（{outside}）がリポジトリの外にあります。リポジトリの外のファイルは読みません"
    ]
    assert corpus.assessments == []


def test_symlink_inside_the_repository_is_read(tmp_path):
    root = _minimal_tree(tmp_path)
    shutil.copy(HERE / "fixtures" / "loader" / "minimal.yaml", root / "minimal-source.yaml")
    (root / "content" / "koshigaya" / "minimal.yaml").symlink_to("../../minimal-source.yaml")
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    assert corpus.problems == [] and [a.id for a in corpus.assessments] == ["minimal"]


def test_symlink_to_a_folder_is_refused(tmp_path):
    root = _minimal_tree(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(HERE / "fixtures" / "loader" / "minimal.yaml", tmp_path / "elsewhere" / "minimal.yaml")
    (root / "content" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert _problems(root) == [
        "content/linked:1:1: フォルダへのシンボリックリンクは読みません。実際のフォルダにしてください"
    ]


def test_named_pipe_is_refused_without_blocking(tmp_path):
    root = _minimal_tree(tmp_path)
    os.mkfifo(root / "content" / "koshigaya" / "pipe.yaml")  # reading it would wait forever
    assert _problems(root) == [
        "content/koshigaya/pipe.yaml:1:1: 通常のファイルではありません（名前付きパイプ・デバイスなど）。content/ には .yaml ファイルだけを置いてください"
    ]


def test_refused_file_fails_validate_and_build_says_why(tmp_path, monkeypatch, capsys):
    """`hyoka validate` no longer says 「OK: 評価書 0 件」 when the only document has a wrong extension."""
    root = _minimal_tree(tmp_path)
    shutil.copy(HERE / "fixtures" / "loader" / "minimal.yaml", root / "content" / "koshigaya" / "minimal.YAML")
    monkeypatch.chdir(root)
    assert main(["validate"]) == 1
    captured = capsys.readouterr()
    assert "content/koshigaya/minimal.YAML:1:1: 拡張子は小文字の .yaml にしてください" in captured.err
    assert "OK" not in captured.out + captured.err


def test_site_config_and_content_problems_in_one_run(tmp_path, monkeypatch, capsys):
    """Every site_config file broken at once, and a content file too: `hyoka validate` lists them all, in
    file order site_config then content, exits 1, never a traceback."""
    root = _tree(tmp_path, HERE / "bad_inputs" / "choice-retention")
    for case in ("sc-slug-dotdot", "sc-companies-typo", "sc-portal-syntax"):
        for own in (HERE / "bad_inputs" / case / "site_config").iterdir():
            shutil.copy(own, root / "site_config" / own.name)
    monkeypatch.chdir(root)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    expected = [line for case in ("sc-slug-dotdot", "sc-companies-typo", "sc-portal-syntax", "choice-retention")
                for line in (HERE / "bad_inputs" / case / "expected.txt").read_text(encoding="utf-8").splitlines()]
    assert err.splitlines()[:-1] == expected
    assert err.splitlines()[-1].startswith(f"エラー {len(expected)} 件")
