"""Sign-in backend: Django's, but a signed-in request reads its user and the user's roles in one query.

Every page asks for the roles (navigation, policies), so `ModelBackend.get_user` plus the roles query was
two queries per request; here the role names come with the user row (`accounts.policies.user_roles`
finds them on the user and asks nothing more). Apps above `accounts` add what every page of theirs asks
about the signed-in user to the same query (`user_field_register`: the unread notifications count).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, Expression, Q, QuerySet

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User

ROLES_SEPARATOR = ","


class RoleNames(Aggregate):
    """The user's role names joined by commas (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        joined = self.copy()
        joined.function = "STRING_AGG"
        joined.template = "%(function)s(%(expressions)s, ',')"
        return super(RoleNames, joined).as_sql(compiler, connection, **extra)


_USER_FIELDS: dict[str, Callable[[], Expression]] = {}


def user_field_register(name: str, expression: Callable[[], Expression]) -> None:
    """Read `expression()` (a subquery on the user's `pk`, one value) as `user.<name>` with every signed-in
    request's user; called from an app's `AppConfig.ready`. The value is as of the request's start."""
    _USER_FIELDS[name] = expression


def with_roles(users: QuerySet[User]) -> QuerySet[User]:
    """`users` annotated with `role_names` (see `remember_roles`) and the registered user fields."""
    return users.annotate(
        role_names=RoleNames("groups__name", filter=Q(groups__name__in=Role.values)),
        **{name: expression() for name, expression in _USER_FIELDS.items()},
    )


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
