"""Sign-in backend: Django's, but a signed-in request reads its user and the user's roles in one query.

Every page asks for the roles (navigation, policies), so `ModelBackend.get_user` plus the roles query was
two queries per request; here the role names come with the user row (`accounts.policies.user_roles`
finds them on the user and asks nothing more), and so do the ids of the user's region and the regions
under it (`orgs.selectors.user_region_ids`: every list scoped by region filters by them). Apps above
`accounts` add what every page of theirs asks about the signed-in user to the same query
(`user_field_register`: the unread notifications count).

The additions are correlated subqueries written as SQL, not ORM subqueries or an aggregate over the
roles' join (Django spent ≈ 1.8 ms compiling that ORM form, a GROUP BY over every column). The session's
user query (`user_by_id`) is written once per process and database, not compiled by the ORM on every
request (≈ 0.5 ms), and on PostgreSQL it is a prepared statement of the connection (`core.prepared`:
planned once, not on every request, ≈ 0.6 → 0.2 ms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, ForeignKey, IntegerField, Model, QuerySet
from django.db.models.expressions import RawSQL

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.core.prepared import prepared_statements
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
    _USER_QUERIES.clear()


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


def _user_extras(connection: BaseDatabaseWrapper) -> dict[str, tuple[str, list[Any], type[Any]]]:
    """name → (SQL of a subquery correlated on the user row, its parameters, its output field's class)."""
    quote = connection.ops.quote_name
    user_id = f"{quote(User._meta.db_table)}.{quote(User._meta.pk.column)}"  # type: ignore[union-attr]
    region_id = f"{quote(User._meta.db_table)}.{quote(User._meta.get_field('region').column)}"
    extras: dict[str, tuple[str, list[Any], type[Any]]] = {
        "role_names": (*_roles_sql(connection.vendor, quote, user_id), CharField),
        # The user's region and those below it: every scoped list filters by them (orgs.user_region_ids).
        "region_below": (region_below_sql(connection.vendor, region_id), [], CharField),
    }
    for name, sql in _USER_FIELDS.items():
        extras[name] = (*sql(quote, user_id), IntegerField)
    return extras


def with_roles(users: QuerySet[User]) -> QuerySet[User]:
    """`users` annotated with `role_names` (see `remember_roles`) and the registered user fields."""
    extras = _user_extras(connections[users.db])
    return users.annotate(
        **{name: RawSQL(sql, params, output_field=field()) for name, (sql, params, field) in extras.items()}
    )


@dataclass(frozen=True)
class _Columns:
    """One model's slice of the user query's row, and how to make an instance of it."""

    model: type[Model]
    attnames: tuple[str, ...]
    converters: tuple[tuple[Any, tuple[Callable[..., Any], ...]], ...]  # (column, converters) per value

    @classmethod
    def of(cls, model: type[Model], connection: BaseDatabaseWrapper) -> _Columns:
        fields = model._meta.concrete_fields
        columns = [field.get_col(model._meta.db_table) for field in fields]
        return cls(
            model,
            tuple(field.attname for field in fields),
            tuple(
                (
                    column,
                    tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection)),
                )
                for column in columns
            ),
        )

    def select(self, connection: BaseDatabaseWrapper) -> list[str]:
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        return [f"{table}.{quote(field.column)}" for field in self.model._meta.concrete_fields]

    def instance(self, connection: BaseDatabaseWrapper, values: tuple[Any, ...]) -> Model | None:
        """The instance the values describe, or None when the outer join found no row."""
        if values[0] is None:  # the primary key comes first
            return None
        converted = []
        for value, (column, converters) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


@dataclass(frozen=True)
class _UserQuery:
    """The signed-in user, the user's unit and region and the extras, by the user's id: one row."""

    sql: str
    params: tuple[Any, ...]  # the extras' parameters; the user's id follows
    user: _Columns
    extras: tuple[str, ...]
    # The user's foreign keys read with it (unit, region), each with its model's columns.
    related: tuple[tuple[ForeignKey[Any, Any], _Columns], ...]

    @classmethod
    def build(cls, connection: BaseDatabaseWrapper) -> _UserQuery:
        quote = connection.ops.quote_name
        user = _Columns.of(User, connection)
        extras = _user_extras(connection)
        select = user.select(connection) + [
            f"({sql}) AS {quote(name)}" for name, (sql, _p, _f) in extras.items()
        ]
        joins = []
        related = []
        for name in ("unit", "region"):
            field = User._meta.get_field(name)
            assert isinstance(field, ForeignKey)
            model: type[Model] = field.remote_field.model  # type: ignore[assignment]
            columns = _Columns.of(model, connection)
            select += columns.select(connection)
            target = quote(model._meta.db_table)
            joins.append(
                f"LEFT OUTER JOIN {target} ON ({quote(User._meta.db_table)}.{quote(field.column)} = "
                f"{target}.{quote(field.target_field.column)})"
            )
            related.append((field, columns))
        sql = (
            f"SELECT {', '.join(select)} FROM {quote(User._meta.db_table)} {' '.join(joins)} "
            f"WHERE {quote(User._meta.db_table)}.{quote(User._meta.pk.column)} = %s"  # type: ignore[union-attr]
        )
        params = tuple(param for _sql, extra_params, _f in extras.values() for param in extra_params)
        return cls(sql, params, user, tuple(extras), tuple(related))

    def read(self, connection: BaseDatabaseWrapper, user_id: Any) -> User | None:
        with prepared_statements(), connection.cursor() as cursor:
            cursor.execute(self.sql, (*self.params, user_id))
            row = cursor.fetchone()
        if row is None:
            return None
        width = len(self.user.attnames)
        user = self.user.instance(connection, row[:width])
        assert isinstance(user, User)
        for name, value in zip(self.extras, row[width : width + len(self.extras)], strict=True):
            setattr(user, name, value)
        start = width + len(self.extras)
        for field, columns in self.related:
            end = start + len(columns.attnames)
            field.set_cached_value(user, columns.instance(connection, row[start:end]))
            start = end
        return user


_USER_QUERIES: dict[str, _UserQuery] = {}  # database alias → its user query, written on first use


def user_by_id(user_id: Any) -> User | None:
    """The user with this id, its unit, region, role names and registered fields, in one query."""
    try:
        user_id = User._meta.pk.to_python(user_id)  # type: ignore[union-attr]
    except ValidationError:
        return None
    using = router.db_for_read(User)
    connection = connections[using]
    query = _USER_QUERIES.get(using)
    if query is None:
        query = _USER_QUERIES[using] = _UserQuery.build(connection)
    return query.read(connection, user_id)


def remember_roles(user: User) -> User:
    """Keep the annotated role names where `user_roles` looks first."""
    names = getattr(user, "role_names", None) or ""
    user._minsheng_roles = {name for name in names.split(ROLES_SEPARATOR) if name}  # type: ignore[attr-defined]
    return user


class RolesModelBackend(ModelBackend):
    """Django's model backend; `get_user` (each signed-in request) reads the roles with the user."""

    def get_user(self, user_id: Any) -> User | None:
        user = user_by_id(user_id)  # region and unit too: every staff page scopes by them
        if user is None:
            return None
        return remember_roles(user) if self.user_can_authenticate(user) else None
