"""The navigation registry: each app names its own pages from its `AppConfig.ready`, `core` only lists them.

`core` is a leaf app, so it must not import the policies of the apps above it; instead they register a
`NavEntry` whose `visible` callable is their own policy. The base layout shows the entries a user may use,
in `order`, and marks the one the current page belongs to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    """One link of the main navigation.

    `visible(user)` is the owning app's policy; `badge(request)` an optional count shown next to the label;
    `current` lists the URL namespaces (``"plans"``) or names (``"progress:queue"``) that mark the link
    as the current page.
    """

    key: str
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    current: tuple[str, ...] = ()
    badge: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class NavLink:
    """An entry resolved for one request: where it points, whether it is the current page, its badge."""

    key: str
    label: str | Promise
    href: str
    is_current: bool = False
    badge: int = 0


_REGISTRY: dict[str, NavEntry] = {}


def nav_register(entry: NavEntry) -> None:
    """Add (or replace, by key) a navigation entry; called from each app's `AppConfig.ready`."""
    _REGISTRY[entry.key] = entry


def nav_entries() -> list[NavEntry]:
    """Every registered entry, in display order."""
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


def _is_current(entry: NavEntry, match: Any) -> bool:
    if match is None:
        return False
    for name in entry.current:
        if ":" in name and match.view_name == name:
            return True
        if ":" not in name and match.app_name == name:
            return True
    return False


_HREFS: dict[tuple[Any, str, str], str] = {}


def _href(url_name: str) -> str:
    """`reverse(url_name)`, remembered per URLconf and script prefix: the links take no arguments, and
    every signed-in page shows a dozen of them."""
    key = (get_urlconf(), get_script_prefix(), url_name)
    href = _HREFS.get(key)
    if href is None:
        href = _HREFS[key] = reverse(url_name)
    return href


def nav_links(request: Any, user: Any) -> list[NavLink]:
    """The links `user` may follow, resolved for this request (current page, badges)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    match = getattr(request, "resolver_match", None)
    links = []
    for entry in nav_entries():
        if not entry.visible(user):
            continue
        links.append(
            NavLink(
                key=entry.key,
                label=entry.label,
                href=_href(entry.url_name),
                is_current=_is_current(entry, match),
                badge=entry.badge(request) if entry.badge is not None and request is not None else 0,
            )
        )
    return links


def signed_in(user: Any) -> bool:
    """Visible to everyone signed in."""
    return bool(getattr(user, "is_authenticated", False))


# ---------------------------------------------------------------- the plan's "what next" strip


@dataclass(frozen=True)
class StepState:
    """Where a plan stands on one step: done or not, a short figure, and the page to act on it."""

    done: bool
    detail: str = ""
    href: str | None = None


@dataclass(frozen=True)
class PlanStep:
    """One step of preparing a plan (import → check → publish → periods → accounts → reporting).

    The app that owns the step registers it with `state(plan, user) -> StepState`.
    """

    key: str
    label: str | Promise
    order: int
    state: Callable[[Any, Any], StepState]


_STEPS: dict[str, PlanStep] = {}


def plan_step_register(step: PlanStep) -> None:
    """Add (or replace, by key) a step of the plan page's strip; called from `AppConfig.ready`."""
    _STEPS[step.key] = step


def plan_steps(plan: Any, user: Any) -> list[tuple[PlanStep, StepState]]:
    """The steps in order with their state for `plan`; the first one not done is what comes next."""
    return [
        (step, step.state(plan, user)) for step in sorted(_STEPS.values(), key=lambda s: (s.order, s.key))
    ]
