"""hyoka.formlabels.path_label: where a transcription note's item is, in the form's own labels and numbers.

Checked on every note of the real content/: no label is a YAML path, and the parts of each label are the form's
(the section's numeral or heading as the page prints it, the file's and list item's printed number, the model's
official field titles)."""

from __future__ import annotations

import re

import pytest
from realcontent import corpus

from hyoka import schema as S
from hyoka.formlabels import LAYOUTS, path_label, section_heading

YAML_PATH = re.compile(r"\[\d+\]|[a-z]+_[a-z]+|\b(files|risks|changes|basic_info|sections|items|retention|entrustment)\b")


def _notes():
    c = corpus()
    assert c.problems == []
    return [(d, n) for d in [*c.assessments, *c.council_records] for n in d.transcription_notes]


def test_every_note_of_the_real_content_gets_a_form_label_not_a_yaml_path():
    notes = _notes()
    assert len(notes) > 300
    for d, n in notes:
        label = path_label(d, n.path)
        assert label and not YAML_PATH.search(label), (d.id, n.path, label)


def test_labels_name_the_section_the_file_and_the_printed_item():
    seen = set()
    for d, n in _notes():
        if not isinstance(d, S.Assessment):
            continue
        label = path_label(d, n.path)
        m = re.fullmatch(r"files\[(\d+)\]\.retention\.period\.(period|reason)", n.path)
        if m:
            f = int(m.group(1))
            leaf = S.RetentionPeriod.model_fields[m.group(2)].title
            assert label == f"Ⅱ ファイル{f + 1} 6．②保管期間 {leaf}", label
            seen.add("retention")
        m = re.fullmatch(r"changes\[(\d+)\]\.(\w+)", n.path)
        if m:
            heading = section_heading(d.form, "changes")  # 「（別添３）変更箇所」 (様式3: 別添２, 様式2: 別添)
            sec = heading.replace("（", "").replace("）", " ")
            assert label == f"{sec} {int(m.group(1)) + 1} {S.Change.model_fields[m.group(2)].title}", label
            seen.add("changes")
        m = re.fullmatch(r"files\[(\d+)\]\.entrustment\.items\[(\d+)\]\.(\w+)", n.path)
        if m:
            item = d.files[int(m.group(1))].entrustment.items[int(m.group(2))]
            title = S.Entrustment.model_fields[m.group(3)].title
            assert label == f"Ⅱ ファイル{int(m.group(1)) + 1} 4．委託事項{item.no} {title}", label
            seen.add("entrustment")
        m = re.fullmatch(r"risks\[(\d+)\]\.sections\[(\d+)\]\.risks\[(\d+)\]\.items\[(\d+)\]\.answer", n.path)
        if m:
            f, s, k, q = (int(x) for x in m.groups())
            sec = d.risks[f].sections[s]
            item = sec.risks[k].items[q]
            numeral = LAYOUTS[d.form][[key for key, _ in LAYOUTS[d.form]].index("risks")][1].split()[0]
            assert label.startswith(f"{numeral} ファイル{f + 1} {sec.no}．"), label
            assert item.label in label and label.endswith("選択肢の回答"), label
            seen.add("risk answer")
        m = re.fullmatch(r"basic_info\.systems\[(\d+)\]\.connections", n.path)
        if m:
            s = d.basic_info.systems[int(m.group(1))]
            assert label == f"Ⅰ 2．システム{s.no} ③他のシステムとの接続", label
            seen.add("systems")
    assert seen == {"retention", "changes", "entrustment", "risk answer", "systems"}


def test_section_numbers_follow_each_form():
    c = corpus()
    juten = c.by_id("kazo-yobosesshu-juten")  # 様式3: Ⅰ has no 4．理由, so 他の評価実施機関 is 7．; Ⅴ is 評価実施手続
    assert path_label(juten, "basic_info.other_bodies") == "Ⅰ 7．他の評価実施機関"
    assert path_label(juten, "procedures.third_party_review") == "Ⅴ 3．第三者点検"
    assert path_label(juten, "files[0].record_items") == "別添１ 特定個人情報ファイル記録項目 ファイル1"
    zen = c.by_id("takatsuki-juki-zenkomoku")
    assert path_label(zen, "basic_info.other_bodies") == "Ⅰ 8．他の評価実施機関"
    assert path_label(zen, "procedures.third_party_review") == "Ⅵ 3．第三者点検"
    assert path_label(zen, "changes") == "別添３ 変更箇所"
    assert path_label(zen, "source.as_of") == "出典 データの時点"
    kiso = c.by_id("takatsuki-juki-kiso")  # 様式2: 開示請求 is printed in Ⅰ
    assert path_label(kiso, "basic_info.other_bodies") == "Ⅰ 6．他の評価実施機関"
    assert path_label(kiso, "disclosure[1].items[0]").startswith("Ⅰ ")


def test_a_path_that_names_nothing_is_refused():
    zen = corpus().by_id("takatsuki-juki-zenkomoku")
    for bad in ("files[99].name", "nonsense", "files[0].no_such_field", "files[0]..name"):
        with pytest.raises(ValueError):
            path_label(zen, bad)


def test_search_results_from_notes_are_titled_by_the_form_label_in_whoosh_and_the_browser(tmp_path):
    """A note hit is titled where the note is (「Ⅱ ファイル1 6．②保管期間 …」), not `files[0].retention.period`: the
    search documents (shared by Whoosh and the browser index) carry path_label as the item's label."""
    from hyoka.companies import load_companies
    from hyoka.documents import corpus_documents
    from realcontent import ROOT

    c = corpus()
    docs = [d for d in corpus_documents(c, load_companies(ROOT / "site_config")) if d["kind"] == "note"]
    by_id = {a.id: a for a in c.assessments}
    assert len(docs) > 300
    for d in docs:
        assert d["label"] and not YAML_PATH.search(d["label"]), (d["key"], d["label"])
    (a_id, note) = next((a.id, n) for a in c.assessments for n in a.transcription_notes if n.path.startswith("files[0].retention"))
    assert any(d["label"] == path_label(by_id[a_id], note.path) and d["label"].startswith("Ⅱ ファイル1") for d in docs)
