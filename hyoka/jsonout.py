"""JSON text as `json.dumps(value, ensure_ascii=False, indent=N)` writes it, byte for byte, faster.

The standard library encodes with C only without `indent`; with it (every JSON twin and data file of the
site is written with `indent=1`) it runs a Python generator per value, which cost as much as rendering
an assessment page.  `dumps` writes the same text from one recursive function with the common types
inline; any value it does not handle itself (a type that `json` would reject or a subclass it would treat
otherwise) makes it fall back to `json.dumps`, so the text is always the standard library's
(tests/test_jsonout.py compares them on the real site's data and on awkward values).

No MkDocs here.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function where there is one (ensure_ascii=False)
from typing import Any

_INF = float("inf")


class _Other(Exception):
    """A value this module leaves to json.dumps."""


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return float.__repr__(o)


def _key(k: object) -> str:
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, float):
        return encode_basestring(_float(k))
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return encode_basestring(int.__repr__(k))
    raise _Other


def _encode(o: Any, out: list[str], nl: str, step: str) -> None:
    t = type(o)
    if t is str:
        out.append(encode_basestring(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif t is int:
        out.append(int.__repr__(o))
    elif t is dict:
        if not o:
            out.append("{}")
            return
        inner = nl + step
        sep = "{" + inner
        more = "," + inner
        append = out.append
        for k, v in o.items():
            append(sep)
            sep = more
            append(encode_basestring(k) if type(k) is str else _key(k))
            append(": ")
            tv = type(v)
            if tv is str:
                append(encode_basestring(v))
            elif v is None:
                append("null")
            elif tv is int:
                append(int.__repr__(v))
            else:
                _encode(v, out, inner, step)
        append(nl + "}")
    elif t is list or t is tuple:
        if not o:
            out.append("[]")
            return
        inner = nl + step
        sep = "[" + inner
        more = "," + inner
        append = out.append
        for v in o:
            append(sep)
            sep = more
            if type(v) is str:
                append(encode_basestring(v))
            else:
                _encode(v, out, inner, step)
        append(nl + "]")
    elif t is float:
        out.append(_float(o))
    elif isinstance(o, str):  # a str subclass (Markup): its text, as json writes it
        out.append(encode_basestring(o))
    else:
        raise _Other  # int and float subclasses, dict and list subclasses, anything else: json's own way


def dumps(value: Any, indent: int = 1) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=indent)` (same text; the same errors, from json)."""
    out: list[str] = []
    try:
        _encode(value, out, "\n", " " * indent)
    except (_Other, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(out)
