"""The score maths (评分规则), free of the database so it can be checked by hand.

Each part is 0–100:
- on-time reporting: reports first submitted by their period's deadline ÷ reports due (deadline passed);
- completion against schedule: the unit's mean completion ÷ its mean 序时 (capped at 100; 100 when
  nothing is expected yet), from the stored lead-unit light;
- supervision notices: 100 − 20 per notice to the unit on the plan's items, at least 0;
- deputies' satisfaction: the mean satisfaction (%) of the rated projects the unit leads an item of;
- rectification: closed rectification tasks ÷ the unit's tasks (100 with none).
The last two apply only once the plan's satisfaction rating is closed; a part that does not apply has no
score and the total is the weighted mean of the parts that do: Σ weight × part ÷ Σ those weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from minsheng.participation.assessment.choices import Part

NOTICE_DEDUCTION = 20
ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


def rounded(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """What a lead unit's parts are computed from."""

    due: int = 0
    on_time: int = 0
    completion: float = 0.0
    expected: float = 0.0
    notices: int = 0
    satisfaction: list[Decimal] = field(default_factory=list)
    rated: bool = False  # the plan's satisfaction rating is closed
    tasks: int = 0
    tasks_closed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "due": self.due,
            "on_time": self.on_time,
            "completion": round(self.completion, 4),
            "expected": round(self.expected, 4),
            "notices": self.notices,
            "satisfaction": [str(s) for s in self.satisfaction],
            "rated": self.rated,
            "tasks": self.tasks,
            "tasks_closed": self.tasks_closed,
        }


def parts(figures: Figures) -> dict[str, Decimal | None]:
    """Each part's score (0–100, one decimal) or None when it does not apply."""
    on_time = HUNDRED * figures.on_time / figures.due if figures.due else HUNDRED
    if figures.expected > 0:
        completion = HUNDRED * min(
            Decimal(1), Decimal(str(figures.completion)) / Decimal(str(figures.expected))
        )
    else:
        completion = HUNDRED
    supervision = max(Decimal(0), HUNDRED - NOTICE_DEDUCTION * figures.notices)
    satisfaction: Decimal | None = None
    rectification: Decimal | None = None
    if figures.rated:
        if figures.satisfaction:
            satisfaction = sum(figures.satisfaction, Decimal(0)) / len(figures.satisfaction)
        rectification = HUNDRED * figures.tasks_closed / figures.tasks if figures.tasks else HUNDRED
    values: dict[str, Decimal | None] = {
        Part.ON_TIME: on_time,
        Part.COMPLETION: completion,
        Part.SUPERVISION: supervision,
        Part.SATISFACTION: satisfaction,
        Part.RECTIFICATION: rectification,
    }
    return {str(k): None if v is None else rounded(v) for k, v in values.items()}


def total(scores: Mapping[str, Decimal | None], weights: Mapping[str, int]) -> Decimal:
    """Σ weight × part ÷ Σ weight over the parts that apply (0 when none with weight applies)."""
    applying = {p: s for p, s in scores.items() if s is not None and weights.get(p, 0) > 0}
    weight = sum(weights[p] for p in applying)
    if not weight:
        return Decimal("0.0")
    return rounded(sum((weights[p] * s for p, s in applying.items()), Decimal(0)) / weight)


def ranks(totals: Mapping[int, Decimal]) -> dict[int, int]:
    """Rank per key, highest total first; equal totals share a rank (1, 1, 3)."""
    ordered = sorted(totals.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in totals.items()}
