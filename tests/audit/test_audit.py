"""Audit rows carry the actor and the request id; the request id reaches response headers and logs."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from factories import RegionFactory, UserFactory
from minsheng.audit.middleware import RequestIdLogFilter, RequestIdMiddleware
from minsheng.audit.models import AuditEvent
from minsheng.audit.selectors import events_about
from minsheng.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_inside_a_request_keeps_request_id_and_actor():
    user = UserFactory(username="auditor")
    region = RegionFactory(name="金坛区")

    def view(request):
        audit_record(actor=user, action="update", obj=region, before={"name": "旧"}, after={"name": "金坛区"})
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    event = AuditEvent.objects.get()
    assert len(response["X-Request-ID"]) == 32
    assert event.request_id == response["X-Request-ID"]
    assert (event.actor, event.actor_name, event.object_type, event.object_id) == (
        user,
        "auditor",
        "orgs.region",
        str(region.pk),
    )
    assert (event.before, event.after) == ({"name": "旧"}, {"name": "金坛区"})


def test_client_supplied_request_id_is_ignored():
    response = RequestIdMiddleware(lambda r: HttpResponse())(
        RequestFactory().get("/", HTTP_X_REQUEST_ID="evil\r\nid")
    )
    assert response["X-Request-ID"] != "evil\r\nid"


def test_system_actor_outside_requests():
    event = audit_record(actor=None, action="import", object_type="plans.plan", object_id="1", message="cli")
    assert (event.actor, event.actor_name, event.request_id) == (None, "system", "")


def test_log_records_get_the_request_id():
    seen = []

    def view(request):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
        RequestIdLogFilter().filter(record)
        seen.append((record.request_id, request.request_id))
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/"))
    assert seen[0][0] == seen[0][1]
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    RequestIdLogFilter().filter(outside)
    assert outside.request_id == "-"


def test_events_about_objects_of_several_types_newest_first():
    region, other_region = RegionFactory(name="金坛区"), RegionFactory(name="溧阳市")
    user = UserFactory(username="someone")
    first = audit_record(actor=None, action="update", obj=region)
    audit_record(actor=None, action="update", obj=other_region)
    second = audit_record(actor=None, action="update", obj=user)
    audit_record(actor=None, action="update", object_type="orgs.unit", object_id=str(region.pk))
    assert list(events_about([region, user])) == [second, first]
    assert list(events_about([])) == []
