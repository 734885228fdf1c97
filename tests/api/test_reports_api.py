"""Reports through the API: workflow, optimistic locking, who sees what, error statuses."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from api.conftest import ApiError
from factories import UserFactory
from minsheng.audit.models import AuditEvent
from progress.factories import World, approved_report, filled_report

pytestmark = pytest.mark.django_db


def body(world: World, month: int = 1, value: int = 8, **extra: Any) -> dict[str, Any]:
    target = world.item.targets.get()
    return {
        "item": world.item.pk,
        "period": world.period(month).pk,
        "target_values": [{"target": target.pk, "value": value}],
        "progress": "完成管网改造",
        **extra,
    }


def test_create_submit_return_resubmit_approve(world: World, api: Any) -> None:
    report = api("POST", "/api/reports/", body(world), user=world.reporter)
    assert (report["status"], report["version"]) == ("draft", 1)
    assert report["target_values"] == [{"target": world.item.targets.get().pk, "value": 8}]

    report = api("POST", f"/api/reports/{report['id']}/submit/", {"version": 1}, user=world.reporter)
    assert report["status"] == "submitted"
    with pytest.raises(ApiError) as missing_comment:
        api("POST", f"/api/reports/{report['id']}/return/", {}, user=world.reviewer)
    assert (missing_comment.value.status, missing_comment.value.body["field"]) == (400, "comment")
    report = api("POST", f"/api/reports/{report['id']}/return/", {"comment": "请附照片"}, user=world.reviewer)
    assert (report["status"], report["review_comment"]) == ("returned", "请附照片")

    report = api(
        "PATCH",
        f"/api/reports/{report['id']}/",
        {"version": report["version"], "problems": "雨季"},
        user=world.reporter,
    )
    assert (report["problems"], report["progress"]) == ("雨季", "完成管网改造")
    api("POST", f"/api/reports/{report['id']}/submit/", {}, user=world.reporter)
    report = api("POST", f"/api/reports/{report['id']}/approve/", {"comment": "同意"}, user=world.reviewer)
    assert report["status"] == "approved"


def test_stale_version_is_a_conflict_and_loses_nothing(world: World, api: Any) -> None:
    report = api("POST", "/api/reports/", body(world), user=world.reporter)
    colleague = UserFactory(username="zhujian2", role="reporter", unit=world.lead, region=world.plan.region)
    api("PATCH", f"/api/reports/{report['id']}/", {"version": 1, "progress": "同事的修改"}, user=colleague)
    with pytest.raises(ApiError) as conflict:
        api(
            "PATCH",
            f"/api/reports/{report['id']}/",
            {"version": 1, "progress": "我的修改"},
            user=world.reporter,
        )
    assert conflict.value.status == 409
    assert "2" in conflict.value.body["detail"]  # names the version now stored
    assert api("GET", f"/api/reports/{report['id']}/", user=world.reporter)["progress"] == "同事的修改"


def test_update_requires_the_version(world: World, api: Any) -> None:
    report = api("POST", "/api/reports/", body(world), user=world.reporter)
    with pytest.raises(ApiError) as error:
        api("PATCH", f"/api/reports/{report['id']}/", {"progress": "x"}, user=world.reporter)
    assert error.value.status == 400 and "version" in error.value.body


def test_second_create_for_the_same_period_points_to_the_existing_report(world: World, api: Any) -> None:
    first = api("POST", "/api/reports/", body(world), user=world.reporter)
    with pytest.raises(ApiError) as conflict:
        api("POST", "/api/reports/", body(world, value=9), user=world.reporter)
    assert conflict.value.status == 409
    assert (conflict.value.body["id"], conflict.value.body["version"]) == (first["id"], 1)


@pytest.mark.parametrize(
    ("action", "who"),
    [("approve", "reviewer"), ("return", "reviewer")],
)
def test_deciding_a_draft_is_a_conflict(world: World, api: Any, action: str, who: str) -> None:
    report = api("POST", "/api/reports/", body(world), user=world.reporter)
    with pytest.raises(ApiError) as error:
        api("POST", f"/api/reports/{report['id']}/{action}/", {"comment": "x"}, user=getattr(world, who))
    assert error.value.status == 409


def test_editing_an_approved_report_is_a_conflict(world: World, api: Any) -> None:
    report = approved_report(world, world.item, world.period(1))
    with pytest.raises(ApiError) as error:
        api(
            "PATCH",
            f"/api/reports/{report.pk}/",
            {"version": report.version, "progress": "改"},
            user=world.reporter,
        )
    assert error.value.status == 409


def test_bad_values_name_the_field(world: World, api: Any) -> None:
    with pytest.raises(ApiError) as error:
        api("POST", "/api/reports/", body(world, value=-3), user=world.reporter)
    assert error.value.status == 400
    with pytest.raises(ApiError) as error:
        api(
            "POST",
            "/api/reports/",
            {**body(world), "target_values": [{"target": 999999, "value": 1}]},
            user=world.reporter,
        )
    assert (error.value.status, error.value.body.get("field")) == (400, "target_values")


def test_roles_that_may_not_write(world: World, api: Any) -> None:
    for user in (world.other_reporter, world.partner_reporter, world.leader, world.deputy, world.reviewer):
        with pytest.raises(ApiError) as error:
            api("POST", "/api/reports/", body(world), user=user)
        assert error.value.status == 403, user.username
    report = filled_report(world, world.item, world.period(1))
    api("POST", f"/api/reports/{report.pk}/submit/", {}, user=world.reporter)
    with pytest.raises(ApiError) as error:
        api("POST", f"/api/reports/{report.pk}/approve/", {}, user=world.reporter)
    assert error.value.status == 403
    with pytest.raises(ApiError) as error:
        api("POST", f"/api/reports/{report.pk}/approve/", {}, user=world.leader)
    assert error.value.status == 403


def test_who_sees_which_reports(world: World, api: Any) -> None:
    approved = approved_report(world, world.item, world.period(1))
    draft = filled_report(world, world.item, world.period(2))

    def listed(user: Any) -> dict[int, dict[str, Any]]:
        return {r["id"]: r for r in api("GET", "/api/reports/", user=user)["results"]}

    for user in (world.reporter, world.partner_reporter, world.reviewer, world.office):
        seen = listed(user)
        assert set(seen) == {approved.pk, draft.pk}, user.username
        assert seen[draft.pk]["content"] is True and seen[draft.pk]["progress"]
    leader = listed(world.leader)
    assert set(leader) == {approved.pk, draft.pk}
    assert leader[draft.pk]["content"] is False and "progress" not in leader[draft.pk]
    assert leader[draft.pk]["status"] == "draft"
    assert leader[approved.pk]["target_values"]
    assert set(listed(world.deputy)) == {approved.pk}
    assert listed(world.other_reporter) == {}
    with pytest.raises(ApiError) as error:
        api("GET", f"/api/reports/{draft.pk}/", user=world.other_reporter)
    assert error.value.status == 404
    with pytest.raises(ApiError) as error:
        api("GET", f"/api/reports/{draft.pk}/", user=world.deputy)
    assert error.value.status == 404


def test_token_sign_in_is_audited(world: World, api: Any, client: Any) -> None:
    response = client.post("/api/auth/token/", {"username": world.reporter.username, "password": "wrong"})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="login_failed", object_repr=world.reporter.username).exists()
    api("GET", "/api/plans/", user=world.reporter)
    assert AuditEvent.objects.filter(action="login", actor=world.reporter).exists()
    assert client.get("/api/plans/").status_code == 401
    assert client.get("/api/plans/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401


def test_password_guessing_is_slowed_down(world: World, client: Any, settings: Any) -> None:
    settings.MINSHENG_API_SIGN_IN_RATE = "3/min"
    cache.clear()
    statuses = [
        client.post(
            "/api/auth/token/", {"username": world.reporter.username, "password": f"guess{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    cache.clear()
