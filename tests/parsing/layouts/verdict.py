"""Parse one rendering and judge it against its expected gold, with the official scorer.

A case passes when the structure is exact (the same project numbers and no others, names, aliases,
item counts, both unit lists, and the category of each project) and targets reach F1 >= 0.97
(score_plan.py's (value, unit) matching per aligned item). `problems` says what differs, first
difference of each kind with its project, so a report line points at the rule that failed.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from score_corpora import HERE as PARSING_TESTS
from score_corpora import f1, load_module

from minsheng.parsing import ParseError, parse_bytes, parse_text

from .render import Case, render

MIN_F1 = 0.97


@functools.cache
def _score() -> Any:
    return load_module("score_plan", PARSING_TESTS / "score_plan.py").score


@dataclass
class Verdict:
    family: str
    gold: str
    structure_ok: bool
    f1: float
    problems: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # per problem: parse error, numbers, name, alias, …

    @property
    def ok(self) -> bool:
        return self.structure_ok and self.f1 >= MIN_F1

    def summary(self) -> str:
        head = f"{self.family} × {self.gold}: structure {'ok' if self.structure_ok else 'WRONG'}, F1 {self.f1:.3f}"
        return head + "".join(f"\n  - {p}" for p in self.problems)


def targets_f1(s: Counter) -> float:
    """F1 of the targets; a gold without targets scores 1.0 when nothing spurious was found."""
    if s["tp"] + s["fn"] == 0:
        return 1.0 if s["fp"] == 0 else 0.0
    return f1(s)[0]


def parse_case(case: Case) -> dict[str, Any]:
    """The Plan JSON of the case's document; a ParseError becomes an empty plan with its message."""
    try:
        if isinstance(case.document, bytes):
            plan = parse_bytes(case.document, name=case.filename)
        else:
            plan = parse_text(case.document, name=case.filename)
    except ParseError as exc:
        return {"projects": [], "error": str(exc)}
    return plan.to_dict()


def judge(case: Case, pred: dict[str, Any]) -> Verdict:
    gold = case.expected
    s = _score()(gold, pred)
    problems: list[str] = []
    kinds: list[str] = []

    def problem(kind: str, text: str) -> None:
        kinds.append(kind)
        problems.append(text)

    if "error" in pred:
        problem("parse error", f"ParseError: {pred['error']}")
    n = len(gold["projects"])
    want_nos = [p["no"] for p in gold["projects"]]
    got_nos = [p.get("no") for p in pred.get("projects", [])]
    if got_nos != want_nos:
        problem("numbers", f"project numbers {_short(got_nos)}, want {_short(want_nos)}")
    by_no = {p.get("no"): p for p in pred.get("projects", [])}
    checks = [
        ("name", lambda g, p: p.get("name") == g["name"], lambda p: p.get("name")),
        ("alias", lambda g, p: p.get("alias") == g.get("alias"), lambda p: p.get("alias")),
        ("category", lambda g, p: p.get("category") == g.get("category"), lambda p: p.get("category")),
        (
            "item count",
            lambda g, p: len(p.get("items", [])) == len(g["items"]),
            lambda p: len(p.get("items", [])),
        ),
    ]
    structure_ok = got_nos == want_nos
    for label, same, shown in checks:
        wrong = [g for g in gold["projects"] if g["no"] in by_no and not same(g, by_no[g["no"]])]
        if wrong:
            structure_ok = False
            g = wrong[0]
            want = {"name": g["name"], "alias": g.get("alias"), "category": g.get("category")}.get(
                label, len(g["items"])
            )
            problem(
                label,
                f"{label} wrong in {len(wrong)}/{n} projects, e.g. P{g['no']}: {_clip(shown(by_no[g['no']]))!r}"
                f", want {_clip(want)!r}",
            )
    if s["units_ok"] != s["units_total"]:
        structure_ok = False
        problem("units", f"units {s['units_ok']}/{s['units_total']}{_first_unit_miss(gold, by_no)}")
    score = targets_f1(s)
    if score < MIN_F1:
        problem("targets", f"targets tp {s['tp']} fn {s['fn']} fp {s['fp']}")
    return Verdict(case.family, case.gold, structure_ok, score, problems, kinds)


def _first_unit_miss(gold: dict[str, Any], by_no: dict[Any, dict[str, Any]]) -> str:
    for g in gold["projects"]:
        p = by_no.get(g["no"])
        if p is None:
            continue
        for index, gi in enumerate(g["items"]):
            items = p.get("items", [])
            pi = items[index] if index < len(items) else {}
            for key in ("lead_units", "partner_units"):
                if list(pi.get(key, [])) != gi[key]:
                    return f", e.g. P{g['no']}.{index + 1} {key} {pi.get(key)} want {gi[key]}"
    return ""


def _short(values: list[Any]) -> str:
    return str(values) if len(values) <= 8 else f"{values[:4]}…{values[-2:]} ({len(values)})"


def _clip(value: Any, width: int = 40) -> Any:
    if isinstance(value, str) and len(value) > width:
        return value[:width] + "…"
    return value


def evaluate(family: str, gold: str, keep: slice | None = None) -> Verdict:
    case = render(family, gold, keep)
    return judge(case, parse_case(case))
