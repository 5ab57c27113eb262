"""The one CSV writer of the project: `data/*.csv`, `hyoka search --format csv` and (the same rule in
JavaScript, `hyoka/static/hyoka-filter.js`) the browser's 「表示中の行を CSV でダウンロード」.

Every file is UTF-8 with a BOM (Excel then reads it as UTF-8), one header row, rows ended by CRLF, quoted
only where needed (`,` `"` CR LF).  A cell that a spreadsheet could run as a formula (OWASP, CSV
injection) is prefixed with an apostrophe `'` so that it is shown as text:

- it starts with a tab or a CR, or
- its first character after any leading white space or invisible characters (space, full-width space,
  NBSP, LF, zero-width characters, BOM …: `LEADING`) is `= + - @` or their full-width forms `＝ ＋ － ＠`.

A negative number (`-5`) is prefixed too: Excel would evaluate `-1+1` and `-A1`, and a cell cannot be told
apart from a formula by its first character, so safety comes first (as OWASP advises).  The JSON files
keep every value unaltered.  No MkDocs here.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable

# Written with escapes only, so that the same two strings can be read in hyoka-filter.js (a test checks
# that Python and the browser agree on a list of hostile cells).
LEADING = "\\t\\n\\u000b\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200d\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff"
FORMULA = "=+\\-@\\uff1d\\uff0b\\uff0d\\uff20"
RISKY_PATTERN = f"^(?:[\\t\\r]|[{LEADING}]*[{FORMULA}])"
_RISKY = re.compile(RISKY_PATTERN)

BOM = "\ufeff"


def neutralise(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if _RISKY.match(s) else s


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The whole file as text: BOM, header row, data rows (every cell neutralised), CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(c) for c in header])
    for row in rows:
        w.writerow([neutralise(c) for c in row])
    return BOM + buf.getvalue()


def csv_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def dict_rows_csv(rows: Iterable[dict[str, Any]], columns: list[Any]) -> bytes:
    """Rows given as mappings, in the order of `columns` (a missing key is an empty cell)."""
    return csv_bytes(columns, ([row.get(c) for c in columns] for row in rows))
