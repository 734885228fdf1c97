"""Dashboard pages: the overview with charts and the list of items behind any figure."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from minsheng.alerts.status import Status
from minsheng.core.views import signed_in_user
from minsheng.dashboard import charts, fragments, money, regions, selectors
from minsheng.dashboard.policies import can_use_dashboard
from minsheng.funds.lights import fund_lights
from minsheng.interchange.exporters.services import FORMATS, plan_document
from minsheng.orgs.models import Region
from minsheng.plans.models import Plan


def _int(value: str | None) -> int | None:
    """A whole number from the query string, or None (also beyond 64 bits, which SQLite cannot bind)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and abs(number) < 2**63 else None


def _context(request: HttpRequest) -> dict[str, Any]:
    """The chosen plan (by ?plan=, else ?year=, else the newest) and filters, checked against the user."""
    if not can_use_dashboard(request.user):
        raise PermissionDenied
    plans = selectors.dashboard_plans(request.user)
    plan_id, year = _int(request.GET.get("plan")), _int(request.GET.get("year"))
    plan: Plan | None = None
    if plan_id is not None:
        plan = next((p for p in plans if p.pk == plan_id), None)
        if plan is None:
            raise Http404
    elif year is not None:
        plan = next((p for p in plans if p.year == year), None)
    elif plans:
        plan = selectors.default_plan(request.user, plans)
    status = request.GET.get("status") or None
    filters = selectors.Filters(
        project_id=_int(request.GET.get("project")),
        unit_id=_int(request.GET.get("unit")),
        town_id=_int(request.GET.get("town")),
        status=status if status in Status._value2member_map_ else None,
    )
    years = sorted({p.year for p in plans}, reverse=True)
    return {"plans": plans, "plan": plan, "filters": filters, "years": years}


def _linker(plan: Plan, filters: selectors.Filters) -> charts.Link:
    base = reverse("dashboard:items")

    def link(**override: Any) -> str:
        return f"{base}?{urlencode({'plan': plan.pk, **filters.query(**override)})}"

    return link


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Headline figures, charts and the red list for one plan (the body shared: dashboard.fragments)."""
    if not can_use_dashboard(request.user):
        raise PermissionDenied
    page = fragments.shared_body(request, "overview", lambda: _overview_body(request))
    return render(request, "dashboard/overview.html", {**page, "body": mark_safe(page["body"])})


def _overview_body(request: HttpRequest) -> dict[str, Any]:
    context = _context(request)
    plan = context["plan"]
    if plan is not None:
        board = selectors.dashboard(plan, context["filters"])
        link = _linker(plan, context["filters"])
        funds = money.funds_board(board)
        context.update(
            board=board,
            funds=funds,
            funds_height=charts.bar_height(len(funds.projects)),
            choices=selectors.filter_choices(plan),
            charts={**charts.all_charts(board, link), **money.funds_charts(funds, link)},
            projects_height=charts.bar_height(len(board.projects)),
            units_height=charts.bar_height(len(board.units)),
            link_status={str(s): link(status=str(s)) for s in Status},
            link_all=link(status=None),
            link_overdue=link(status=None) + "&overdue=1",
        )
    body = render_to_string("dashboard/_overview_body.html", context, request)
    return {"body": str(body), "has_board": plan is not None}


@require_safe
@login_required
def items(request: HttpRequest) -> HttpResponse:
    """The items behind a figure: the same filters, as a table (the body shared: dashboard.fragments)."""
    if not can_use_dashboard(request.user):
        raise PermissionDenied
    page = fragments.shared_body(request, "items", lambda: _items_body(request))
    return render(request, "dashboard/items.html", {"body": mark_safe(page["body"])})


def _items_body(request: HttpRequest) -> dict[str, Any]:
    context = _context(request)
    plan = context["plan"]
    if plan is None:
        raise Http404
    board = selectors.dashboard(plan, context["filters"])
    rows = board.items
    if request.GET.get("overdue"):
        rows = [r for r in rows if r.status.report_overdue]
    fund = (
        fund_lights([plan], [r.pk for r in rows]) if rows else {}
    )  # the fund light beside the progress light
    context.update(board=board, rows=rows, fund=fund, choices=selectors.filter_choices(plan))
    return {"body": str(render_to_string("dashboard/_items_body.html", context, request))}


@require_safe
@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The chosen plan's progress table (.xlsx), official attachment (.docx/.xlsx) or open data (.csv)."""
    context = _context(request)
    plan = context["plan"]
    if plan is None or fmt not in FORMATS:
        raise Http404
    exported = plan_document(acting_user=signed_in_user(request), plan=plan, fmt=fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = content_disposition_header(True, exported.filename) or "attachment"
    return response


@require_safe
@login_required
def districts(request: HttpRequest) -> HttpResponse:
    """多级汇总: a city or province leader's districts in one year, ranked."""
    if not can_use_dashboard(request.user):
        raise PermissionDenied
    board = regions.districts_board(request.user, _int(request.GET.get("year")))
    context: dict[str, Any] = {"districts_board": board}
    if board is not None:
        context.update(
            charts={"chart-districts": money.districts_chart(board)},
            districts_height=charts.bar_height(len(board.rows)),
        )
    return render(request, "dashboard/districts.html", context)


@require_safe
@login_required
def compare(request: HttpRequest, region_id: int) -> HttpResponse:
    """A district's years side by side (its region must be the person's or under it)."""
    if not can_use_dashboard(request.user):
        raise PermissionDenied
    allowed = {r.pk: r for r in regions.comparable_districts(request.user)}
    region = allowed.get(region_id)
    if region is None:
        get_object_or_404(Region, pk=region_id)
        raise Http404  # a district outside the person's region: nothing to see
    rows = regions.years_board(region)
    context = {"region": region, "rows": rows, "charts": {"chart-years": money.years_chart(rows)}}
    return render(request, "dashboard/compare.html", context)
