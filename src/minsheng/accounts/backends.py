"""Sign-in backend: Django's, but a signed-in request reads its user and the user's roles in one query.

Every page asks for the roles (navigation, policies), so `ModelBackend.get_user` plus the roles query was
two queries per request; here the role names come with the user row (`accounts.policies.user_roles`
finds them on the user and asks nothing more), and so do the ids of the user's region and the regions
under it (`orgs.selectors.user_region_ids`: every list scoped by region filters by them). Apps above
`accounts` add what every page of theirs asks about the signed-in user to the same query
(`user_field_register`: the unread notifications count).

The additions are correlated subqueries written as SQL (`RawSQL`), not ORM subqueries or an aggregate over
the roles' join: the query is built for every signed-in request, and Django spent ≈ 1.8 ms compiling the
ORM form (a GROUP BY over every column) against ≈ 0.3 ms for this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections
from django.db.models import CharField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.orgs.selectors import region_below_sql

ROLES_SEPARATOR = ","

# name → (quote_name, the outer user id column) → (SQL of a subquery giving one integer, its parameters)
UserFieldSQL = Callable[[Callable[[str], str], str], tuple[str, list[Any]]]
_USER_FIELDS: dict[str, UserFieldSQL] = {}


def user_field_register(name: str, sql: UserFieldSQL) -> None:
    """Read an integer as `user.<name>` with every signed-in request's user: `sql(quote_name, user_id)`
    returns a subquery correlated on `user_id` (the outer query's quoted user id column) and its
    parameters. Called from an app's `AppConfig.ready`; the value is as of the request's start."""
    _USER_FIELDS[name] = sql


def _roles_sql(vendor: str, quote: Callable[[str], str], user_id: str) -> tuple[str, list[Any]]:
    """The user's role names joined by commas (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""
    through = User.groups.through._meta
    joined = "STRING_AGG(g.name, ',')" if vendor == "postgresql" else "GROUP_CONCAT(g.name)"
    names = ", ".join(["%s"] * len(Role.values))
    return (
        f"SELECT {joined} FROM {quote(through.db_table)} ug "
        f"JOIN {quote(Group._meta.db_table)} g ON g.id = ug.{quote(through.get_field('group').column)} "
        f"WHERE ug.{quote(through.get_field('user').column)} = {user_id} AND g.name IN ({names})",
        list(Role.values),
    )


def with_roles(users: QuerySet[User]) -> QuerySet[User]:
    """`users` annotated with `role_names` (see `remember_roles`) and the registered user fields."""
    connection = connections[users.db]
    quote = connection.ops.quote_name
    user_id = f"{quote(User._meta.db_table)}.{quote(User._meta.pk.column)}"  # type: ignore[union-attr]
    region_id = f"{quote(User._meta.db_table)}.{quote(User._meta.get_field('region').column)}"
    fields: dict[str, RawSQL] = {
        "role_names": RawSQL(*_roles_sql(connection.vendor, quote, user_id), output_field=CharField()),
        # The user's region and those below it: every scoped list filters by them (orgs.user_region_ids).
        "region_below": RawSQL(region_below_sql(connection.vendor, region_id), [], output_field=CharField()),
    }
    for name, sql in _USER_FIELDS.items():
        fields[name] = RawSQL(*sql(quote, user_id), output_field=IntegerField())
    return users.annotate(**fields)


def remember_roles(user: User) -> User:
    """Keep the annotated role names where `user_roles` looks first."""
    names = getattr(user, "role_names", None) or ""
    user._minsheng_roles = {name for name in names.split(ROLES_SEPARATOR) if name}  # type: ignore[attr-defined]
    return user


class RolesModelBackend(ModelBackend):
    """Django's model backend; `get_user` (each signed-in request) reads the roles with the user."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            # Region and unit too: every staff page scopes by them.
            user = with_roles(User._default_manager.select_related("region", "unit")).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return remember_roles(user) if self.user_can_authenticate(user) else None
