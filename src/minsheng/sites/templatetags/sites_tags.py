"""Template tags other apps' pages use through one `{% include %}` of a sites template."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.sites import policies, selectors
from minsheng.sites.models import PhotoCheck, Site

register = template.Library()


@register.simple_tag
def sites_of_item(item_id: int) -> list[Site]:
    """An item's sites (one query)."""
    return selectors.item_sites(item_id)


@register.simple_tag
def plan_map(plan: Any, public: bool = False) -> dict[str, Any] | None:
    """The map's data for a plan (outline, points, tiles), or None when there is nothing to draw."""
    return selectors.map_data(plan, public=public) if plan is not None else None


def _context_reports(context: template.Context) -> list[Any]:
    """Reports the page lists: the review queue's rows, or an item timeline's reports."""
    rows = context.get("rows")
    if rows:
        return [getattr(row, "report", None) or row.get("report") for row in rows]
    timeline = context.get("timeline")
    if timeline is not None and getattr(timeline, "reports", None):
        return list(timeline.reports)
    return []


@register.simple_tag(takes_context=True)
def photo_checks_of(context: template.Context, report: Any) -> list[PhotoCheck]:
    """The photo checks of `report` for a reviewer (nobody else): one query for every report of the page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None:
        return []
    allowed: dict[int, bool] = request.__dict__.setdefault("_sites_photo_allowed", {})
    plan = report.item.project.plan
    if plan.pk not in allowed:
        allowed[plan.pk] = policies.can_see_photo_checks(user, plan)
    if not allowed[plan.pk]:
        return []
    memo: dict[int, list[PhotoCheck]] | None = getattr(request, "_sites_photo_checks", None)
    if memo is None or report.pk not in memo:
        reports = [r for r in _context_reports(context) if r is not None] or [report]
        ids = sorted({r.pk for r in reports} | {report.pk})
        memo = {pk: [] for pk in ids} | selectors.photo_checks(ids)
        request._sites_photo_checks = memo  # type: ignore[union-attr]
    return [check for check in memo.get(report.pk, []) if check.flags or check.taken_at or check.latitude]
