"""Auditor findings: rules that check each assessment against the form's own logic and the rules.

A rule is a small function `(assessment, ctx) -> Iterable[Finding]`, registered with `@rule(...)` in one
module per family (consistency, procedure, substance).  A finding is a neutral statement about the
document, with the evidence quoted and the exact item it concerns (path + anchor for a permalink).

    from hyoka.findings import run_rules
    findings = run_rules(corpus.assessments, today=datetime.date.today())
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Callable, Iterable

from ..schema import Assessment

if TYPE_CHECKING:
    from ..cache import DocCache

SEVERITIES = ("要対応", "要確認", "参考")  # must act / should check / for information


@dataclasses.dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    basis: str
    family: str
    check: Callable[[Assessment, "Context"], Iterable["Finding"]]


@dataclasses.dataclass(frozen=True)
class Finding:
    rule_id: str
    assessment_id: str
    path: str  # model path of the item, e.g. files[0].entrustment
    anchor: str | None  # in-page anchor (hyoka.anchors) for the permalink
    statement: str  # neutral statement about the document
    evidence: str  # quoted text from the document

    @property
    def rule(self) -> Rule:
        return RULES[self.rule_id]


@dataclasses.dataclass(frozen=True)
class Context:
    today: dt.date


RULES: dict[str, Rule] = {}


def rule(id: str, title: str, severity: str, basis: str) -> Callable:
    if severity not in SEVERITIES:
        raise ValueError(severity)

    def deco(fn: Callable[[Assessment, Context], Iterable[Finding]]) -> Callable:
        family = fn.__module__.rsplit(".", 1)[-1]
        if id in RULES:
            raise ValueError(f"duplicate rule id {id}")
        RULES[id] = Rule(id, title, severity, basis, family, fn)
        return fn

    return deco


def finding(rule_id: str, doc: Assessment, path: str, anchor: str | None, statement: str, evidence: str) -> Finding:
    return Finding(rule_id, doc.id, path, anchor, statement, evidence)


def run_rules(assessments: Iterable[Assessment], today: dt.date | None = None, cache: "DocCache | None" = None) -> list[Finding]:
    """Every finding of every assessment, in order.  `cache` (hyoka.cache, e.g. `corpus.cache`): an
    assessment's findings are read from it when its source and the day are those of a cached entry
    (a rule depends on the document and today only)."""
    from . import consistency, procedure, substance  # noqa: F401  (registers the rules)

    ctx = Context(today or dt.date.today())
    out: list[Finding] = []
    for doc in assessments:
        src = cache.source(doc.id) if cache is not None else None
        if src is None:
            out.extend(_check(doc, ctx))
            continue
        key = cache.key("findings", src, ctx.today.isoformat())
        got = _cached(cache, key, doc)
        if got is None:
            got = _check(doc, ctx)
            cache.put("findings", key, [[f.rule_id, f.path, f.anchor, f.statement, f.evidence] for f in got])
        out.extend(got)
    return out


def _check(doc: Assessment, ctx: Context) -> list[Finding]:
    return [f for r in RULES.values() for f in r.check(doc, ctx)]


def _cached(cache: "DocCache", key: str, doc: Assessment) -> list[Finding] | None:
    rows = cache.get("findings", key)
    if rows is None:
        return None
    try:
        found = [Finding(str(rid), doc.id, str(path), None if anchor is None else str(anchor), str(st), str(ev))
                 for rid, path, anchor, st, ev in rows]
        if any(f.rule_id not in RULES for f in found):
            raise ValueError("unknown rule")
        return found
    except (ValueError, TypeError):
        cache.reject("findings")
        return None


def quote(text: str | None, limit: int = 120) -> str:
    """「…」 around printed text, shortened for the evidence column."""
    if text is None:
        return "（記載なし）"
    t = " ".join(str(text).split())
    return f"「{t if len(t) <= limit else t[:limit] + '…'}」"
