"""Role × URL × method → status, for every URL pattern of the project (pages and API).

The resolver is walked: a URL name missing from MATRIX fails `test_every_url_is_in_the_matrix`, so a
new page or endpoint cannot ship without saying who may use it. Each case runs every role against one
scenario; each request runs inside a savepoint that is rolled back, so writes by one role do not
change what the next role sees.

Roles: anonymous; office; reviewer; reporter (of the lead unit of the scenario's item); other (a
reporter of a unit with no part in the plan); leader; deputy. Django admin is one rule (404 for all of
them: it is the system administrator's, tests/accounts/test_admin_site.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from factories import PASSWORD
from minsheng.bulletins.models import Bulletin
from minsheng.interchange.models import ImportBatch
from minsheng.notifications.models import Notification
from minsheng.progress.services import evidence_add, extension_request, report_approve, report_submit
from minsheng.supervision.services import notice_issue, notice_reply
from progress.factories import World, build_world, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "office", "reviewer", "reporter", "other", "leader", "deputy")


@dataclass
class Scenario:
    """A published 2024 plan whose item lags today, with reports and notices in every state."""

    world: World
    submitted: Any  # January's report, submitted
    draft: Any  # February's report, a draft
    notice: Any  # issued
    replied: Any  # replied, awaiting a decision
    notification: Any  # one of the lead reporter's
    batch: Any  # an uploaded list awaiting the office's confirmation
    approved: Any  # March's report, approved, with a photo
    photo: Any  # its evidence
    extension: Any  # a pending extension request of the lead unit
    bulletin: Any  # a finished bulletin for January

    def user(self, role: str) -> Any:
        w = self.world
        return {
            "anonymous": None,
            "office": w.office,
            "reviewer": w.reviewer,
            "reporter": w.reporter,
            "other": w.other_reporter,
            "leader": w.leader,
            "deputy": w.deputy,
        }[role]


def build_scenario(district: Any) -> Scenario:
    world = build_world(district)
    submitted = filled_report(world, world.item, world.period(1))
    report_submit(acting_user=world.reporter, report=submitted)
    draft = filled_report(world, world.item, world.period(2))
    today = timezone.localdate()
    notice = notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="进度滞后",
        measures="加快推进",
        reply_deadline=today,
    )
    replied = notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="未按时报送",
        measures="按时报送",
        reply_deadline=today,
    )
    notice_reply(acting_user=world.reporter, notice=replied, text="已整改")
    notification = Notification.objects.filter(user=world.reporter).order_by("pk").first()
    batch = ImportBatch.objects.create(
        region=district,
        year=2025,
        title="2025年民生实事项目清单",
        source_name="list.txt",
        created_by=world.office,
    )
    approved = filled_report(world, world.item, world.period(3))
    photo = evidence_add(
        acting_user=world.reporter,
        report=approved,
        upload=SimpleUploadedFile("site.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    report_submit(acting_user=world.reporter, report=approved)
    approved = report_approve(acting_user=world.reviewer, report=approved)
    extension = extension_request(
        acting_user=world.reporter,
        target=world.item.targets.get(),
        requested_due_date=dt.date(2025, 6, 30),
        reason="征地延误",
    )
    bulletin = Bulletin.objects.create(
        plan=world.plan, period=world.period(1), state="done", requested_by=world.office, progress=100
    )
    bulletin.file.save("bulletin.docx", ContentFile(b"PK bulletin"), save=True)
    return Scenario(
        world, submitted, draft, notice, replied, notification, batch, approved, photo, extension, bulletin
    )


def expect(
    anonymous: int, office: int, reviewer: int, reporter: int, other: int, leader: int, deputy: int
) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, office, reviewer, reporter, other, leader, deputy), strict=True))


def same(anonymous: int, everyone: int) -> dict[str, int]:
    return expect(anonymous, *(everyone,) * 6)


@dataclass
class Case:
    """One URL name and method, how to fill it in from the scenario, and the status each role gets."""

    name: str
    method: str
    expected: dict[str, int]
    kwargs: Callable[[Scenario], dict[str, Any]] = lambda s: {}
    body: Callable[[Scenario, Any], dict[str, Any]] = lambda s, user: {}
    query: str = ""
    json: bool = False
    # An app's own rows (tests/<app>/permission_matrix.py) add their objects to the scenario first.
    extend: Callable[[Scenario], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.name} {self.method}"


def item(s: Scenario) -> dict[str, Any]:
    return {"pk": s.world.item.pk}


def plan(s: Scenario) -> dict[str, Any]:
    return {"pk": s.world.plan.pk}


def pk(attr: str) -> Callable[[Scenario], dict[str, Any]]:
    return lambda s: {"pk": getattr(s, attr).pk}


def wpk(attr: str) -> Callable[[Scenario], dict[str, Any]]:
    return lambda s: {"pk": getattr(s.world, attr).pk}


def target(s: Scenario) -> dict[str, Any]:
    return {"pk": s.world.item.targets.get().pk}


def milestone(s: Scenario) -> dict[str, Any]:
    return {"pk": s.world.item.milestones.get().pk}


def period(s: Scenario) -> dict[str, Any]:
    return {"pk": s.world.period(1).pk}


def api(name: str, method: str, expected: dict[str, int], **extra: Any) -> Case:
    return Case(f"api:{name}", method, expected, json=True, **extra)


PAGE_READ_PLAN = expect(302, 200, 200, 200, 403, 200, 200)
PAGE_OFFICE = expect(302, 302, 403, 403, 403, 403, 403)
PAGE_OFFICE_FORM = expect(302, 200, 403, 403, 403, 403, 403)
PAGE_REVIEWERS = expect(302, 200, 200, 403, 403, 403, 403)
PAGE_LEAD_UNIT = expect(302, 403, 403, 200, 403, 403, 403)
PAGE_SHEET = expect(302, 200, 403, 200, 200, 403, 403)  # the office, or a reporter for its unit
DASHBOARD = expect(302, 200, 403, 403, 403, 200, 200)  # deputies read the dashboard
BULLETINS = expect(302, 200, 200, 403, 403, 200, 200)  # deputies read bulletins

# Reused rows: who reads a published plan's objects, who sees the lead unit's own objects.
API_READ_PLAN = expect(401, 200, 200, 200, 404, 200, 200)
API_LIST = same(401, 200)
API_OWN_DRAFT = expect(401, 403, 403, 200, 404, 403, 404)  # content of an unapproved report
API_DECIDE = expect(401, 200, 200, 403, 404, 403, 404)


def report_body(s: Scenario, user: Any) -> dict[str, Any]:
    t = s.world.item.targets.get()
    return {
        "item": s.world.item.pk,
        "period": s.world.period(4).pk,  # a month with no report yet
        "target_values": [{"target": t.pk, "value": 3}],
        "progress": "推进中",
    }


def notice_body(s: Scenario, user: Any) -> dict[str, Any]:
    deadline = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    return {"item": s.world.item.pk, "reason": "滞后", "measures": "加快", "reply_deadline": deadline}


def notice_form(s: Scenario, user: Any) -> dict[str, Any]:
    return {**notice_body(s, user), "unit": s.world.lead.pk}


def token_body(s: Scenario, user: Any) -> dict[str, Any]:
    return {"username": user.username if user else "nobody", "password": PASSWORD}


MATRIX: list[Case] = [
    # ---- the site's frame: start page, language, sign-in
    Case("home", "GET", same(200, 200)),
    Case("healthz", "GET", same(200, 200)),
    Case("set_language", "POST", same(302, 302), body=lambda s, u: {"language": "en", "next": "/"}),
    Case("login", "GET", same(200, 200)),
    Case("logout", "POST", same(302, 302)),
    # ---- plan pages: readers of a published plan; corrections are the office's
    Case("start", "GET", same(302, 302)),
    Case("plans:plan_list", "GET", same(302, 200)),
    Case("plans:plan_detail", "GET", PAGE_READ_PLAN, kwargs=plan),
    Case("plans:plan_publish", "POST", PAGE_OFFICE, kwargs=plan),
    Case("plans:plan_publish", "GET", PAGE_OFFICE_FORM, kwargs=plan),
    Case("plans:target_edit", "GET", PAGE_OFFICE_FORM, kwargs=target),
    Case("plans:milestone_edit", "GET", PAGE_OFFICE_FORM, kwargs=milestone),
    Case("plans:item_units_edit", "GET", PAGE_OFFICE_FORM, kwargs=item),
    Case("plans:item_history", "GET", PAGE_READ_PLAN, kwargs=item),
    Case("plans:item_revise", "GET", PAGE_OFFICE_FORM, kwargs=item),
    Case("plans:item_revise", "POST", expect(302, 422, 403, 403, 403, 403, 403), kwargs=item),
    # ---- import and export
    Case("interchange:import_upload", "GET", PAGE_OFFICE_FORM),
    Case("interchange:import_preview", "GET", PAGE_OFFICE_FORM, kwargs=pk("batch")),
    Case("interchange:plan_export", "GET", PAGE_READ_PLAN, kwargs=plan),
    Case("interchange:import_retarget", "GET", expect(302, 302, 403, 403, 403, 403, 403), kwargs=pk("batch")),
    Case(
        "interchange:import_edit",
        "POST",
        expect(302, 422, 403, 403, 403, 403, 403),
        kwargs=pk("batch"),
        body=lambda s, u: {"op": "item_units", "version": "0", "p": "0", "i": "0", "lead_units": "区教育局"},
    ),
    Case("interchange:import_edit", "GET", expect(302, 302, 403, 403, 403, 403, 403), kwargs=pk("batch")),
    Case("interchange:import_sheet", "GET", PAGE_OFFICE_FORM, kwargs=pk("batch")),
    Case("interchange:import_sheet", "POST", expect(302, 422, 403, 403, 403, 403, 403), kwargs=pk("batch")),
    Case("interchange:plan_correct", "POST", PAGE_OFFICE, kwargs=plan),
    # ---- public portal: anyone
    Case("portal:plan", "GET", same(200, 200), kwargs=plan),
    Case("portal:item", "GET", same(200, 200), kwargs=item),
    Case("portal:download", "GET", same(200, 200), kwargs=lambda s: {"pk": s.world.plan.pk, "fmt": "csv"}),
    Case("portal:photo", "GET", same(200, 200), kwargs=lambda s: {"pk": s.photo.pk, "size": "thumb"}),
    # ---- dashboard (leaders and the office) and bulletins (office, reviewers, leaders)
    Case("dashboard:overview", "GET", DASHBOARD),
    Case("dashboard:items", "GET", DASHBOARD, query="?plan={plan}"),
    Case("dashboard:export", "GET", DASHBOARD, kwargs=lambda s: {"fmt": "xlsx"}, query="?plan={plan}"),
    Case("bulletins:index", "GET", BULLETINS),
    Case("bulletins:detail", "GET", BULLETINS, kwargs=pk("bulletin")),
    Case("bulletins:download", "GET", BULLETINS, kwargs=pk("bulletin")),
    # ---- reporting pages
    Case("progress:inbox", "GET", same(302, 200)),
    Case("progress:queue", "GET", PAGE_REVIEWERS),
    Case("progress:timeline", "GET", PAGE_READ_PLAN, kwargs=lambda s: {"item_id": s.world.item.pk}),
    Case(
        "progress:item_end",
        "POST",
        PAGE_OFFICE,
        kwargs=lambda s: {"item_id": s.world.item.pk},
        body=lambda s, u: {"kind": "done"},
    ),
    Case(
        "progress:report",
        "GET",
        PAGE_LEAD_UNIT,
        kwargs=lambda s: {"item_id": s.world.item.pk, "period_id": s.world.period(2).pk},
    ),
    Case(
        "progress:contribution",
        "POST",
        expect(302, 403, 403, 403, 403, 403, 403),
        kwargs=lambda s: {"item_id": s.world.item.pk, "period_id": s.world.period(2).pk},
        body=lambda s, u: {"text": "配合"},
    ),
    Case(
        "progress:decide",
        "POST",
        expect(302, 302, 302, 403, 403, 403, 403),
        kwargs=pk("submitted"),
        body=lambda s, u: {"action": "approve"},
    ),
    Case(
        "progress:evidence", "GET", PAGE_READ_PLAN, kwargs=lambda s: {"pk": s.photo.pk, "variant": "public"}
    ),
    Case(
        "progress:evidence", "GET", PAGE_REVIEWERS, kwargs=lambda s: {"pk": s.photo.pk, "variant": "original"}
    ),
    Case(
        "progress:overdue",
        "GET",
        expect(302, 200, 200, 403, 403, 200, 403),
        kwargs=lambda s: {"plan_id": s.world.plan.pk},
    ),
    Case(
        "progress:extensions",
        "GET",
        expect(302, 200, 200, 200, 200, 403, 403),
        kwargs=lambda s: {"plan_id": s.world.plan.pk},
    ),
    Case(
        "progress:extension_decide",
        "POST",
        PAGE_OFFICE,
        kwargs=pk("extension"),
        body=lambda s, u: {"decision": "approve"},
    ),
    Case(
        "progress:sheet_download",
        "GET",
        PAGE_SHEET,
        kwargs=lambda s: {"plan_id": s.world.plan.pk, "period_id": s.world.period(2).pk},
    ),
    Case(
        "progress:sheet_upload",
        "GET",
        PAGE_SHEET,
        kwargs=lambda s: {"plan_id": s.world.plan.pk, "period_id": s.world.period(2).pk},
    ),
    Case("progress:periods_generate", "POST", PAGE_OFFICE, kwargs=lambda s: {"plan_id": s.world.plan.pk}),
    Case("progress:periods_close_due", "POST", PAGE_OFFICE, kwargs=lambda s: {"plan_id": s.world.plan.pk}),
    Case(
        "progress:period_close",
        "POST",
        PAGE_OFFICE,
        kwargs=lambda s: {"plan_id": s.world.plan.pk, "period_id": s.world.period(5).pk},
    ),
    Case("progress:settings", "GET", PAGE_OFFICE_FORM, kwargs=lambda s: {"plan_id": s.world.plan.pk}),
    # ---- REST API (anonymous callers get 401: token authentication answers with a challenge)
    api("token", "POST", same(400, 200), body=token_body),
    api("schema", "GET", same(200, 200)),
    api("docs", "GET", same(200, 200)),
    api("api-root", "GET", API_LIST),
    api("plan-list", "GET", API_LIST),
    api("plan-detail", "GET", API_READ_PLAN, kwargs=plan),
    api("project-list", "GET", API_LIST),
    api("project-detail", "GET", API_READ_PLAN, kwargs=lambda s: {"pk": s.world.item.project_id}),
    api("item-list", "GET", API_LIST, query="?plan={plan}"),
    api("item-detail", "GET", API_READ_PLAN, kwargs=item),
    api("target-list", "GET", API_LIST),
    api("target-detail", "GET", API_READ_PLAN, kwargs=target),
    api(
        "target-detail",
        "PATCH",
        expect(401, 200, 403, 403, 404, 403, 403),
        kwargs=target,
        body=lambda s, u: {"value": 25, "reason": "复核后更正"},  # published: a change is an adjustment
    ),
    api("period-list", "GET", API_LIST, query="?plan={plan}"),
    api("period-detail", "GET", API_READ_PLAN, kwargs=period),
    api("report-list", "GET", API_LIST),
    api("report-list", "POST", expect(401, 403, 403, 201, 403, 403, 403), body=report_body),
    api("report-detail", "GET", expect(401, 200, 200, 200, 404, 200, 404), kwargs=pk("submitted")),
    api(
        "report-detail",
        "PATCH",
        API_OWN_DRAFT,
        kwargs=pk("draft"),
        body=lambda s, u: {"version": s.draft.version, "problems": "无"},
    ),
    api(
        "report-detail",
        "PUT",
        API_OWN_DRAFT,
        kwargs=pk("draft"),
        body=lambda s, u: {"version": s.draft.version, "progress": "进展"},
    ),
    api("report-submit", "POST", API_OWN_DRAFT, kwargs=pk("draft")),
    api("report-approve", "POST", API_DECIDE, kwargs=pk("submitted")),
    api("report-return", "POST", API_DECIDE, kwargs=pk("submitted"), body=lambda s, u: {"comment": "请补充"}),
    api("notice-list", "GET", API_LIST),
    api("notice-list", "POST", expect(401, 201, 201, 403, 403, 403, 403), body=notice_body),
    api("notice-detail", "GET", expect(401, 200, 200, 200, 404, 200, 200), kwargs=pk("notice")),
    api(
        "notice-reply",
        "POST",
        expect(401, 403, 403, 200, 404, 403, 403),
        kwargs=pk("notice"),
        body=lambda s, u: {"text": "整改"},
    ),
    api("notice-close", "POST", expect(401, 200, 200, 403, 404, 403, 403), kwargs=pk("replied")),
    api(
        "notice-return",
        "POST",
        expect(401, 200, 200, 403, 404, 403, 403),
        kwargs=pk("replied"),
        body=lambda s, u: {"comment": "不够"},
    ),
    api("notification-list", "GET", API_LIST),
    api("notification-detail", "GET", expect(401, 404, 404, 200, 404, 404, 404), kwargs=pk("notification")),
    api("notification-read", "POST", expect(401, 404, 404, 200, 404, 404, 404), kwargs=pk("notification")),
    # ---- 督办 pages (anonymous visitors are sent to sign in)
    Case("supervision:notice_list", "GET", same(302, 200)),
    Case(
        "supervision:notice_issue",
        "GET",
        expect(302, 200, 200, 403, 403, 403, 403),
        kwargs=lambda s: {"item_id": s.world.item.pk},
    ),
    Case(
        "supervision:notice_issue",
        "POST",
        expect(302, 302, 302, 403, 403, 403, 403),
        kwargs=lambda s: {"item_id": s.world.item.pk},
        body=notice_form,
    ),
    Case("supervision:notice_detail", "GET", expect(302, 200, 200, 200, 404, 200, 200), kwargs=pk("notice")),
    Case("supervision:notice_letter", "GET", expect(302, 200, 200, 200, 404, 200, 200), kwargs=pk("notice")),
    Case(
        "supervision:notice_reply",
        "POST",
        expect(302, 403, 403, 302, 404, 403, 403),
        kwargs=pk("notice"),
        body=lambda s, u: {"text": "整改"},
    ),
    Case("supervision:notice_reply", "GET", expect(302, 405, 405, 405, 405, 405, 405), kwargs=pk("notice")),
    Case("supervision:notice_close", "POST", expect(302, 302, 302, 403, 404, 403, 403), kwargs=pk("replied")),
    Case(
        "supervision:notice_return",
        "POST",
        expect(302, 302, 302, 403, 404, 403, 403),
        kwargs=pk("replied"),
        body=lambda s, u: {"comment": "不够"},
    ),
    # ---- notifications pages
    Case("notifications:notification_list", "GET", same(302, 200)),
    Case(
        "notifications:notification_open",
        "POST",
        expect(302, 404, 404, 302, 404, 404, 404),
        kwargs=pk("notification"),
    ),
    Case("notifications:notification_read_all", "POST", same(302, 302)),
    # Accounts, units and regions: the office for its region (the administrators have their own tests).
    Case("accounts:user_list", "GET", PAGE_OFFICE_FORM),
    Case("accounts:user_create", "GET", PAGE_OFFICE_FORM),
    Case("accounts:user_edit", "GET", PAGE_OFFICE_FORM, kwargs=wpk("reporter")),
    Case(
        "accounts:user_active", "POST", PAGE_OFFICE, kwargs=wpk("reporter"), body=lambda s, u: {"active": "0"}
    ),
    Case(
        "accounts:user_password",
        "POST",
        PAGE_OFFICE,
        kwargs=wpk("reporter"),
        body=lambda s, u: {
            "password1": "Lanterns-over-the-river-9",
            "password2": "Lanterns-over-the-river-9",
        },
    ),
    Case("accounts:user_second_factor_reset", "POST", PAGE_OFFICE, kwargs=wpk("reporter")),
    Case("accounts:lock_list", "GET", same(302, 403)),
    Case("accounts:lock_lift", "POST", same(302, 403), kwargs=lambda s: {"pk": 1}),
    Case("accounts:sessions_end", "POST", same(302, 403), kwargs=wpk("reporter")),
    Case("accounts:audit_trail", "GET", same(302, 403)),
    Case("accounts:password_change", "GET", same(302, 200)),
    Case("accounts:totp_enrol", "GET", same(302, 200)),
    Case("accounts:totp_verify", "GET", same(302, 200)),
    Case("accounts:backup_codes", "POST", same(302, 302)),  # without an authenticator: back to set-up
    Case("orgs:unit_list", "GET", PAGE_OFFICE_FORM),
    Case("orgs:unit_edit", "GET", PAGE_OFFICE_FORM, kwargs=wpk("lead")),
    Case("orgs:alias_remove", "POST", PAGE_OFFICE, kwargs=lambda s: {"pk": alias_of_lead(s).pk}),
    Case("orgs:region_list", "GET", PAGE_OFFICE_FORM),
]


def app_matrices() -> list[Case]:
    """Rows that live beside an app's tests: `tests/<app>/permission_matrix.py` defines `MATRIX` (a list
    of `Case`) and `extend(scenario)`, which adds that app's objects to the scenario as attributes."""
    cases: list[Case] = []
    root = Path(__file__).parent
    # Nested too: tests/participation/voting/permission_matrix.py is `participation.voting.permission_matrix`.
    for path in sorted(root.glob("**/permission_matrix.py")):
        module = importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
        cases += [dataclasses.replace(case, extend=module.extend) for case in module.MATRIX]
    return cases


ALL_CASES = MATRIX + app_matrices()


def alias_of_lead(s: Scenario) -> Any:
    from minsheng.orgs.models import UnitAlias

    return UnitAlias.objects.get_or_create(unit=s.world.lead, name="住建局")[0]


def _walk(resolver: URLResolver, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _walk(pattern, f"{namespace}:{ns}".strip(":") if ns else namespace, route)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
            yield name, route


def project_urls() -> dict[str, str]:
    """URL name → route of every pattern except Django admin's (one rule, below)."""
    urls = {}
    for name, route in _walk(get_resolver()):
        if route.startswith("admin/"):
            continue
        assert name, f"the URL pattern {route!r} has no name, so the matrix cannot cover it"
        urls[name] = route
    return urls


def test_every_url_is_in_the_matrix() -> None:
    covered = {case.name for case in ALL_CASES}
    missing = sorted(set(project_urls()) - covered)
    assert not missing, "URL names without a row in the permission matrix: " + ", ".join(missing)
    stale = sorted(covered - set(project_urls()))
    assert not stale, "matrix rows for URL names that no longer exist: " + ", ".join(stale)


def _request(case: Case, scenario: Scenario, role: str) -> int:
    user = scenario.user(role)
    client = Client()
    if user is not None and case.name != "api:token":
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(scenario)) + case.query.format(plan=scenario.world.plan.pk)
    body = case.body(scenario, user)
    sid = transaction.savepoint()
    try:
        if case.json:
            response = client.generic(case.method, url, json.dumps(body), content_type="application/json")
        elif case.method == "GET":
            response = client.get(url)
        else:
            response = client.generic(
                case.method, url, _form(body), content_type="application/x-www-form-urlencoded"
            )
    finally:
        transaction.savepoint_rollback(sid)
    return response.status_code


def _form(body: dict[str, Any]) -> str:
    return urlencode(body)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_matrix(case: Case, district: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MINSHENG_API_SIGN_IN_RATE = None
    scenario = build_scenario(district)
    if case.extend is not None:
        case.extend(scenario)
    got = {role: _request(case, scenario, role) for role in ROLES}
    assert got == case.expected


def test_admin_is_for_the_system_administrator_only(district: Any) -> None:
    scenario = build_scenario(district)
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in list(admin_site._registry)[:3]
    ]
    for role in ROLES:
        user = scenario.user(role)
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls:
            status = client.get(url).status_code
            assert status == (404 if user is not None else 302), (role, url, status)
