"""The parsed plan: frozen-free dataclasses mirroring Plan JSON (shared/spec/plan-json.md).

Glossary: Plan 清单, Project 项目, Item 主要内容条目, Target 目标指标, Milestone 节点.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def _number(value: Decimal) -> int | float:
    """Decimal → the JSON number a person would write (3500, not 3500.0; 1.25 stays 1.25)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass
class Target:
    """目标指标: a quantity the item commits to (value, unit, qualifier)."""

    quote: str
    value: Decimal
    unit: str
    op: str = "="  # one of "=", ">=", "<=", "~"
    baseline: Decimal | None = None
    range_max: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "quote": self.quote,
            "value": _number(self.value),
            "unit": self.unit,
            "op": self.op,
        }
        if self.baseline is not None:
            out["baseline"] = _number(self.baseline)
        if self.range_max is not None:
            out["range_max"] = _number(self.range_max)
        return out


@dataclass
class Milestone:
    """节点: a named work and the state it must reach this year (启动建设, 投入使用, …)."""

    quote: str
    subject: str
    state: str

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "subject": self.subject, "state": self.state}


@dataclass
class Item:
    """主要内容条目: one row or paragraph of content under a project."""

    text: str
    lead_units: list[str] = field(default_factory=list)
    partner_units: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # columns outside the text: 完成时限, 投资 …
    location: str = ""  # where it came from, e.g. "line 12" or "table 1, row 4"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "lead_units": list(self.lead_units),
            "partner_units": list(self.partner_units),
            "targets": [t.to_dict() for t in self.targets],
            "milestones": [m.to_dict() for m in self.milestones],
        }
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out


@dataclass
class Confidence:
    """How sure the parser is of a reading: `high`, `medium` or `low`, with the reasons a person should
    look at (a close alternative reading, a numbering gap, an entry without units …)."""

    level: str = "high"
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, data: Any) -> Confidence:
        if not isinstance(data, dict):
            return cls()
        level = data.get("level")
        return cls(
            level=level if level in ("high", "medium", "low") else "high",
            reasons=[str(r) for r in data.get("reasons", []) if r],
        )

    def lower(self, level: str, reason: str) -> None:
        """Lower the level to `level` (never raise it) and record why."""
        order = ("low", "medium", "high")
        if order.index(level) < order.index(self.level):
            self.level = level
        if reason not in self.reasons:
            self.reasons.append(reason)


@dataclass
class Project:
    """项目: a numbered project with its items."""

    no: int
    name: str
    alias: str | None = None
    category: str | None = None
    starred: bool = False
    items: list[Item] = field(default_factory=list)
    confidence: Confidence = field(default_factory=Confidence)
    count_note: str | None = None  # `(项目6个,其中…)` after the name: a count of sub-projects

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"no": self.no, "name": self.name, "alias": self.alias}
        if self.category is not None:
            out["category"] = self.category
        if self.count_note is not None:
            out["count_note"] = self.count_note
        if self.starred:
            out["starred"] = True
        out["confidence"] = self.confidence.to_dict()
        out["items"] = [i.to_dict() for i in self.items]
        return out


@dataclass
class ParseWarning:
    """Something a person should check, with where it is."""

    location: str
    message: str
    code: str = "check"

    def to_dict(self) -> dict[str, str]:
        return {"location": self.location, "code": self.code, "message": self.message}


@dataclass
class Plan:
    """清单: the whole list."""

    region: str | None = None
    year: int | None = None
    title: str | None = None
    projects: list[Project] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source: str | None = None  # file name, when parsed from a file
    truncated: bool = False
    confidence: Confidence = field(default_factory=Confidence)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "region": self.region,
            "year": self.year,
            "title": self.title,
            "confidence": self.confidence.to_dict(),
            "projects": [p.to_dict() for p in self.projects],
            "warnings": [w.to_dict() for w in self.warnings],
        }
        if self.truncated:
            out["truncated"] = True
        if self.source:
            out["source"] = self.source
        return out

    def content_projects(self) -> list[dict[str, Any]]:
        """The projects as Plan JSON without the parser's confidence: what an import stores and an
        export gives back."""
        return [{k: v for k, v in p.to_dict().items() if k != "confidence"} for p in self.projects]

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """Rebuild a Plan from Plan JSON (used by import of .json files and by round-trip tests)."""
        std_item_keys = {"text", "lead_units", "partner_units", "targets", "milestones", "location"}
        projects = []
        for p in data.get("projects", []):
            items = []
            for i in p.get("items", []):
                targets = [
                    Target(
                        quote=t.get("quote", ""),
                        value=Decimal(str(t["value"])),
                        unit=t.get("unit", ""),
                        op=t.get("op", "="),
                        baseline=Decimal(str(t["baseline"])) if t.get("baseline") is not None else None,
                        range_max=Decimal(str(t["range_max"])) if t.get("range_max") is not None else None,
                    )
                    for t in i.get("targets", [])
                ]
                milestones = [
                    Milestone(
                        quote=m.get("quote", ""), subject=m.get("subject", ""), state=m.get("state", "")
                    )
                    for m in i.get("milestones", [])
                ]
                extra = {k: v for k, v in i.items() if k not in std_item_keys}
                items.append(
                    Item(
                        text=i.get("text", ""),
                        lead_units=list(i.get("lead_units", [])),
                        partner_units=list(i.get("partner_units", [])),
                        targets=targets,
                        milestones=milestones,
                        extra=extra,
                    )
                )
            projects.append(
                Project(
                    no=int(p["no"]),
                    name=p.get("name", ""),
                    alias=p.get("alias"),
                    category=p.get("category"),
                    starred=bool(p.get("starred", False)),
                    items=items,
                    confidence=Confidence.from_dict(p.get("confidence")),
                    count_note=p.get("count_note"),
                )
            )
        warnings = [
            ParseWarning(
                location=w.get("location", ""), message=w.get("message", ""), code=w.get("code", "check")
            )
            for w in data.get("warnings", [])
        ]
        return cls(
            region=data.get("region"),
            year=data.get("year"),
            title=data.get("title"),
            projects=projects,
            warnings=warnings,
            truncated=bool(data.get("truncated", False)),
            confidence=Confidence.from_dict(data.get("confidence")),
        )
