"""The one registry of facets (hyoka.fields): its labels are the model's titles, and every consumer —
the Whoosh schema and its facet counts, the `hyoka search` options and output, the browser index's
manifest and facet files, the comparison pages' filters — uses exactly its fields."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from fixtures.search.support import shared_corpus, shared_index_dir, shared_registry
from htmlquery import soup, text
from hyoka import fields
from hyoka import schema as S
from hyoka import sitesearch as ss
from hyoka.companies import registry_from_data
from hyoka.documents import corpus_documents, named_companies
from hyoka.matching import SEGMENT_SEP


def test_labels_are_the_models_titles_without_item_numbers():
    # where the form has the item, the heading is its printed label (number dropped), read from the model
    printed = {"form": S.Assessment.model_fields["form"].title,
               "retention": S.Retention.model_fields["period"].title,
               "company": S.Entrustment.model_fields["contractor"].title,
               "subcontract": S.Entrustment.model_fields["subcontract"].title}
    assert printed == {"form": "様式", "retention": "②保管期間", "company": "⑥委託先名", "subcontract": "⑦再委託の有無"}
    for name, title in printed.items():
        assert fields.label(name) == re.sub(r"^[①-⑳]", "", title)
    assert fields.label("note_kind") == S.Assessment.model_fields["transcription_notes"].title + "の" + \
        S.TranscriptionNote.model_fields["kind"].title == "転記メモの種類"
    for f in fields.FACETS:
        if f.source is not None:
            model, name = f.source
            assert fields.form_label(model.model_fields[name].title) in f.label, f.name
    # portal labels only where the form has no item
    assert [f.name for f in fields.FACETS if f.source is None] == ["city", "section", "kind", "answer", "risk_key"]
    assert fields.form_label("1．特定個人情報ファイル名") == "特定個人情報ファイル名"
    assert len({f.label for f in fields.FACETS}) == len(fields.FACETS)


def test_value_orders_are_the_forms_options():
    from hyoka.choices import RETENTION, SUBCONTRACT

    assert fields.facet("retention").order[: len(RETENTION)] == RETENTION
    assert fields.facet("subcontract").order == SUBCONTRACT
    assert fields.facet("note_kind").order == S.NOTE_KINDS
    assert fields.sort_values("retention", {"20年以上": 1, "1年": 9, "記載なし": 3}) == ["1年", "20年以上", "記載なし"]
    assert fields.sort_values("city", {"b": 1, "a": 1, "c": 5}) == ["c", "a", "b"]  # no order: by count, then name
    assert fields.values("company", "x,y") == ["x", "y"] and fields.values("form", "様式4") == ["様式4"]
    assert fields.facet("company").value_label("?abc株式会社", {}) == "abc株式会社（未登録）"


def test_whoosh_schema_and_searches_use_the_registry():
    from whoosh.fields import ID, KEYWORD

    from hyoka_search import index, query

    schema = index.make_schema()
    for f in fields.FACETS:
        assert f.name in schema.names()
        ft = schema[f.name]
        assert isinstance(ft, KEYWORD) if f.multi else (isinstance(ft, ID) and ft.column_type is not None), f.name
    assert query.FACETS == fields.NAMES
    assert set(fields.NAMES) <= set(index.FACET_FIELDS)
    from hyoka_search.index import open_index

    ix = open_index(shared_index_dir())
    try:
        got = query.search(ix, "委託", limit=0)
    finally:
        ix.close()
    assert tuple(got.facets) == fields.NAMES
    assert got.facets["note_kind"] and got.facets["company"]
    assert not {v for v, _ in got.facets["answer"]} & set(S.NOTE_KINDS)


def test_cli_options_help_and_output_use_the_registry(capsys):
    from hyoka_search.cli import build_parser, main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        build_parser().parse_args(["search", "--help"])
    helptext = re.sub(r"\s+", "", buf.getvalue())
    for f in fields.FACETS:
        assert f"--{f.option}" in helptext and re.sub(r"\s+", "", f.label) in helptext, f.name
    from fixtures.search.support import shared_project

    root = shared_project()
    common = ["--content", str(root / "content"), "--site-config", str(root / "site_config"), "--index-dir", str(shared_index_dir())]
    assert main(["search", "委託", "--format", "json", "--limit", "0", *common]) == 0
    out = json.loads(capsys.readouterr().out)
    assert tuple(out["facets"]) == fields.NAMES
    for name in fields.NAMES:  # values in the registry's order
        counts = {v["value"]: v["count"] for v in out["facets"][name]}
        assert [v["value"] for v in out["facets"][name]] == fields.sort_values(name, counts)
    # a facet new with the registry is an option like the others
    kind = out["facets"]["note_kind"][0]
    assert main(["search", "委託", "--note-kind", kind["value"], "--format", "json", "--limit", "0", *common]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == kind["count"]
    assert main(["search", "委託", "--note-kind", "推測", *common]) == 2
    assert "転記メモの種類「推測」は選択肢にありません" in capsys.readouterr().err


def test_browser_index_has_exactly_the_browser_facets():
    docs = ss.order(corpus_documents(shared_corpus(), shared_registry()))
    files = ss.export(docs, company_names=ss.company_names(shared_registry()))
    manifest = json.loads(files["manifest.json"])
    assert [f["field"] for f in manifest["facets"]] == [f.name for f in fields.BROWSER]
    assert [f["label"] for f in manifest["facets"]] == [f.label for f in fields.BROWSER]
    assert [f["multi"] for f in manifest["facets"]] == [f.multi for f in fields.BROWSER]
    fac = json.loads(files["f/0.json"])
    assert list(fac["fields"]) == [f.name for f in fields.BROWSER]
    # company labels are the registry's 正式名称, also for a company only named in an item's text
    labels = dict(zip(fac["fields"]["company"]["values"], fac["fields"]["company"].get("labels", fac["fields"]["company"]["values"])))
    names = {c.id: c.name for c in shared_registry().companies.values()}
    for v, lab in labels.items():
        for cid, shown in zip(fields.values("company", v), lab.split(",")):
            if cid in names:
                assert shown == names[cid]


def test_compare_filters_are_headed_by_the_registry():
    from hyoka.site import SiteContext
    from hyoka.views import compare

    pages = {p.path: p for p in compare.generate(shared_corpus(), SiteContext()) if hasattr(p, "markdown")}
    seen = set()
    for page in pages.values():
        for sel in soup(page.markdown).select("form label > select"):
            name = sel.get("name")
            if name in fields.BY_NAME:
                label = text(sel.parent).split("すべて")[0].strip()
                assert label == fields.label(name), (page.path, name, label)
                seen.add(name)
    assert {"city", "form", "company", "subcontract", "retention", "answer", "section"} <= seen


def test_named_companies_by_the_registrys_spellings():
    reg = registry_from_data({"companies": [{"name": "株式会社ミラボ"}, {"name": "株式会社日立システムズ"},
                                            {"name": "株式会社日立", "spellings": ["日立"]}]})
    assert named_companies(reg, "（株）ミラボ　へ委託") == ["株式会社ミラボ"]  # ㈱ / （株） and spaces folded
    assert named_companies(reg, "株式会社 ミ ラ ボ") == ["株式会社ミラボ"]
    assert named_companies(reg, "株式会社" + SEGMENT_SEP + "ミラボ") == []  # never across two printed cells
    assert named_companies(reg, "ミラボ") == []  # only the registry's spellings
    assert named_companies(reg, "株式会社日立システムズの保守") == ["株式会社日立システムズ"]  # the longer name
    assert named_companies(reg, "日立と株式会社ミラボ") == ["株式会社日立", "株式会社ミラボ"]


def test_documents_carry_note_kind_and_company():
    docs = corpus_documents(shared_corpus(), shared_registry())
    notes = [d for d in docs if d["kind"] == "note"]
    assert notes and all(d["note_kind"] in S.NOTE_KINDS and d["answer"] == "" for d in notes)
    assert all(d["content"].startswith(d["note_kind"] + SEGMENT_SEP) for d in notes)  # still found by 補足 …
    assert not [d for d in docs if d["kind"] != "note" and d["note_kind"]]
    named = [d for d in docs if d["company"] and d["kind"] != "entrust"]
    assert named, "the fixtures name companies outside 委託事項"
