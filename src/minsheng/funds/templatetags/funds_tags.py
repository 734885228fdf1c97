"""Template helpers of the funds app: amounts in 万元 and an item's money for its pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from minsheng.funds.selectors import (
    ItemFunds,
    ReviewFunds,
    item_funds,
    report_funds_by_report,
    review_funds,
)

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """1200.0000 → 1,200; 12.3456 → 12.35; None → —."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).quantize(Decimal("0.01"))
    text = f"{number:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def of_source(planned: dict[str, Decimal], source: str) -> Decimal | None:
    return planned.get(source)


@register.filter
def light_of(lights: dict[int, Any], item_id: int) -> Any:
    """An item's fund light from a dict of them (None when it has no planned money)."""
    return lights.get(item_id)


@register.simple_tag
def funds_of_item(item: Any) -> ItemFunds:
    """An item's planned money per source and its fund light (public item page)."""
    return item_funds(item)


@register.simple_tag(takes_context=True)
def funds_under_review(context: Any, report: Any) -> ReviewFunds | None:
    """A report's money on the review queue: read for every report of the page at once (kept on the request)."""
    request = context.get("request")
    found = getattr(request, "_funds_review", None)
    if found is None:
        found = review_funds([row.report for row in context.get("rows", [])])
        if request is not None:
            request._funds_review = found
    return found.get(report.pk)


@register.simple_tag(takes_context=True)
def funds_of_report(context: Any, report: Any) -> Any:
    """A report's money on the item's internal timeline: the funds of every report of the timeline are
    read at once (one query, kept on the request), so the page costs the same for any number of reports."""
    request = context.get("request")
    found = getattr(request, "_funds_timeline", None)
    if found is None:
        timeline = context.get("timeline")
        found = report_funds_by_report([r.pk for r in getattr(timeline, "reports", None) or [report]])
        if request is not None:
            request._funds_timeline = found
    return found.get(report.pk)
