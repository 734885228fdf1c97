"""The replica router: portal and dashboard reads of programme data go to the replica, nothing else."""

from __future__ import annotations

from django.test import RequestFactory

from minsheng.accounts.models import User
from minsheng.alerts.models import Light
from minsheng.core import replica
from minsheng.plans.models import Plan
from minsheng.progress.models import ProgressReport


def test_only_reads_of_portal_and_dashboard_pages_are_marked() -> None:
    rf = RequestFactory()
    assert replica.routes_to_replica(rf.get("/"))
    assert replica.routes_to_replica(rf.get("/public/plans/1/"))
    assert replica.routes_to_replica(rf.get("/dashboard/?plan=1"))
    assert not replica.routes_to_replica(rf.post("/dashboard/"))
    assert not replica.routes_to_replica(rf.get("/progress/review/"))
    assert not replica.routes_to_replica(rf.get("/api/items/"))


def test_router_sends_programme_reads_to_the_replica_while_marked() -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(Plan) is None  # not marked: default
    token = replica._reading.set(True)
    try:
        assert router.db_for_read(Plan) == "replica"
        assert router.db_for_read(ProgressReport) == "replica"
        assert router.db_for_read(Light) == "replica"
        assert router.db_for_read(User) is None  # accounts and sessions stay on default
        assert router.db_for_write(Plan) == "default"
    finally:
        replica._reading.reset(token)
    assert router.allow_migrate("replica", "plans") is False
    assert router.allow_migrate("default", "plans") is True


def test_without_a_replica_nothing_is_marked(settings) -> None:
    seen = []

    def view(request):
        seen.append(replica._reading.get())
        from django.http import HttpResponse

        return HttpResponse("ok")

    assert "replica" not in settings.DATABASES
    replica.ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert seen == [False]
