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
