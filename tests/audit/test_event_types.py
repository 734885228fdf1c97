"""The event-type table (AUD-01): each security-relevant action, done through the real page or service,
leaves exactly one new audit row, with the expected action, actor and object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factories import PASSWORD, UserFactory
from minsheng.accounts.security_policy import policy_defaults
from minsheng.audit.models import AuditEvent
from minsheng.participation.ratings.services import rating_cast, rating_event_create, rating_event_open
from minsheng.participation.voting.models import Participation
from minsheng.participation.voting.services import ballot_cast
from minsheng.progress import services as progress
from minsheng.progress.models import Evidence, ProgressReport
from participation.solicitation.factories import open_solicitation, propose
from participation.voting.factories import ids, open_event
from progress.factories import World, build_world, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.44"


@dataclass
class Expected:
    action: str
    actor: Any  # a User, or None for refused sign-ins (nobody is signed in)
    object_type: str
    object_id: str = ""  # "" when the object is named only by its text (object_repr)
    object_repr: str = ""
    outcome: str = "success"
    message: str = ""  # checked when given: tells apart actions on the same object


def _client() -> Client:
    return Client(REMOTE_ADDR=ADDRESS)


def _sign_in(username: str, password: str = PASSWORD) -> Any:
    return _client().post(reverse("login"), {"username": username, "password": password})


def _draft(world: World) -> ProgressReport:
    return filled_report(world, world.item, world.period(3))


def _submitted(world: World) -> ProgressReport:
    return progress.report_submit(acting_user=world.reporter, report=_draft(world), confirmed=True)


def _of(obj: Any) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


# Each row: prepare (not counted) and return the action to count plus a function giving the expected row.
Prepared = tuple[Callable[[], Any], Callable[[Any], Expected]]


def sign_in_success(world: World) -> Prepared:
    return (
        lambda: _sign_in(world.office.username),
        lambda response: Expected("login", world.office, *_of(world.office)),
    )


def sign_in_failure(world: World) -> Prepared:
    return (
        lambda: _sign_in(world.office.username, "not the password"),
        lambda response: Expected(
            "login_failed", None, "accounts.user", object_repr=world.office.username, outcome="failure"
        ),
    )


def lockout(world: World) -> Prepared:
    for _ in range(4):
        _sign_in(world.office.username, "not the password")
    return (
        lambda: _sign_in(world.office.username, "not the password"),  # the fifth failure locks
        lambda response: Expected(
            "login_failed",
            None,
            "accounts.signinlock",
            object_repr=f"account:{world.office.username}, address:{ADDRESS}",
            outcome="denied",
        ),
    )


def password_change(world: World) -> Prepared:
    client = _client()
    client.force_login(world.reporter)
    new = "Another-Long-Passw0rd!"
    return (
        lambda: client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "password1": new, "password2": new},
        ),
        lambda response: Expected("update", world.reporter, *_of(world.reporter)),
    )


def role_change(world: World) -> Prepared:
    client = _client()
    client.force_login(world.office)
    url = reverse("accounts:user_edit", args=[world.leader.pk])
    return (
        lambda: client.post(url, {"roles": ["deputy"], "region": world.plan.region.pk}),
        lambda response: Expected("update", world.office, *_of(world.leader)),
    )


def report_submit(world: World) -> Prepared:
    report = _draft(world)
    return (
        lambda: progress.report_submit(acting_user=world.reporter, report=report, confirmed=True),
        lambda done: Expected("update", world.reporter, *_of(report), message="report_submit"),
    )


def report_return(world: World) -> Prepared:
    report = _submitted(world)
    return (
        lambda: progress.report_return(acting_user=world.reviewer, report=report, comment="请补充照片"),
        lambda done: Expected("update", world.reviewer, *_of(report), message="report_return"),
    )


def report_approve(world: World) -> Prepared:
    report = _submitted(world)
    return (
        lambda: progress.report_approve(acting_user=world.reviewer, report=report),
        lambda done: Expected("update", world.reviewer, *_of(report), message="report_approve"),
    )


def evidence_upload(world: World) -> Prepared:
    report = _draft(world)
    return (
        lambda: progress.evidence_add(
            acting_user=world.reporter, report=report, upload=SimpleUploadedFile("现场.jpg", jpeg_with_gps())
        ),
        # The file is recorded on its report (with the report's history entry), naming the file.
        lambda evidence: Expected("update", world.reporter, *_of(report), message="report_evidence"),
    )


def evidence_original_download(world: World) -> Prepared:
    evidence = progress.evidence_add(
        acting_user=world.reporter,
        report=_draft(world),
        upload=SimpleUploadedFile("现场.jpg", jpeg_with_gps()),
    )
    client = _client()
    client.force_login(world.reviewer)
    return (
        lambda: client.get(reverse("progress:evidence", args=[evidence.pk, "original"])),
        lambda response: Expected("download", world.reviewer, *_of(Evidence.objects.get(pk=evidence.pk))),
    )


def plan_export(world: World) -> Prepared:
    client = _client()
    client.force_login(world.office)
    return (
        lambda: client.get(reverse("interchange:plan_export", args=[world.plan.pk])),
        lambda response: Expected("export", world.office, *_of(world.plan)),
    )


def dashboard_export(world: World) -> Prepared:
    client = _client()
    client.force_login(world.leader)
    url = reverse("dashboard:export", args=["progress-xlsx"]) + f"?plan={world.plan.pk}"
    return (lambda: client.get(url), lambda response: Expected("export", world.leader, *_of(world.plan)))


def contact_reveal(world: World) -> Prepared:
    proposal = propose(open_solicitation(world.plan.region))
    client = _client()
    client.force_login(world.office)
    return (
        lambda: client.post(reverse("solicitation:proposal_reveal", args=[proposal.pk])),
        lambda response: Expected(
            "download", world.office, *_of(proposal), message="proposer contact revealed"
        ),
    )


def security_settings_change(world: World) -> Prepared:
    admin: Any = UserFactory(username="secadmin1", role="security_admin", region=world.plan.region)
    values = {**policy_defaults().as_dict(), "sign_in_failures": 6}
    client = _client()
    client.force_login(admin)
    data = {name: value for name, value in values.items() if value is not False}  # an unticked box
    return (
        lambda: client.post(reverse("accounts:security_settings"), data),
        lambda response: Expected("update", admin, "accounts.securitysettings", "1"),
    )


def ballot(world: World) -> Prepared:
    event = open_event(world.plan.region, world.office)
    return (
        lambda: ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 1, 2, 3)),
        lambda done: Expected("create", world.deputy, *_of(Participation.objects.get(voter=world.deputy))),
    )


def satisfaction_rating(world: World) -> Prepared:
    now = timezone.now()
    event = rating_event_create(
        acting_user=world.office,
        plan=world.plan,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        threshold="80",
    )
    event = rating_event_open(acting_user=world.office, event=event)
    project = world.item.project
    return (
        lambda: rating_cast(acting_user=world.deputy, event=event, marks={project: "satisfied"}),
        lambda ratings: Expected("create", world.deputy, *_of(event)),
    )


TABLE: list[Callable[[World], Prepared]] = [
    sign_in_success,
    sign_in_failure,
    lockout,
    password_change,
    role_change,
    report_submit,
    report_return,
    report_approve,
    evidence_upload,
    evidence_original_download,
    plan_export,
    dashboard_export,
    contact_reveal,
    security_settings_change,
    ballot,
    satisfaction_rating,
]


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.__name__)
def test_each_action_leaves_exactly_one_audit_row(row, district, settings):
    settings.MINSHENG_TOTP_REQUIRED = False
    world = build_world(district)
    act, expect = row(world)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = act()
    if hasattr(result, "status_code"):  # a page: it worked for the user
        assert result.status_code in (200, 302), result.status_code
    new = list(AuditEvent.objects.filter(pk__gt=last))
    assert len(new) == 1, [(e.action, e.object_type, e.message) for e in new]
    event, expected = new[0], expect(result)
    assert (event.action, event.actor, event.outcome, event.object_type) == (
        expected.action,
        expected.actor,
        expected.outcome,
        expected.object_type,
    )
    if expected.object_id:
        assert event.object_id == expected.object_id
    if expected.object_repr:
        assert event.object_repr == expected.object_repr
    if expected.message:
        assert event.message == expected.message
