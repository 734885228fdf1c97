"""Template tags other apps' pages use through one `{% include %}` of a sites template."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.sites import policies, selectors
from minsheng.sites.models import PhotoCheck, Site, SiteValue

register = template.Library()


@register.simple_tag
def sites_of_item(item_id: int) -> list[Site]:
    """An item's sites (one query)."""
    return selectors.item_sites(item_id)


@register.simple_tag
def plan_map(plan: Any, public: bool = False) -> dict[str, Any] | None:
    """The map's data for a plan (outline, points, tiles), or None when there is nothing to draw."""
    return selectors.map_data(plan, public=public) if plan is not None else None


def _context_reports(context: template.Context, report: Any) -> list[Any]:
    """Reports the page lists (the review queue's rows, an item timeline's reports), with `report`."""
    found: list[Any] = []
    rows = context.get("rows")
    if rows:
        found = [getattr(row, "report", None) for row in rows]
    timeline = context.get("timeline")
    if not found and timeline is not None and getattr(timeline, "reports", None):
        found = list(timeline.reports)
    return [r for r in found if r is not None] + [report]


def _may_review(request: Any, report: Any) -> bool:
    """Reviewers and the office of the report's region (asked once per plan and request)."""
    user = getattr(request, "user", None)
    if user is None:
        return False
    allowed: dict[int, bool] = request.__dict__.setdefault("_sites_reviewer", {})
    plan = report.item.project.plan
    if plan.pk not in allowed:
        allowed[plan.pk] = policies.can_see_photo_checks(user, plan)
    return allowed[plan.pk]


@register.simple_tag(takes_context=True)
def photo_checks_of(context: template.Context, report: Any) -> list[PhotoCheck]:
    """The photo checks of `report` for a reviewer (nobody else): one query for every report of the page."""
    request = context.get("request")
    if request is None or not _may_review(request, report):
        return []
    memo: dict[int, list[PhotoCheck]] | None = getattr(request, "_sites_photo_checks", None)
    if memo is None or report.pk not in memo:
        ids = sorted({r.pk for r in _context_reports(context, report)})
        memo = {pk: [] for pk in ids} | selectors.photo_checks(ids)
        request._sites_photo_checks = memo
    return [check for check in memo.get(report.pk, []) if check.flags or check.taken_at or check.latitude]


@register.simple_tag(takes_context=True)
def site_values_of(context: template.Context, report: Any) -> list[tuple[str, list[tuple[str, Any, str]]]]:
    """The values per site behind `report`: [(site, [(target, value, unit)])], for a reviewer; one query
    for every report of the page."""
    request = context.get("request")
    if request is None or not _may_review(request, report):
        return []
    key = (report.item_id, report.period_id)
    memo: dict[tuple[int, int], list[SiteValue]] | None = getattr(request, "_sites_values", None)
    if memo is None or key not in memo:
        pairs = {(r.item_id, r.period_id) for r in _context_reports(context, report)}
        memo = {pair: [] for pair in pairs}
        for value in (
            SiteValue.objects.filter(
                site__item_id__in={i for i, _p in pairs}, period_id__in={p for _i, p in pairs}
            )
            .select_related("site", "target")
            .order_by("site__position", "site_id", "target__position")
        ):
            memo.setdefault((value.site.item_id, value.period_id), []).append(value)
        request._sites_values = memo
    rows: dict[int, tuple[str, list[tuple[str, Any, str]]]] = {}
    for value in memo.get(key, []):
        rows.setdefault(value.site_id, (value.site.name, []))[1].append(
            (value.target.quote, value.value, value.target.unit)
        )
    return list(rows.values())
