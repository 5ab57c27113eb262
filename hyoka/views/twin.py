"""A page's JSON twin: the view's context as plain JSON values.

    context = {...}                                    # what the template gets
    Page(path, title, render("x.md", **context), data=plain(context))

`plain` turns the values a view prepares (hyoka.nodes dataclasses, Markup, tuples, dates) into JSON:
a node becomes an object with its fields and `"node": "<its class name>"`; Markup becomes its text
without tags (the twin never holds markup); sets become sorted lists.  Keys starting with `_` are left
out (view internals).  No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from markupsafe import Markup

_TAG = re.compile(r"<[^>]*>")


def plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Markup):
        return Markup(_TAG.sub("", str(value))).unescape()
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"node": type(value).__name__}
        for f in dataclasses.fields(value):
            if not f.name.startswith("_"):
                out[f.name] = plain(getattr(value, f.name))
        return out
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "model_dump"):  # a pydantic model (hyoka.schema)
        return plain(value.model_dump(mode="json"))
    raise TypeError(f"no JSON form for {type(value).__name__}")
