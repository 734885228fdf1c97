"""What progress pages show but an app above progress computes: items' lights (状态灯) and closing a
period (月末快照). `progress` imports nothing from `alerts` (alerts reads progress's models); alerts
registers its functions here from `AlertsConfig.ready` (docs/architecture.md).

- `item_lights(plans, item_ids=None)` — today's lights (the stored ones) of these items, `{item id: light}`.
- `item_statuses(plan, on=None, item_ids=None)` — lights as of a given day (computed).
- `light_values()` — every light's value ("on_track", "lagging", …), for the API's choices.
- `light_word(light)` · `light_colour(light)` — 正常, 滞后… and blue, green, yellow, red or grey.
- `period_close(*, acting_user, period)` · `periods_close_due(*, acting_user, plan)` — the services.

A light is whatever the provider returns (alerts' `ItemStatus`: `status`, `completion`, `expected`,
`targets`, `milestones`, `reasons`…); progress only passes it on to its templates and serializers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from minsheng.plans.models import Plan


@dataclass(frozen=True)
class Provider:
    """The functions an app above progress supplies."""

    item_lights: Callable[..., dict[int, Any]]
    item_statuses: Callable[..., dict[int, Any]]
    light_values: tuple[str, ...]
    period_close: Callable[..., Any]
    periods_close_due: Callable[..., Any]
    light_word: Callable[[Any], str]
    light_colour: Callable[[Any], str]


_provider: Provider | None = None


def register(provider: Provider) -> None:
    """Called once by the app that computes lights (alerts)."""
    global _provider
    _provider = provider


def _get() -> Provider:
    if _provider is None:
        raise RuntimeError("No light provider registered: is minsheng.alerts in INSTALLED_APPS?")
    return _provider


def item_lights(plans: Sequence[Plan], item_ids: Iterable[int] | None = None) -> dict[int, Any]:
    """Today's lights of the items of `plans` (only `item_ids` when given)."""
    return _get().item_lights(plans, item_ids=item_ids)


def item_statuses(
    plan: Plan, on: dt.date | None = None, item_ids: Iterable[int] | None = None
) -> dict[int, Any]:
    """Lights of a plan's items as of `on` (the plan's light day when None)."""
    return _get().item_statuses(plan, on, item_ids=item_ids)


def light_values() -> tuple[str, ...]:
    return _get().light_values


def light_word(light: Any) -> str:
    return _get().light_word(light)


def light_colour(light: Any) -> str:
    return _get().light_colour(light)


def period_close(*, acting_user: Any, period: Any) -> Any:
    return _get().period_close(acting_user=acting_user, period=period)


def periods_close_due(*, acting_user: Any, plan: Plan) -> Any:
    return _get().periods_close_due(acting_user=acting_user, plan=plan)
