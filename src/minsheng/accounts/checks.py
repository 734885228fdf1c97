"""`minsheng check` in production: no everyday superuser or staff, no default or demo accounts, no
account with two administrator roles."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from minsheng.accounts.choices import ADMIN_ROLES, Role

# Names that installers, tutorials and the demo create (AUTH-01).
DEFAULT_NAMES = {"admin", "administrator", "root", "test", "sa", "demo", "guest", "user"}
DEMO_NAMES = {"office", "reviewer", "leader", "deputy", "sysadmin", "secadmin", "auditor"}
DEMO_REPORTER = re.compile(r"^reporter\d+$")


@register(Tags.security)
def accounts_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Run in production settings (MINSHENG_PRODUCTION); skipped before the tables exist."""
    if not getattr(settings, "MINSHENG_PRODUCTION", False):
        return []
    try:
        return _problems()
    except DatabaseError:
        return []


def _problems() -> list[Error]:
    from minsheng.accounts.models import User

    errors = []
    users = list(User.objects.filter(is_active=True).prefetch_related("groups"))
    for user in users:
        roles = {g.name for g in user.groups.all()} & set(Role.values)
        if user.is_superuser and roles:
            errors.append(
                Error(
                    f"Account {user.username!r} is a superuser and has everyday roles ({', '.join(sorted(roles))}).",
                    hint="Keep one break-glass superuser without roles; clear is_superuser here.",
                    id="accounts.E001",
                )
            )
        if user.is_staff and not user.is_superuser and Role.SYSTEM_ADMIN.value not in roles:
            errors.append(
                Error(
                    f"Account {user.username!r} is staff (Django admin) without the system administrator role.",
                    hint="Only the system administrator is staff: clear is_staff or run `minsheng adduser`.",
                    id="accounts.E002",
                )
            )
        name = user.username.lower()
        if name in DEFAULT_NAMES or name in DEMO_NAMES or DEMO_REPORTER.match(name):
            errors.append(
                Error(
                    f"Default or demo account {user.username!r} exists in a production database.",
                    hint="Deactivate it and give each person an account of their own.",
                    id="accounts.E003",
                )
            )
        if len(roles & ADMIN_ROLES) > 1:
            errors.append(
                Error(
                    f"Account {user.username!r} holds several administrator roles: {', '.join(sorted(roles & ADMIN_ROLES))}.",
                    hint="The system, security and audit administrators must be different accounts.",
                    id="accounts.E004",
                )
            )
    return errors


@register(Tags.security)
def totp_digest_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """MINSHENG_TOTP_DIGEST names a hash the second factor supports (AUTH-07)."""
    from django.core.exceptions import ImproperlyConfigured

    from minsheng.accounts.totp import totp_digest

    try:
        totp_digest()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc), hint='Use "sha1" (authenticator apps) or "sm3" (国密 tokens).', id="accounts.E005"
            )
        ]
    return []
