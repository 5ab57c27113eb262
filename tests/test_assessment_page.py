"""The assessment page's first screen, folds, source and JSON twin, on a real `mkdocs build` of the fixtures and
the real content/ (session fixture `built_site`).  Expected values are read from the YAML, never typed."""

from __future__ import annotations

import json

import pytest

from hyoka import anchors as A
from hyoka.formlabels import path_label
from hyoka.loader import load_corpus
from hyoka.views.parts import path_id
from htmlquery import by_id, soup, text

SLUG = {"272078": "takatsuki", "112101": "kazo", "112224": "koshigaya", "141003": "yokohama", "172014": "kanazawa"}


@pytest.fixture(scope="module")
def corpus(built_site):
    c = load_corpus(built_site.root / "content", built_site.root / "site_config", root=built_site.root)
    assert not c.problems
    return c


def _dir(doc) -> str:
    return f"{SLUG[doc.municipality]}/{doc.id}/"


def _ws(s: str) -> str:
    return " ".join(s.split())


def _assessments(corpus):
    return [a for a in corpus.assessments if "hostile" not in a.id]


def test_first_screen_names_files_people_periods_contractors_and_flows(built_site, corpus):
    checked = 0
    for a in _assessments(corpus):
        brief = by_id(soup(built_site.page(_dir(a) + "index.html")), "summary")
        t = _ws(text(brief))
        assert _ws(a.basic_info.affair.name) in t, a.id
        for f, pf in enumerate(a.files, 1):
            row = brief.select(".hy-brief-files tbody tr")[f - 1]
            rt = _ws(text(row))
            assert _ws(pf.name) in rt
            persons = pf.basics.persons if pf.basics else None
            assert (persons or "（空欄）") in rt, (a.id, f)
            scope = pf.basics.persons_scope if pf.basics else None
            if scope:
                assert _ws(scope) in rt  # the whole 範囲 is in the page (clamped on screen, with a title)
            period = pf.retention.period.period if pf.retention and pf.retention.period else None
            cell = row.select_one("td[data-label='保管期間']")
            assert _ws(text(cell)).startswith(period or "（空欄）"), (a.id, f, text(cell))
            assert cell.select_one("a")["href"] == f"#{A.retention(f)}"
            for k, it in enumerate(pf.entrustment.items if pf.entrustment else []):
                rows = [r for r in brief.select(".hy-brief-contractors tbody tr") if r.select_one(f"a[href='#{A.entrustment(f, it.no)}']")]
                assert len(rows) == 1, (a.id, f, it.no)
                ct = _ws(text(rows[0]))
                assert _ws(it.contractor) in ct if it.contractor else "（" in ct
                assert _ws(it.title) in ct and (it.subcontract or "（空欄）") in ct
                checked += 1
            pv = pf.provision
            if pv is not None and (pv.provisions or pv.provision_annex):
                listed = pv.provision_annex or pv.provisions
                flows = brief.select_one("#summary-flows")
                assert flows is not None and flows.name == "details" and not flows.has_attr("open")  # a click away
                for it in listed:
                    assert _ws(it.recipient) in _ws(text(flows))
                n = pv.provision_count if pv.provision_count is not None else len(listed)
                assert f"提供先 {n}件" in rt
    assert checked >= 15  # every 委託事項 of the real content and the fixtures


def test_a_contractor_withheld_in_the_source_is_shown_as_such(built_site, corpus):
    a = corpus.by_id("fixture-zenkomoku")
    it = a.files[0].entrustment.items[1]
    assert it.contractor is None  # the fixture's 委託先名 is 非公表 (a note says so)
    brief = by_id(soup(built_site.page(_dir(a) + "index.html")), "summary")
    (row,) = [r for r in brief.select(".hy-brief-contractors tbody tr") if r.select_one(f"a[href='#{A.entrustment(1, it.no)}']")]
    assert "（非公表）" in text(row) and "⚠ 非公表" in text(row)


def test_every_answer_other_than_sufficient_is_listed_with_a_link(built_site, corpus):
    from hyoka.views.assessment import ABOVE, BELOW

    seen = set()
    for a in _assessments(corpus):
        page = soup(built_site.page(_dir(a) + "index.html"))
        brief = by_id(page, "summary")
        listed = {x["href"]: _ws(text(x.parent)) for x in brief.select(".hy-brief-standouts li > a")}
        shown = set()
        for row in page.select(".hy-row"):
            chosen = row.select_one(".hy-answer")
            answer = text(chosen).strip("［］ 　") if chosen is not None else None
            if answer in BELOW or answer in ABOVE:
                assert f"#{row['id']}" in listed, (a.id, row["id"], answer)
                assert f"［ {answer} ］" in listed[f"#{row['id']}"]
                shown.add(f"#{row['id']}")
                seen.add("below" if answer in BELOW else "above")
        # and nothing else is listed but blank answers of graded questions
        for href, line in listed.items():
            assert href in shown or "（空欄）" in line or "（判読不能）" in line, (a.id, href, line)
    assert seen == {"below", "above"}


def test_findings_are_on_the_first_screen(built_site, corpus):
    import datetime as dt

    from hyoka.findings import run_rules

    found = run_rules(corpus.assessments, today=dt.date.today())
    for a in _assessments(corpus):
        mine = [f for f in found if f.assessment_id == a.id]
        part = by_id(soup(built_site.page(_dir(a) + "index.html")), "summary").select_one(".hy-brief-findings")
        if mine:
            for f in mine:
                assert f.rule.title in text(part), (a.id, f.rule.id)
            assert f"点検結果 {len(mine)} 件" in text(part)
        else:
            assert "ありません" in text(part)


def test_source_is_the_official_document_and_the_text_file_only_transcribed_from(built_site, corpus):
    for a in _assessments(corpus):
        page = soup(built_site.page(_dir(a) + "index.html"))
        head = page.select_one(".hy-head")
        links = [x for x in head.select("a.hy-ext")]
        if a.source.url:
            assert [x["href"] for x in links] == [a.source.url]
            assert by_id(page, "source-url").select_one("a.hy-ext")["href"] == a.source.url
        else:  # never an invented address
            assert links == [] and "記録されていません" in text(head)
            assert by_id(page, "source-url").select_one("dd a") is None
        assert f"転記元: {a.source.document}" in _ws(text(head.select_one(".hy-transcribed")))
        src = _ws(text(by_id(page, "source")))
        assert _ws(a.cover.title) in _ws(text(by_id(page, "source-title")))
        if a.cover.number:
            assert a.cover.number in text(by_id(page, "source-number"))
        assert "転記元" in text(by_id(page, "source-document")) and "出典資料" not in src
    fx = corpus.by_id("fixture-zenkomoku")
    assert fx.source.url  # the fixture records its PDF's address


def test_each_section_is_folded_with_its_own_summary_and_open_without_javascript(built_site, corpus):
    a = corpus.by_id("takatsuki-juki-zenkomoku")
    page = soup(built_site.page(_dir(a) + "index.html"))
    folds = page.select("details.hy-fold")
    assert len(folds) >= 10
    assert all(f.has_attr("open") and f.has_attr("data-hy-fold") for f in folds)  # hyoka-page.js folds them
    for f in folds:  # the heading is just before its fold (the table of contents lists it)
        h = f.find_previous_sibling()
        assert h is not None and h.name in ("h2", "h3"), text(f.summary)
    for key, anchor in (("s1", "s1"), ("file-1", A.file(1)), ("risk-1", A.risk_file(1)), ("changes", "changes")):
        h = by_id(page, anchor)
        fold = h.find_next_sibling()
        assert fold.name == "details", key
    pf = a.files[0]
    summary = text(by_id(page, A.file(1)).find_next_sibling().summary)
    assert pf.retention.period.period in summary and pf.basics.persons in summary
    assert f"委託 {pf.entrustment.count}件" in summary and f"提供 {pf.provision.provision_count}件" in summary
    assert f"変更箇所 {len(a.changes)} 件" in text(by_id(page, "changes").find_next_sibling().summary)
    toc = [x["href"] for x in page.select(".md-sidebar--secondary a.md-nav__link")]
    for anchor in ("#cover", "#s1", "#files", "#file-1", "#risks", "#s4", "#s5", "#s6", "#changes", "#notes"):
        assert anchor in toc, anchor


def test_notes_list_says_where_in_the_forms_labels(built_site, corpus):
    for doc in [*_assessments(corpus), *corpus.council_records]:
        page = soup(built_site.page(_dir(doc) + "index.html"))
        for i, n in enumerate(doc.transcription_notes):
            li = by_id(page, path_id(f"transcription_notes[{i}]"))
            t = _ws(text(li))
            assert _ws(path_label(doc, n.path)) in t, (doc.id, n.path)
            if "[" in n.path or "." in n.path:
                assert n.path not in t, (doc.id, n.path)
        assert not page.select(".hy-notes code.hy-path")


def test_json_twins_hold_the_pages_values(built_site, corpus):
    for a in _assessments(corpus):
        data = json.loads((built_site.site / _dir(a) / "index.json").read_text(encoding="utf-8"))
        brief = data["brief"]
        assert brief["affair"]["name"] == a.basic_info.affair.name
        want = [(it.contractor, it.subcontract) for pf in a.files for it in (pf.entrustment.items if pf.entrustment else [])]
        assert [(c["contractor"]["text"], c["subcontract"]["text"]) for c in brief["contractors"]] == want
        assert [f["period"]["text"] for f in brief["files"]] == [
            pf.retention.period.period if pf.retention and pf.retention.period else None for pf in a.files]
        anchors = [p["anchor"] for p in data["parts"] if p.get("node") == "Heading"]
        assert anchors[0] == "cover" and "notes" in anchors
        assert "<" not in json.dumps(data["findings_box"] or "")  # the twin never holds markup
    r = corpus.council_records[0]
    data = json.loads((built_site.site / _dir(r) / "index.json").read_text(encoding="utf-8"))
    assert data["header"]["subject"] == r.subject
    assert [x["where"] for x in (data["notes"] or {"items": []})["items"]] == [path_label(r, n.path) for n in r.transcription_notes]


def test_a_graded_question_left_blank_is_listed_as_blank(built_site, corpus):
    for a in _assessments(corpus):
        page = soup(built_site.page(_dir(a) + "index.html"))
        blank = page.select_one("#summary-blank")
        rows = [row for row in page.select(".hy-row") if row.select_one(".hy-answer.hy-empty") and row.select_one(".hy-options")
                and any(o in text(row) for o in ("十分である", "十分に行っている"))]
        if not rows:
            continue
        assert blank is not None and blank.name == "details", a.id
        hrefs = {x["href"] for x in blank.select("a")}
        for row in rows:
            assert f"#{row['id']}" in hrefs, (a.id, row["id"])
        assert f"{len(rows)} 件" in text(blank.summary)


def test_no_flow_list_to_open_when_nothing_is_provided_or_transferred(built_site, corpus):
    for a in _assessments(corpus):
        provides = any(pf.provision and (pf.provision.provisions or pf.provision.transfers or pf.provision.provision_annex
                                         or pf.provision.transfer_annex or pf.provision.provision_count or pf.provision.transfer_count)
                       for pf in a.files)
        flows = soup(built_site.page(_dir(a) + "index.html")).select_one("#summary-flows")
        assert (flows is not None) == bool(provides), a.id
