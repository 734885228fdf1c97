"""Submitting unusual values through the API: refused (400, field "confirm") until `confirmed` is sent."""

from __future__ import annotations

from typing import Any

import pytest

from api.conftest import ApiError
from api.test_reports_api import body
from progress.factories import World

pytestmark = pytest.mark.django_db


def test_a_value_beyond_the_target_needs_confirmed(world: World, api: Any) -> None:
    report = api("POST", "/api/reports/", body(world, value=45), user=world.reporter)  # the target is 20
    with pytest.raises(ApiError) as refused:
        api("POST", f"/api/reports/{report['id']}/submit/", {}, user=world.reporter)
    assert refused.value.status == 400 and refused.value.body["field"] == "confirm"
    assert "45" in refused.value.body["detail"] and "20" in refused.value.body["detail"]
    report = api("POST", f"/api/reports/{report['id']}/submit/", {"confirmed": True}, user=world.reporter)
    assert report["status"] == "submitted"


def test_create_and_submit_in_one_request(world: World, api: Any) -> None:
    """`submit: true` saves and submits at once; a refused submission saves nothing of the request."""
    from minsheng.progress.models import ProgressReport

    with pytest.raises(ApiError) as refused:
        api("POST", "/api/reports/", body(world, value=45, submit=True), user=world.reporter)
    assert refused.value.status == 400 and refused.value.body["field"] == "confirm"
    assert not ProgressReport.objects.filter(item=world.item).exists()
    report = api(
        "POST", "/api/reports/", body(world, value=45, submit=True, confirmed=True), user=world.reporter
    )
    assert (report["status"], report["version"]) == ("submitted", 2)
    assert report["target_values"] == [{"target": world.item.targets.get().pk, "value": 45}]
    again = api("GET", f"/api/reports/{report['id']}/", user=world.reviewer)
    assert again["status"] == "submitted"
    with pytest.raises(ApiError) as twice:  # the same create again: 409 with the report to change
        api("POST", "/api/reports/", body(world, submit=True), user=world.reporter)
    assert twice.value.status == 409 and twice.value.body["id"] == report["id"]
