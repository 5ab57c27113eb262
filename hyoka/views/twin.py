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


_NODE_FIELDS: dict[type, tuple[str, ...] | None] = {}  # a class → its dataclass fields shown (None: not a dataclass)


def _node_fields(cls: type) -> tuple[str, ...] | None:
    try:
        return _NODE_FIELDS[cls]
    except KeyError:
        got = tuple(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")) if dataclasses.is_dataclass(cls) else None
        _NODE_FIELDS[cls] = got
        return got


def plain(value: Any) -> Any:
    cls = type(value)
    if cls is str or value is None or cls is bool or cls is int or cls is float:  # the most frequent first
        return value
    if cls is list or cls is tuple:
        return [plain(v) for v in value]
    if cls is dict:
        return {str(k): plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Markup):
        return Markup(_TAG.sub("", str(value))).unescape()
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    names = _node_fields(cls)
    if names is not None:
        out = {"node": cls.__name__}
        for name in names:
            out[name] = plain(getattr(value, name))
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
