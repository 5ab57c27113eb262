"""The one registry of the search fields that filter and count (facets), issue 19.

    from hyoka import fields
    for f in fields.FACETS:            # in display order
        f.name, f.label, f.multi        # "retention", "保管期間", False
        f.order                         # fixed value order, or None: by count
        f.value_label(v, names)         # what a value is called on screen

Every consumer reads this table: the Whoosh schema's facet columns and the facet counts
(`hyoka_search.index`, `hyoka_search.query`), the `hyoka search` options, help and output
(`hyoka_search.cli`), the browser search (`hyoka.sitesearch` exports the browser facets into its
manifest, and `static/hyoka-sitesearch.js` builds its filters from that list only) and the
comparison pages' filter headings (`hyoka_search.compare`).

A facet's label is the official label of the model field it comes from (`Field(title=…)` in
hyoka/schema.py, its item number 「②」「1．」 removed: 「②保管期間」 → 「保管期間」), read here, never
typed again; a facet that the form has no item for (市区町村, 区分, 回答 …) has a portal label, and
`source` is None.

No MkDocs and no Whoosh here.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Mapping

from . import formkeys
from . import schema as S
from .choices import RETENTION, SUBCONTRACT
from .documents import KIND_LABELS, NO_RETENTION, SECTION_ORDER, SECTION_TITLES

_ITEM_NO = re.compile(r"^(?:[①-⑳]|[0-9０-９]+[．.]\s*)")


def model_title(model: type, field: str) -> str:
    """The official label of a model field (its pydantic title), as printed on the form."""
    title = model.model_fields[field].title
    if not title:
        raise ValueError(f"{model.__name__}.{field} has no title")
    return title


def form_label(title: str) -> str:
    """A form label without its item number: 「②保管期間」 → 「保管期間」, 「⑦再委託の有無」 → 「再委託の有無」."""
    return _ITEM_NO.sub("", title).strip()


def _risk_order() -> tuple[str, ...]:
    return tuple(sorted((rid for rid, _, _ in formkeys.risk_table()), key=formkeys.risk_order))


@dataclasses.dataclass(frozen=True)
class Facet:
    """One field that filters and counts.

    name     the documents' key (hyoka.documents.FIELDS), the Whoosh field, the browser's URL parameter
    label    the heading (official label of `source`, or a portal label)
    source   (model, field) the label is read from, or None for a portal label
    multi    several values per document (Whoosh KEYWORD(commas=True); "a,b" in the documents)
    order    values in this fixed order (then any other by name); None: by count, most first
    browser  shown beside the browser search's results
    option   the `hyoka search` option (--option)
    help     what the option takes (the CLI help)
    """

    name: str
    label: str
    source: tuple[type, str] | None = None
    multi: bool = False
    order: tuple[str, ...] | None = None
    browser: bool = True
    option: str = ""
    help: str = ""
    _labeller: Callable[[str, Mapping[str, str]], str] | None = None

    def value_label(self, value: str, names: Mapping[str, str] | None = None) -> str:
        """What `value` is called on screen.  `names`: the display names of the values that have one
        (municipality code → 団体名, company id → 正式名称), where the facet needs them."""
        if not value:
            return ""
        if self._labeller is not None:
            return self._labeller(value, names or {})
        return value


def _city_label(value: str, names: Mapping[str, str]) -> str:
    return names.get(value, value)


def _company_label(value: str, names: Mapping[str, str]) -> str:
    if value in names:
        return names[value]
    if value.startswith("?"):  # a spelling not in site_config/companies.yaml: its own group
        return value[1:] + "（未登録）"
    return value


def _risk_label(value: str, names: Mapping[str, str]) -> str:
    return f"{value} {formkeys.risk_label(value)}"


FACETS: tuple[Facet, ...] = (
    Facet("city", "市区町村", option="city", help="全国地方公共団体コード、名称、または slug", _labeller=_city_label),
    Facet("form", form_label(model_title(S.Assessment, "form")), (S.Assessment, "form"),
          order=("様式2", "様式3", "様式4"), option="form", help="様式2 / 様式3 / 様式4"),
    Facet("section", "区分", order=SECTION_ORDER, option="section", help="Ⅰ〜Ⅵ、別添3、または Ⅲ-4 のような細目",
          _labeller=lambda v, _: SECTION_TITLES.get(v, v)),
    Facet("kind", "項目の種類", order=tuple(KIND_LABELS), browser=False, option="kind", help="例: 委託事項、リスク対策の項目",
          _labeller=lambda v, _: KIND_LABELS.get(v, v)),
    Facet("retention", form_label(model_title(S.Retention, "period")), (S.Retention, "period"),
          order=(*RETENTION, NO_RETENTION), option="retention", help="例: 5年、6年以上10年未満"),
    Facet("company", form_label(model_title(S.Entrustment, "contractor")), (S.Entrustment, "contractor"), multi=True,
          option="company",
          help="会社名。その会社が委託先の委託事項と、本文でその会社の名前に触れた項目。表記の違いは名寄せ表で吸収",
          _labeller=_company_label),
    Facet("subcontract", form_label(model_title(S.Entrustment, "subcontract")), (S.Entrustment, "subcontract"),
          order=SUBCONTRACT, browser=False, option="subcontract", help="再委託する / 再委託しない"),
    Facet("answer", "回答", option="answer", help="選択肢の回答。例: 課題が残されている"),
    Facet("note_kind", model_title(S.Assessment, "transcription_notes") + "の" + model_title(S.TranscriptionNote, "kind"),
          (S.TranscriptionNote, "kind"), order=S.NOTE_KINDS, option="note-kind",
          help=" / ".join(S.NOTE_KINDS)),
    Facet("risk_key", "リスク", order=_risk_order(), option="risk",
          help="リスクの ID。例: Ⅲ-2/R1、委託の5つのリスクをまとめた回答は Ⅲ-4/R1-5", _labeller=_risk_label),
)

BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}
NAMES: tuple[str, ...] = tuple(f.name for f in FACETS)
BROWSER: tuple[Facet, ...] = tuple(f for f in FACETS if f.browser)
MULTI_VALUED: frozenset[str] = frozenset(f.name for f in FACETS if f.multi)


def facet(name: str) -> Facet:
    return BY_NAME[name]


def label(name: str) -> str:
    return BY_NAME[name].label


def values(name: str, raw: str) -> list[str]:
    """The values of a document's field: several for a multi-valued facet ("a,b")."""
    if not raw:
        return []
    if name in MULTI_VALUED:
        return [v.strip() for v in raw.split(",") if v.strip()]
    return [raw]


def sort_values(name: str, counts: Mapping[str, int]) -> list[str]:
    """A facet's values in display order: its fixed order (others after it, by name), or by count."""
    order = BY_NAME[name].order
    if order is not None:
        pos = {v: i for i, v in enumerate(order)}
        return sorted(counts, key=lambda v: (pos.get(v, len(pos)), v))
    return sorted(counts, key=lambda v: (-counts[v], v))
