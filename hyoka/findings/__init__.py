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
from typing import Callable, Iterable

from ..schema import Assessment

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


def run_rules(assessments: Iterable[Assessment], today: dt.date | None = None) -> list[Finding]:
    from . import consistency, procedure, substance  # noqa: F401  (registers the rules)

    ctx = Context(today or dt.date.today())
    out: list[Finding] = []
    for doc in assessments:
        for r in RULES.values():
            out.extend(r.check(doc, ctx))
    return out


def quote(text: str | None, limit: int = 120) -> str:
    """「…」 around printed text, shortened for the evidence column."""
    if text is None:
        return "（記載なし）"
    t = " ".join(str(text).split())
    return f"「{t if len(t) <= limit else t[:limit] + '…'}」"
