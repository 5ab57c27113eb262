"""The side-by-side view's data (hyoka.views.sidebyside): the rows of one assessment from the real content, checked
against the YAML as read from the files; the page and its data files from a real `mkdocs build`."""

from __future__ import annotations

import json


from htmlquery import by_id, ids, soup, text
from realcontent import ROOT, corpus

from hyoka.views import sidebyside as V
from hyoka.yamlmarks import read_marked

KANAZAWA = "kanazawa-covid19-yobosesshu-zenkomoku"
KOSHIGAYA = "koshigaya-shingata-influenza-yobosesshu-zenkomoku"


def yaml_of(doc_id: str) -> dict:
    """The YAML as written in content/ (not through the model)."""
    (path,) = (ROOT / "content").glob(f"*/{doc_id}.yaml")
    marked, problems = read_marked(path.read_bytes(), str(path))
    assert marked is not None and not problems
    return marked.data


def rows_of(doc_id: str) -> dict[str, V.Row]:
    return {r.row_id: r for r in V.rows(corpus().by_id(doc_id))}


def section(data: dict, no: str, file: int = 0) -> dict:
    (sec,) = [s for s in data["risks"][file]["sections"] if str(s["no"]) == no]
    return sec


def test_kanazawa_and_koshigaya_give_the_same_keys_for_the_first_risk_of_acquisition_and_their_printed_answers():
    ka, ko = rows_of(KANAZAWA), rows_of(KOSHIGAYA)
    r1 = {i for i in ka if i.startswith("Ⅲ-2/R1/")}
    assert r1 == {i for i in ko if i.startswith("Ⅲ-2/R1/")}
    assert "Ⅲ-2/R1/リスクへの対策は十分か|f1|" in r1
    assert "Ⅲ-2/R1/対象者以外の情報の入手を防止するための措置の内容|f1|" in r1
    for doc_id, rows in ((KANAZAWA, ka), (KOSHIGAYA, ko)):
        risk = section(yaml_of(doc_id), "2")["risks"][0]
        assert risk["title"].startswith("リスク")
        for k, item in enumerate(risk["items"], 1):
            key = "Ⅲ-2/R1/" + item["label"].replace(" ", "").replace("　", "")
            row = rows[key + "|f1|"]
            assert row.value == (item.get("answer") if "answer" in item else item["text"])  # exactly as in the YAML
            assert row.kind == ("choice" if "answer" in item else "text")
            assert row.anchor == f"risk-1-2-1-{k}"
            assert row.label.endswith(item["label"]) and row.label.startswith(risk["title"])


def test_forms_3_and_4_share_the_rows_of_the_same_question_and_form_2_answers_for_the_whole_affair():
    juten, zen, kiso = rows_of("kazo-yobosesshu-juten"), rows_of(KOSHIGAYA), rows_of("takatsuki-juki-kiso")
    for rid in ("Ⅲ-2/R1/リスクへの対策は十分か|f1|", "Ⅲ-4/R1-5/リスクへの対策は十分か|f1|", "Ⅲ-3/R2/リスクへの対策は十分か|f1|"):
        assert rid in juten and rid in zen
    assert juten["Ⅲ-2/R1/リスクへの対策は十分か|f1|"].value == section(yaml_of("kazo-yobosesshu-juten"), "2")["risks"][0]["items"][-1]["answer"]
    # 様式2 asks the same question once for the affair (Ⅳ2): the same key, file 0, said in its group
    r = kiso["Ⅲ-2/R1/リスクへの対策は十分か|f0|"]
    assert r.group.endswith("（事務全体の回答）") and r.path.startswith("other_measures[")
    assert not any(i.endswith("|f1|") and i.startswith("Ⅲ-") for i in kiso)


def test_retention_entrustment_and_notes_are_rows_with_their_yaml_values():
    for doc_id in (KANAZAWA, KOSHIGAYA):
        data, rows = yaml_of(doc_id), rows_of(doc_id)
        f0 = data["files"][0]
        period = rows["Ⅱ-6/period.period|f1|"]
        assert period.value == f0["retention"]["period"]["period"] and period.anchor == "files-1-retention-period-period"
        assert rows["Ⅱ-6/period.reason|f1|"].value == f0["retention"]["period"]["reason"]
        for e in f0["entrustment"]["items"]:
            word = f"委託事項{e['no']}"
            assert rows[f"Ⅱ-4/items.title|f1|{word}"].value == e["title"]
            assert rows[f"Ⅱ-4/items.contractor|f1|{word}"].value == e["contractor"]
            assert rows[f"Ⅱ-4/items.subcontract|f1|{word}"].value == e["subcontract"]
            assert rows[f"Ⅱ-4/items.contractor|f1|{word}"].label == f"{word} ⑥委託先名"
        # a note on an item shows its kind at that row
        for n in data.get("transcription_notes", []):
            if n["path"] == "files[0].retention.period.period":
                assert n["kind"] in period.notes
    # 金沢市's 保管期間 is noted as 曖昧 in its YAML (read above), and differs from 越谷市's
    assert rows_of(KANAZAWA)["Ⅱ-6/period.period|f1|"].value != rows_of(KOSHIGAYA)["Ⅱ-6/period.period|f1|"].value


def test_rows_are_unique_in_page_order_and_leave_out_change_history():
    for a in corpus().assessments:
        rows = V.rows(a)
        assert len({r.row_id for r in rows}) == len(rows), a.id
        assert not any(r.key.startswith("別添3") for r in rows)
        orders = [V.path_order(r.path) for r in rows]
        assert orders == sorted(orders)
        parts = [r.path.split("[")[0].split(".")[0] for r in rows]
        first = {p: parts.index(p) for p in parts}
        assert sorted(first, key=first.get) == [p for p in ("basic_info", "files", "threshold", "risks", "other_measures",
                                                           "disclosure", "procedures") if p in first], a.id


def test_a_value_left_out_with_a_note_is_a_row_that_says_so():
    """A null value that a transcription note names (判読不能, 空欄, 非公表) is a row with no value and the
    note's kind (横浜市: 別添2 record items 判読不能); an empty text row always has such a note."""
    noted = 0
    for a in corpus().assessments:
        rows = {r.path: r for r in V.rows(a)}
        for r in rows.values():
            if r.kind == "text" and r.value == "":
                assert r.notes, (a.id, r.path)
        for n in a.transcription_notes:
            if n.kind in ("非公表", "判読不能", "空欄") and n.path in rows:
                assert n.kind in rows[n.path].notes, (a.id, n.path)
                noted += 1
    yoko = rows_of("yokohama-yobosesshu-zenkomoku")["Ⅱ/record_items|f1|"]
    assert yoko.value == "" and yoko.notes == ("判読不能",)
    assert noted >= 10


# ---- the built site ---------------------------------------------------------------------------------


def test_every_cell_link_reaches_an_anchor_of_its_assessment_page(built_site):
    missing_all = []
    for a in corpus().assessments:
        slug = corpus().municipalities[a.municipality].slug
        page_ids = set(ids((built_site.site / slug / a.id / "index.html").read_text(encoding="utf-8")))
        data = json.loads((built_site.site / "compare/side-by-side/items" / f"{a.id}.json").read_text(encoding="utf-8"))
        assert data["url"] == f"{slug}/{a.id}/"
        col = data["columns"].index("anchor")
        missing = [r[col] for r in data["rows"] if r[col] not in page_ids]
        missing_all += [(a.id, m) for m in missing]
    assert missing_all == []


def test_the_page_lists_cities_not_assessments_and_each_city_file_lists_its_assessments(built_site):
    html = (built_site.site / "compare/side-by-side/index.html").read_text(encoding="utf-8")
    page = soup(html)
    assert "並べて比べる" in text(page.select_one("h1"))
    options = [o["value"] for o in by_id(page, "sbs-city").select("option") if o["value"]]
    assert set(options) == {corpus().municipalities[a.municipality].slug for a in corpus().assessments}
    for a in corpus().assessments:  # nothing on the page grows with the assessments (national scale)
        assert a.id not in html
    # the nav entry under 都市間比較
    home = soup((built_site.site / "index.html").read_text(encoding="utf-8"))
    assert any("並べて比べる" in text(x) for x in home.select("nav a[href='compare/side-by-side/']"))
    for slug in options:
        listed = json.loads((built_site.site / f"compare/side-by-side/cities/{slug}.json").read_text(encoding="utf-8"))
        code = next(c for c, m in corpus().municipalities.items() if m.slug == slug)
        mine = [a.id for a in corpus().assessments if a.municipality == code]
        assert {d["id"] for d in listed} <= set(mine) | {d["id"] for d in listed if d["id"].startswith("fixture")}
        assert set(mine) <= {d["id"] for d in listed}
    # without JavaScript: a message and links to every municipality page
    ns = page.select_one("noscript")
    assert ns is not None and "JavaScript" in text(soup(ns.decode_contents()))


def test_hostile_text_stays_data_in_the_items_file(built_site):
    data = json.loads((built_site.site / "compare/side-by-side/items/fixture-hostile.json").read_text(encoding="utf-8"))
    col = data["columns"].index("value")
    values = [r[col] for r in data["rows"]]
    hostile = set(built_site.hostile_paths["fixture-hostile"].values())
    assert sum(v in hostile for v in values) >= 20
    assert any("<img src=x onerror=alert(1)>" in v for v in values)


def test_view_is_listed_before_home():
    from hyoka import views

    names = [v.NAME for v in views.VIEWS]
    assert names.index("sidebyside") == len(names) - 2
