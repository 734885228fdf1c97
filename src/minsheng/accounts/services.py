"""Create and change accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.models import Region, Unit

# The office edits what these apps hold through Django admin; audit rows it may only read.
_OFFICE_APPS = ("orgs", "plans", "interchange", "accounts")
_OFFICE_VIEW_APPS = ("audit",)


def role_groups_ensure() -> dict[str, Group]:
    """The role groups, created when missing; the office group gets the admin permissions it needs."""
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        groups[role.value] = group
    office = groups[Role.OFFICE]
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=_OFFICE_APPS).values_list("pk", flat=True)
    ) | set(
        Permission.objects.filter(
            content_type__app_label__in=_OFFICE_VIEW_APPS, codename__startswith="view_"
        ).values_list("pk", flat=True)
    )
    have = set(office.permissions.values_list("pk", flat=True))
    if wanted - have:
        office.permissions.add(*(wanted - have))
    return groups


def _user_state(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "roles": sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.pk
        else [],
        "unit": user.unit_id,
        "region": user.region_id,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


@transaction.atomic
def user_upsert(
    *,
    acting_user: User | None,
    username: str,
    role: Role | str,
    password: str | None,
    unit: Unit | None = None,
    region: Region | None = None,
) -> User:
    """Create the account `username` with one role, or update an existing one to that role.

    A reporter needs a unit; the region defaults to the unit's. Office staff get Django admin access.
    The password is checked against the password validators; None keeps an existing password.
    """
    username = username.strip()
    if not username:
        raise ValidationFailed("A user name is required.", field="username")
    if role not in Role.values:
        raise ValidationFailed(f"Unknown role {role!r}; use one of {', '.join(Role.values)}.", field="role")
    role = Role(role)
    if role == Role.REPORTER and unit is None:
        raise ValidationFailed("A reporter needs a unit (--unit).", field="unit")
    if region is None and unit is not None:
        region = unit.region
    user = User.objects.filter(username__iexact=username).first()
    created = user is None
    if user is None:
        if not password:
            raise ValidationFailed("A new account needs a password.", field="password")
        user = User(username=username)
    before = None if created else _user_state(user)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    user.unit = unit
    user.region = region
    user.is_staff = role == Role.OFFICE
    user.is_active = True
    user.save()
    groups = role_groups_ensure()
    other_roles = [g for name, g in groups.items() if name != role.value]
    user.groups.remove(*other_roles)
    user.groups.add(groups[role.value])
    if hasattr(user, "_minsheng_roles"):
        del user._minsheng_roles
    after = _user_state(user)
    if created or before != after or password:
        audit_record(
            actor=acting_user,
            action=Action.CREATE if created else Action.UPDATE,
            obj=user,
            before=before,
            after={**after, "password_changed": bool(password)},
        )
    return user
