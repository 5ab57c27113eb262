"""Helpers to walk an assessment's Ⅲ answers with their paths and anchors."""

from __future__ import annotations

import dataclasses
from typing import Iterator

from .. import anchors
from ..choices import norm_label
from ..schema import Assessment, Item


@dataclasses.dataclass(frozen=True)
class PlacedItem:
    item: Item
    path: str
    anchor: str
    file_index: int  # 1-based
    section_no: str
    risk_title: str | None


def risk_items(doc: Assessment) -> Iterator[PlacedItem]:
    for fi, fr in enumerate(doc.risks):
        for si, sec in enumerate(fr.sections):
            for ki, rk in enumerate(sec.risks):
                for qi, item in enumerate(rk.items):
                    yield PlacedItem(
                        item,
                        f"risks[{fi}].sections[{si}].risks[{ki}].items[{qi}]",
                        anchors.risk_item(fi + 1, sec.no, ki + 1, qi + 1),
                        fi + 1,
                        sec.no,
                        rk.title,
                    )
            for qi, item in enumerate(sec.items):
                yield PlacedItem(
                    item, f"risks[{fi}].sections[{si}].items[{qi}]", anchors.risk_section_item(fi + 1, sec.no, qi + 1), fi + 1, sec.no, None
                )


def section_key(no: str) -> str:
    return norm_label(no)


def label_is(item: Item, *needles: str) -> bool:
    label = norm_label(item.label)
    return any(norm_label(n) in label for n in needles)
