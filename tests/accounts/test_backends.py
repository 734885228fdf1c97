"""A signed-in request reads its user and the user's roles in one query (session and API token alike)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import UserFactory
from minsheng.accounts.backends import RolesModelBackend
from minsheng.accounts.policies import user_roles
from minsheng.core.prepared import prepared_statements
from pg_statements import prepared_statements_now

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_every_role_and_nothing_else_is_asked() -> None:
    user = UserFactory(role="reviewer")
    user.groups.add(
        Group.objects.get_or_create(name="office")[0], Group.objects.get_or_create(name="team")[0]
    )
    with CaptureQueriesContext(connection) as queries:
        loaded = RolesModelBackend().get_user(user.pk)
        assert loaded is not None
        assert user_roles(loaded) == {"reviewer", "office"}  # "team" is no role of the system
    assert len(queries) == 1


def test_a_user_without_roles_and_an_inactive_user() -> None:
    plain = UserFactory()
    loaded = RolesModelBackend().get_user(plain.pk)
    assert loaded is not None and user_roles(loaded) == set()
    gone = UserFactory(role="office", is_active=False)
    assert RolesModelBackend().get_user(gone.pk) is None
    assert RolesModelBackend().get_user(10**9) is None


def test_a_role_given_later_shows_on_the_next_request() -> None:
    """Each request reads the user afresh: nothing about the roles is kept between requests."""
    user = UserFactory(role="reporter")
    first = RolesModelBackend().get_user(user.pk)
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    second = RolesModelBackend().get_user(user.pk)
    assert first is not None and second is not None
    assert (user_roles(first), user_roles(second)) == ({"reporter"}, {"reporter", "reviewer"})


def test_an_api_token_reads_the_user_and_roles_in_one_query(client: Any) -> None:
    from rest_framework.authtoken.models import Token

    from minsheng.accounts.api.authentication import ExpiringTokenAuthentication

    user = UserFactory(role="leader")
    token = Token.objects.create(user=user)
    with CaptureQueriesContext(connection) as queries:
        found, auth = ExpiringTokenAuthentication().authenticate_credentials(token.key)
        assert found == user and auth.key == token.key and auth.created == token.created
        assert user_roles(found) == {"leader"}
    assert len(queries) == 1
    response = client.get("/api/items/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert client.get("/api/items/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_the_regions_under_the_user_come_with_the_user() -> None:
    """A city leader's region and every district and town below it, read in the user's one query: the
    lists scoped by region ask the tree nothing more (another city's regions are not among them)."""
    from factories import RegionFactory
    from minsheng.orgs.selectors import user_region_ids

    city = RegionFactory(level="city")
    districts = [RegionFactory(parent=city) for _ in range(2)]
    town = RegionFactory(parent=districts[1], level="town")
    RegionFactory(parent=RegionFactory(level="city"))  # elsewhere
    leader = UserFactory(role="leader", region=city)
    with CaptureQueriesContext(connection) as queries:
        loaded = RolesModelBackend().get_user(leader.pk)
        assert loaded is not None
        assert user_region_ids(loaded) == {city.pk, districts[0].pk, districts[1].pk, town.pk}
        assert user_region_ids(loaded) == user_region_ids(loaded)
    assert len(queries) == 1
    nowhere = RolesModelBackend().get_user(UserFactory(role="reviewer").pk)
    assert nowhere is not None and user_region_ids(nowhere) == set()


def test_the_user_is_read_whole_with_unit_and_region_and_values_of_their_types() -> None:
    """What the page sees is what the ORM would give: dates as aware datetimes, flags as booleans, the unit
    and region at hand without a query; a user without them has None there, and an id that is no user's
    (or no id at all) reads as nobody."""
    from datetime import datetime

    from django.utils import timezone

    from factories import UnitFactory

    unit = UnitFactory()
    user = UserFactory(role="reporter", unit=unit, region=unit.region, last_login=timezone.now())
    expected = type(user).objects.select_related("unit", "region").get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        loaded = RolesModelBackend().get_user(str(user.pk))
        assert loaded is not None
        assert (loaded.unit, loaded.region) == (unit, unit.region)
        assert (loaded.unit.name, loaded.region.code) == (unit.name, unit.region.code)
    assert len(queries) == 1
    for field in type(user)._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert isinstance(loaded.last_login, datetime) and timezone.is_aware(loaded.last_login)
    assert loaded.is_active is True and loaded.is_staff is False
    assert not loaded._state.adding and loaded._state.db == "default"
    loaded.first_name = "改名"
    loaded.save(update_fields=["first_name"])  # an instance like any other
    assert type(user).objects.get(pk=user.pk).first_name == "改名"

    alone = UserFactory(role="leader", region=None)
    with CaptureQueriesContext(connection) as queries:
        read = RolesModelBackend().get_user(alone.pk)
        assert read is not None and read.unit is None and read.region is None
    assert len(queries) == 1
    assert RolesModelBackend().get_user("not a number") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_user_query_is_planned_once_per_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The query every signed-in request makes is a prepared statement of the connection (planned once),
    unless MINSHENG_DB_PREPARED is off for a pooler that cannot keep them."""
    user = UserFactory(role="reviewer")
    for _ in range(2):
        assert RolesModelBackend().get_user(user.pk) == user
    statements = prepared_statements_now("role_names")
    assert len(statements) == 1 and '"accounts_user"' in statements[0]
    monkeypatch.setitem(
        connection.settings_dict["OPTIONS"], "prepare_threshold", None
    )  # MINSHENG_DB_PREPARED=0
    with prepared_statements(), connection.cursor() as cursor:
        assert type(cursor.cursor).__name__ == "Cursor"  # Django's own: bound in the client, never prepared
    assert RolesModelBackend().get_user(user.pk) == user
