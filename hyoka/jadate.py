"""Dates as printed in the sources (Japanese era calendar), kept as printed and resolved to ISO."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

ERAS = {  # era name -> first year (Gregorian) and first day
    "明治": (1868, dt.date(1868, 1, 25)),
    "大正": (1912, dt.date(1912, 7, 30)),
    "昭和": (1926, dt.date(1926, 12, 25)),
    "平成": (1989, dt.date(1989, 1, 8)),
    "令和": (2019, dt.date(2019, 5, 1)),
}
# The last day of each era: the day before the next one began (令和 has no end yet).
ERA_ENDS = {
    era: nxt[1] - dt.timedelta(days=1) for era, nxt in zip(list(ERAS)[:-1], list(ERAS.values())[1:])
}

_ERA_RE = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")
_ISO_RE = re.compile(r"^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?$")


class JaDateError(ValueError):
    pass


def parse_ja_date(printed: str) -> dt.date:
    """Resolve a printed date (「令和4年9月30日」, 「令和４年１０月１日」, 「2022年9月30日」) to a date.

    Raises JaDateError with a Japanese message when the text is not a date or the date does not exist.
    """
    s = unicodedata.normalize("NFKC", printed)
    s = "".join(s.split())
    m = _ERA_RE.match(s)
    if m:
        era, y, mo, d = m.groups()
        first_year, era_start = ERAS[era]
        year = first_year + (1 if y == "元" else int(y)) - 1
        try:
            value = dt.date(year, int(mo), int(d))
        except ValueError:
            raise JaDateError(f"存在しない日付です: {printed}") from None
        if value < era_start:
            raise JaDateError(f"{era}の始まり（{era_start.isoformat()}）より前の日付です: {printed}")
        era_end = ERA_ENDS.get(era)
        if era_end is not None and value > era_end:
            nxt = next(e for e, (_, start) in ERAS.items() if start == era_end + dt.timedelta(days=1))
            raise JaDateError(f"{era}の終わり（{era_end.isoformat()}）より後の日付です（{nxt}に改元済み）: {printed}")
        return value
    m = _ISO_RE.match(s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise JaDateError(f"存在しない日付です: {printed}") from None
    raise JaDateError(f"日付として読めません（例: 令和4年9月30日）: {printed}")
