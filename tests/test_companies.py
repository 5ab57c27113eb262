"""委託先 normalisation (hyoka.companies) and the registry site_config/companies.yaml."""

from __future__ import annotations


import pytest

from fixtures.search.support import ROOT, shared_corpus, shared_registry
from hyoka.companies import company_key, corporate_number_ok, load_companies, registry_from_data, split_contractors
from hyoka.documents import entrustment_cells


def test_one_cell_can_name_several_companies():
    assert split_contractors("日本通信紙株式会社、トッパン・フォームズ株式会社") == ["日本通信紙株式会社", "トッパン・フォームズ株式会社"]
    assert split_contractors("株式会社横浜電算，株式会社システム情報センター") == ["株式会社横浜電算", "株式会社システム情報センター"]
    assert split_contractors("A株式会社及びB株式会社") == ["A株式会社", "B株式会社"]
    # a separator inside brackets does not split
    assert split_contractors("株式会社ミラボ（本社、横浜支店）") == ["株式会社ミラボ（本社、横浜支店）"]
    assert split_contractors(None) == [] and split_contractors("") == []


@pytest.mark.parametrize("spelling", ["株式会社アイネス", "㈱アイネス", "（株）アイネス", "(株)アイネス", "株式会社　アイネス", "株式会社 アイネス 横浜支店"])
def test_spellings_resolve_to_one_company_and_keep_the_original(spelling):
    m = shared_registry().resolve(spelling)
    assert m.company is not None and m.company.name == "株式会社アイネス"
    assert m.original == spelling


def test_branch_suffix_is_kept_for_display():
    m = shared_registry().resolve("株式会社　日立製作所　関西支社")
    assert m.company.name == "株式会社日立製作所" and m.branch == "関西支社"


def test_renamed_company_only_through_the_registry():
    m = shared_registry().resolve("トッパン・フォームズ株式会社")
    assert m.company.name == "TOPPANエッジ株式会社" and m.original == "トッパン・フォームズ株式会社"


def test_unknown_spellings_are_reported_not_merged():
    reg = shared_registry()
    m = reg.resolve("株式会社フィクスチャ未登録")
    assert m.company is None and m.group_id.startswith("?")
    # a different company with a similar name is not merged into a registered one
    assert reg.resolve("株式会社アイネスト").company is None
    assert reg.unknown_spellings(["株式会社アイネス、株式会社フィクスチャ未登録", "未定"]) == ["株式会社フィクスチャ未登録"]
    # typographic variants of one unknown name share a group, nothing else does
    assert reg.resolve("㈱フィクスチャ未登録").group_id == m.group_id
    assert reg.resolve("株式会社フィクスチャ別").group_id != m.group_id


def test_not_a_company_name():
    m = shared_registry().resolve("未定")
    assert m.not_a_name and m.company is None


def test_registry_file_is_consistent():
    reg = load_companies(ROOT / "site_config")
    assert reg.problems == []
    assert len(reg.companies) >= 10
    for c in reg.companies.values():
        assert c.corporate_number is None or corporate_number_ok(c.corporate_number)
        assert reg.spellings[company_key(c.name)] == c.id


def test_registry_problems_are_reported():
    reg = registry_from_data({"companies": [
        {"name": "A株式会社", "spellings": ["Aカンパニー"]},
        {"name": "B株式会社", "spellings": ["Aカンパニー"], "corporate_number": "1234567890123"},
        {"spellings": ["名前なし"]},
    ]})
    text = "\n".join(reg.problems)
    assert "Aカンパニー" in text and "法人番号" in text and "name" in text


def test_corporate_number_check_digit():
    body = "234567890123"
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(body), start=1))
    good = str(9 - total % 9) + body
    assert corporate_number_ok(good)
    assert not corporate_number_ok(str((int(good[0]) + 1) % 10) + body)
    assert not corporate_number_ok("12345")


def test_every_cell_of_the_content_is_split_and_resolved_or_reported():
    reg = shared_registry()
    cells = entrustment_cells(shared_corpus())
    unknown = set(reg.unknown_spellings(cells))
    for cell in cells:
        for m in reg.mentions(cell):
            assert m.original in (cell or "")
            assert m.company is not None or m.not_a_name or m.original in unknown
