"""The data-flow picture (hyoka.dataflow): its values from the real content, its layout, the section on the
built page (the SVG, its text alternative, every box a link to an item the page has), and hostile text."""

from __future__ import annotations

import copy

import pytest
from htmlquery import by_id, ids, soup, text
from realcontent import ROOT, real_doc

from hyoka.views import dataflow as D
from hyoka import schema as S
from hyoka.yamlmarks import read_marked

JUKI = "takatsuki-juki-zenkomoku"


def _yaml(doc_id: str) -> dict:
    """The YAML as written (not through the model): the values the picture must show."""
    (path,) = (ROOT / "content").glob(f"*/{doc_id}.yaml")
    marked, problems = read_marked(path.read_bytes(), str(path))
    assert not problems
    return marked.data


# ---- values from the real content --------------------------------------------------------------


def test_takatsuki_juki_flow_has_each_file_with_its_retention_sources_and_contractors():
    raw = _yaml(JUKI)
    fl = D.flow(real_doc(JUKI))
    assert [ln.file.text for ln in fl.lanes] == [f["name"] for f in raw["files"]]
    assert [ln.retention.text for ln in fl.lanes] == [f["retention"]["period"]["period"] for f in raw["files"]]
    assert [ln.retention.text for ln in fl.lanes] == ["20年以上", "20年以上", "1年未満"]
    for ln, f in zip(fl.lanes, raw["files"]):
        src = f["acquisition"]["sources"]
        want = [f"{o}（{src['details'][o]}）" if o in (src.get("details") or {}) else o for o in src["ticked"]]
        assert [s.text for s in ln.sources] == want
    # 住民基本台帳ファイル: three contractors, by name as printed (full-width spaces kept), none subcontracts
    ent = fl.lanes[0].groups[0]
    assert (ent.kind, ent.count) == ("entrust", "3件")
    items = raw["files"][0]["entrustment"]["items"]
    assert [i.text for i in ent.items] == [it["contractor"] for it in items]
    assert ent.items[0].text == "株式会社\u3000日立製作所\u3000関西支社"
    assert [i.sub for i in ent.items] == [[f"委託事項{it['no']}　{it['title']}", f"再委託: {it['subcontract']}"] for it in items]
    assert [i.href for i in ent.items] == ["#file-1-entrust-1", "#file-1-entrust-2", "#file-1-entrust-3"]
    # 提供先 58件 / 移転先 47件 as printed, the printed rows by name and the 別紙 list a click away
    prov, trans = fl.lanes[0].groups[1:]
    assert (prov.title, prov.count, trans.title, trans.count) == ("提供先", "58件", "移転先", "47件")
    assert [i.text for i in prov.items] == [p["recipient"] for p in raw["files"][0]["provision"]["provisions"]]
    assert prov.more.text == f"別紙の提供先一覧（{len(raw['files'][0]['provision']['provision_annex'])}件）"
    assert prov.more.href == "#files-1-provision-provision_annex"
    # the other two files are not entrusted
    assert [ln.groups[0].head for ln in fl.lanes[1:]] == ["委託しない", "委託しない"]
    assert "ファイル1「住民基本台帳ファイル」（保管期間: 20年以上）" in fl.summary


def test_subcontracting_and_printed_placeholders_are_shown_as_printed():
    yk = D.flow(real_doc("yokohama-yobosesshu-zenkomoku"))
    raw = _yaml("yokohama-yobosesshu-zenkomoku")
    got = [(i.text, i.sub[1]) for ln in yk.lanes for g in ln.groups if g.kind == "entrust" for i in g.items]
    want = [(it["contractor"], f"再委託: {it['subcontract']}") for f in raw["files"] for it in f["entrustment"]["items"]]
    assert got == want
    assert ("未定", "再委託: 再委託する") in got  # printed 「未定」 is a value, not a gap
    ty = D.flow(real_doc("takatsuki-yobosesshu-zenkomoku"))
    assert [i.sub[1] for i in ty.lanes[0].groups[0].items] == ["再委託: 再委託しない", "再委託: 再委託しない", "再委託: 再委託する"]


def test_missing_and_uncertain_values_say_so_from_the_notes():
    kazo = D.flow(real_doc("kazo-yobosesshu-juten"))
    ln = kazo.lanes[0]
    # 様式3（令和６年10月） prints no 保管期間; the note on files[0].retention says so: never a period
    assert ln.retention.gap and ln.retention.text == "記載なし（転記メモ参照）"
    # the 入手元 were read with a 曖昧 note: each source says so
    assert ln.sources and all(s.flag == "曖昧" for s in ln.sources)
    assert [g.head for g in ln.groups[1:]] == ["提供・移転: 行っていない"]


def _with(doc_id: str, change, notes: list[dict]) -> S.Assessment:
    data = real_doc(doc_id).model_dump(mode="json", by_alias=True, exclude_none=False)
    data = copy.deepcopy(data)
    change(data)
    data["transcription_notes"] = [*data.get("transcription_notes", []), *notes]
    return S.Assessment.model_validate(data)


@pytest.mark.parametrize("kind, shown", [("判読不能", "判読不能"), ("非公表", "非公表"), ("空欄", "空欄"), ("補足", "記載なし（転記メモ参照）"), (None, "空欄")])
def test_a_null_contractor_or_period_is_named_by_its_note(kind, shown):
    def change(d):
        d["files"][0]["entrustment"]["items"][0]["contractor"] = None
        d["files"][0]["retention"]["period"]["period"] = None
        # no other note on these blocks (a note on a block above a null value is pointed to: 「転記メモ参照」)
        d["transcription_notes"] = [n for n in d["transcription_notes"] if not n["path"].startswith(("files[0].entrustment", "files[0].retention"))]

    notes = [] if kind is None else [
        {"path": "files[0].entrustment.items[0].contractor", "kind": kind, "note": "テスト"},
        {"path": "files[0].retention.period.period", "kind": kind, "note": "テスト"},
    ]
    fl = D.flow(_with("koshigaya-shingata-influenza-yobosesshu-zenkomoku", change, notes))
    item = fl.lanes[0].groups[0].items[0]
    assert (item.gap, item.text) == (True, shown)
    assert (fl.lanes[0].retention.gap, fl.lanes[0].retention.text) == (True, shown)


def test_a_note_on_a_block_above_is_pointed_to_but_does_not_name_the_reason():
    def change(d):
        d["files"][0]["entrustment"]["items"][0]["contractor"] = None
        d["transcription_notes"] = [n for n in d["transcription_notes"] if not n["path"].startswith("files[0].entrustment")]

    notes = [{"path": "files[0].entrustment", "kind": "判読不能", "note": "委託の欄の別の行が読めない"}]
    item = D.flow(_with("koshigaya-shingata-influenza-yobosesshu-zenkomoku", change, notes)).lanes[0].groups[0].items[0]
    assert (item.gap, item.text) == (True, "記載なし（転記メモ参照）")


def test_an_assessment_without_files_has_no_picture():
    a = real_doc("takatsuki-juki-kiso")
    assert D.flow(a).lanes == []
    html = str(D.section(a, "takatsuki/takatsuki-juki-kiso/"))
    assert "<svg" not in html and "図はありません" in html


# ---- layout ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, width, lines", [
    ("株式会社\u3000日立製作所\u3000関西支社", 300, 3),
    ("特定個人情報保護評価書" * 40 + "x" * 300, 200, 3),
    ("abc", 50, 1),
    ("", 100, 2),
])
def test_wrap_keeps_lines_within_the_width_and_cuts_with_an_ellipsis(text, width, lines):
    out = D.wrap(text, width, lines)
    assert 1 <= len(out) <= lines
    for line in out:
        assert sum(D._char_w(c) for c in line) * D.FONT <= width
    joined = "".join(out)
    if len(out) == lines and joined.endswith("…"):
        assert text.startswith(joined[:-1])
    else:
        assert joined == text


def _long_names() -> S.Assessment:
    long = "特定個人情報保護評価書" * 40 + "x" * 300

    def change(d):
        f = d["files"][0]
        f["name"] = long
        f["entrustment"]["items"][0]["contractor"] = long
        f["entrustment"]["items"][0]["title"] = long
        f["acquisition"]["sources"]["details"] = {o: long for o in f["acquisition"]["sources"]["ticked"]}
        f["retention"]["period"]["period"] = "6年以上10年未満"

    a = _with("koshigaya-shingata-influenza-yobosesshu-zenkomoku", change,
              [{"path": "files[0].retention.period.period", "kind": "曖昧", "note": "テスト"}])
    a.risks[0].file_name = a.files[0].name
    return a


@pytest.mark.parametrize("doc", [JUKI, "yokohama-yobosesshu-zenkomoku", "kazo-yobosesshu-juten", "long names"])
@pytest.mark.parametrize("narrow", [False, True])
def test_boxes_stay_inside_the_picture_and_never_overlap(doc, narrow):
    a = _long_names() if doc == "long names" else real_doc(doc)
    lay = D.layout(D.flow(a), narrow=narrow)
    assert lay.width <= (330 if narrow else 880)
    for b in lay.boxes:
        assert 0 <= b.x and b.x + b.w <= lay.width and 0 <= b.y and b.y + b.h <= lay.height, b
        for _, ty, line, _ in b.texts():
            assert b.y < ty <= b.y + b.h, b  # every line's baseline inside its box
            assert sum(D._char_w(c) for c in line) * D.FONT <= b.w - 2 * D.PAD, (line, b.w)  # and its width (estimated)
    for i, a in enumerate(lay.boxes):
        for b in lay.boxes[i + 1:]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, (a.label, b.label)


# ---- on the built page -------------------------------------------------------------------------


def _section(built_site, rel: str):
    page = soup(built_site.page(rel))
    return page, by_id(page, "dataflow")


def test_built_page_has_the_picture_after_the_summary_and_every_box_links_to_an_item_on_the_page(built_site):
    page, sec = _section(built_site, f"takatsuki/{JUKI}/index.html")
    order = [el.get("id") for el in page.select("#summary, #dataflow, #cover")]
    assert order == ["summary", "dataflow", "cover"]
    canvases = sec.select(".hy-flow-canvas")
    assert len(canvases) == 2  # wide and narrow layouts, one shown by the stylesheet
    present = set(ids(page))
    for canvas in canvases:
        svg = canvas.select_one("svg")
        assert svg["role"] == "img" and svg.find("a") is None  # an image: its links lie over it, not in it
        t, d = svg["aria-labelledby"].split()
        assert svg.find("title", id=t) is not None and "住民基本台帳ファイル" in svg.find("desc", id=d).get_text()
        hits = canvas.select("a.hy-flow-hit")
        assert len(hits) == len(svg.select("g.hy-flow-box")) >= 20  # one link per box
        hrefs = [a["href"] for a in hits]
        assert all(h.startswith("#") and h[1:] in present for h in hrefs), [h for h in hrefs if h[1:] not in present]
        assert any(a["title"].startswith("株式会社\u3000日立製作所\u3000関西支社\u3000委託事項1") for a in hits)
        labels = text(svg)
        for name in ("株式会社\u3000日立製作所\u3000関西支社", "保管期間: 20年以上", "保管期間: 1年未満", "提供先\u300058件", "移転先\u300047件"):
            assert name in labels
    # the text alternative: the same flow as lists, with links to the same items
    alt = sec.select_one("details.hy-flow-alt")
    alt_hrefs = {a["href"] for a in alt.select("a")}
    assert {a["href"] for a in canvases[0].select("a.hy-flow-hit")} <= alt_hrefs
    assert all(h[1:] in present for h in alt_hrefs)
    assert "株式会社\u3000日本ビジネスデータープロセシングセンター" in text(alt)


def test_every_built_assessment_links_only_to_anchors_it_has(built_site):
    pages = [p for p in built_site.site.glob("*/*/index.html") if 'id="dataflow"' in p.read_text(encoding="utf-8")]
    assert len(pages) >= 8
    for p in pages:
        page = soup(p.read_text(encoding="utf-8"))
        present = set(ids(page))
        bad = [a["href"] for a in by_id(page, "dataflow").select("a[href^='#']") if a["href"][1:] not in present]
        assert bad == [], (p, bad)


def test_hostile_text_in_the_built_picture_stays_text(built_site):
    raw = built_site.page("takatsuki/fixture-hostile/index.html")
    start = raw.index('<section class="hy-flow"')
    html = raw[start:raw.index("</section>", start)]
    sec = soup(html)
    assert sec.find("script") is None and sec.find("img") is None
    assert not [k for el in sec.find_all(True) for k in el.attrs if k.lower().startswith("on")]
    assert "<script>alert('x')</script>" in text(sec)  # shown as typed (cut to the box in the picture)


def test_quotes_and_markup_in_names_cannot_leave_their_attribute_or_element():
    evil = '"><script>alert(1)</script><a href="javascript:alert(2)" onclick="x">'

    def change(d):
        d["files"][0]["name"] = "ファイル" + evil
        d["files"][0]["entrustment"]["items"][0]["contractor"] = "株式会社" + evil
        d["files"][0]["acquisition"]["sources"]["details"] = {"本人又は本人の代理人": evil}

    a = _with("koshigaya-shingata-influenza-yobosesshu-zenkomoku", change, [])
    a.risks[0].file_name = a.files[0].name
    sec = soup(str(D.section(a, "koshigaya/x/")))
    assert sec.find("script") is None
    assert all(not h.startswith("javascript:") for h in (el.get("href", "") for el in sec.find_all("a")))
    assert not [k for el in sec.find_all(True) for k in el.attrs if k.lower().startswith("on")]
    titles = [a["title"] for a in sec.select("a.hy-flow-hit")]
    assert any(("株式会社" + evil) in t for t in titles)  # the full name, as text, in the box's <title>
    assert ("ファイル" + evil) in text(sec.select_one("details.hy-flow-alt"))
