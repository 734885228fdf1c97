"""Prepared statements on request (core.prepared): PostgreSQL plans such a query once per connection."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import UserFactory
from minsheng.accounts.models import User
from minsheng.core.prepared import prepared_statements, statements_prepared
from pg_statements import prepared_statements_now

pytestmark = pytest.mark.django_db


def test_the_request_is_only_inside_the_block() -> None:
    assert not statements_prepared()
    with prepared_statements():
        assert statements_prepared()
        with prepared_statements():
            assert statements_prepared()
        assert statements_prepared()
    assert not statements_prepared()


def test_queries_inside_give_what_they_give_outside() -> None:
    """Same rows and types either way (dates aware), on SQLite and PostgreSQL."""
    user = UserFactory(last_login=timezone.now())
    outside = list(User.objects.filter(pk=user.pk).values_list("pk", "username", "last_login", "is_active"))
    with prepared_statements():
        inside = list(
            User.objects.filter(pk=user.pk).values_list("pk", "username", "last_login", "is_active")
        )
        again = list(User.objects.filter(pk=user.pk).values_list("pk", "username", "last_login", "is_active"))
    assert inside == again == outside
    assert timezone.is_aware(inside[0][2]) and inside[0][3] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_query_inside_is_prepared_and_one_outside_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = UserFactory()
    users = User.objects.filter(pk=user.pk)
    list(users.annotate(outside_marker=F("pk")).values("outside_marker"))
    assert prepared_statements_now("outside_marker") == []
    with prepared_statements(), CaptureQueriesContext(connection) as queries:
        assert list(users.annotate(inside_marker=F("pk")).values_list("inside_marker", flat=True)) == [
            user.pk
        ]
    assert len(prepared_statements_now("inside_marker")) == 1
    # Logged with its values, as Django's own queries are (the tests count and read them).
    assert f"= {user.pk}" in queries[0]["sql"] and "inside_marker" in queries[0]["sql"]
    monkeypatch.setitem(
        connection.settings_dict["OPTIONS"], "prepare_threshold", None
    )  # MINSHENG_DB_PREPARED=0
    with prepared_statements():
        list(users.annotate(switched_off_marker=F("pk")).values("switched_off_marker"))
    assert prepared_statements_now("switched_off_marker") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the health check skipped is PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # requests run in autocommit, as outside the tests
def test_a_connection_that_served_a_request_a_moment_ago_is_not_checked_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Django's health check (a round trip per request) is skipped for a connection that ended a request
    without an error less than HEALTHY_SECONDS ago; after that, or after an error, it runs again."""
    from django.db import connections

    from minsheng.core.postgresql import base as backend

    connection = connections["default"]

    checks: list[int] = []
    connection.ensure_connection()  # connect() sets health_check_enabled
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)

    def request() -> None:  # what Django's request_started and request_finished signals do around it
        connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close_if_unusable_or_obsolete()

    connection.close_if_unusable_or_obsolete()
    connection._served_at = time.monotonic() - 3600  # type: ignore[attr-defined]  # an hour idle
    request()  # checked
    assert checks == [1]
    request()
    request()
    assert checks == [1]
    monkeypatch.setattr(backend, "HEALTHY_SECONDS", 0.0)
    request()
    assert checks == [1, 1]
    monkeypatch.setattr(backend, "HEALTHY_SECONDS", 60.0)
    connection.errors_occurred = True  # a request that failed on the database: checked at its end
    connection.close_if_unusable_or_obsolete()
    assert checks == [1, 1, 1] and not connection.errors_occurred
    request()  # and at the start of the next one: the last request did not end cleanly
    assert checks == [1, 1, 1, 1]
