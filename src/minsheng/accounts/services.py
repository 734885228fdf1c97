"""Create and change accounts; record sign-ins, sign-outs and failures; lock and expire accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from minsheng.accounts import policies
from minsheng.accounts.choices import LockKind, Role
from minsheng.accounts.models import SignInFailure, SignInLock, User
from minsheng.accounts.security_policy import security_policy
from minsheng.accounts.selectors import api_token_expired
from minsheng.accounts.totp import device_verify, match_code
from minsheng.audit.choices import Action, Outcome
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.orgs.models import Region, Unit

# The system administrator keeps these apps' rows in Django admin; nobody else is staff.
_SYSTEM_ADMIN_APPS = ("orgs", "accounts", "plans", "interchange", "auth")


def role_groups_ensure() -> dict[str, Group]:
    """The role groups, created when missing. Only the system administrator's group holds admin
    permissions; the office works from the app's own pages."""
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        groups[role.value] = group
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=_SYSTEM_ADMIN_APPS).values_list("pk", flat=True)
    )
    system = groups[Role.SYSTEM_ADMIN]
    have = set(system.permissions.values_list("pk", flat=True))
    if wanted - have:
        system.permissions.add(*(wanted - have))
    for name, group in groups.items():
        if name != Role.SYSTEM_ADMIN and group.permissions.exists():
            group.permissions.clear()
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


def _forget_roles(user: User) -> None:
    for attr in ("_minsheng_roles", "_minsheng_manager_regions"):
        if hasattr(user, attr):
            delattr(user, attr)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc


def _clean_roles(roles: Iterable[Role | str]) -> list[Role]:
    names = sorted({str(r) for r in roles})
    if not names:
        raise ValidationFailed("Choose at least one role.", field="roles")
    unknown = [n for n in names if n not in Role.values]
    if unknown:
        raise ValidationFailed(
            f"Unknown role {unknown[0]!r}; use one of {', '.join(Role.values)}.", field="role"
        )
    conflict = policies.admin_role_conflict(names)
    if conflict:
        labels = " and ".join(str(Role(n).label) for n in conflict)
        raise ValidationFailed(
            f"One account cannot be both {labels}: the three administrators must be different people.",
            field="roles",
        )
    return [Role(n) for n in names]


def _check_acting(
    acting_user: User | None, user: User | None, roles: list[Role], region: Region | None
) -> None:
    """Pages pass the signed-in user: the account, its region and the roles must be theirs to give."""
    if acting_user is None:
        return  # a command run on the server
    allowed = set(policies.assignable_roles(acting_user))
    refused = [r for r in roles if r not in allowed]
    if refused:
        raise NotAllowed(f"You may not give the role {refused[0].label}.", field="roles")
    if user is not None and user.pk and not policies.can_manage_account(acting_user, user):
        raise NotAllowed("This account is not in a region you manage.")
    if not policies.in_managed_region(acting_user, region.pk if region is not None else None):
        raise NotAllowed("Choose a region you manage.", field="region")


def _save_account(
    *,
    acting_user: User | None,
    user: User | None,
    username: str,
    roles: list[Role],
    password: str | None,
    unit: Unit | None,
    region: Region | None,
) -> User:
    if Role.REPORTER in roles and unit is None:
        raise ValidationFailed("A reporter needs a unit (--unit).", field="unit")
    if region is None and unit is not None:
        region = unit.region
    if unit is not None and region is not None and unit.region_id != region.pk:
        raise ValidationFailed(f"The unit {unit} belongs to another region than {region}.", field="unit")
    _check_acting(acting_user, user, roles, region)
    created = user is None
    if user is None:
        if not password:
            raise ValidationFailed("A new account needs a password.", field="password")
        user = User(username=username)
    before = None if created else _user_state(user)
    if password:
        _check_password(password, user)
        user.set_password(password)
    user.unit = unit
    user.region = region
    # Only the system administrator uses Django admin (a superuser keeps is_staff for break-glass use).
    user.is_staff = Role.SYSTEM_ADMIN in roles or user.is_superuser
    user.is_active = True
    user.save()
    groups = role_groups_ensure()
    user.groups.remove(*[g for name, g in groups.items() if name not in roles])
    user.groups.add(*[groups[r.value] for r in roles])
    _forget_roles(user)
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

    A reporter needs a unit; the region defaults to the unit's. Only the system administrator is staff.
    The password is checked against the password validators; None keeps an existing password.
    """
    username = username.strip()
    if not username:
        raise ValidationFailed("A user name is required.", field="username")
    roles = _clean_roles([role])
    user = User.objects.filter(username__iexact=username).first()
    return _save_account(
        acting_user=acting_user,
        user=user,
        username=username,
        roles=roles,
        password=password,
        unit=unit,
        region=region,
    )


@transaction.atomic
def user_save(
    *,
    acting_user: User | None,
    user: User | None,
    username: str = "",
    roles: Iterable[Role | str],
    unit: Unit | None = None,
    region: Region | None = None,
    password: str | None = None,
) -> User:
    """Create an account (`user` None, with `username` and `password`) or change an existing one's roles,
    unit and region. Two administrator roles on one account are refused (三权分立)."""
    role_list = _clean_roles(roles)
    if user is None:
        username = username.strip()
        if not username:
            raise ValidationFailed("A user name is required.", field="username")
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationFailed(f"The user name {username} is already taken.", field="username")
    else:
        user = User.objects.select_for_update().get(pk=user.pk)
    return _save_account(
        acting_user=acting_user,
        user=user,
        username=username,
        roles=role_list,
        password=password,
        unit=unit,
        region=region,
    )


def _end_tokens(user: User) -> int:
    return Token.objects.filter(user=user).delete()[0]


@transaction.atomic
def user_set_active(*, acting_user: User | None, user: User, active: bool, reason: str = "") -> User:
    """Deactivate (sessions stop at the next request, API tokens are deleted) or reactivate an account."""
    if acting_user is not None and not policies.can_manage_account(acting_user, user):
        raise NotAllowed("This account is not in a region you manage.")
    if acting_user is not None and acting_user.pk == user.pk and not active:
        raise ValidationFailed("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    if active:
        # A reactivated account starts a new idle period instead of expiring again at once.
        user.last_login = timezone.now()
    else:
        # Sessions begun before now stay over even if the account is reactivated later.
        user.sessions_ended_at = timezone.now()
    user.save(update_fields=["is_active", "last_login", "sessions_ended_at"])
    tokens = 0 if active else _end_tokens(user)
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=user,
        before={"is_active": not active},
        after={"is_active": active, "tokens_deleted": tokens},
        message=reason,
    )
    return user


@transaction.atomic
def user_password_set(*, acting_user: User | None, user: User, password: str) -> User:
    """Set `user`'s password (reset by a manager, or changed by the person), checked by the validators."""
    if (
        acting_user is not None
        and acting_user.pk != user.pk
        and not policies.can_manage_account(acting_user, user)
    ):
        raise NotAllowed("This account is not in a region you manage.")
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=user,
        after={"password_changed": True, "by_owner": acting_user is not None and acting_user.pk == user.pk},
    )
    return user


@transaction.atomic
def accounts_expire(*, acting_user: User | None = None, now: dt.datetime | None = None) -> list[User]:
    """Deactivate accounts not signed in for MINSHENG_ACCOUNT_IDLE_DAYS (never signed in: since created).

    A superuser is the break-glass account and is left alone; each deactivation is audited.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.MINSHENG_ACCOUNT_IDLE_DAYS)
    idle = (
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("username")
    )
    expired = []
    for user in idle:
        expired.append(
            user_set_active(acting_user=acting_user, user=user, active=False, reason="idle for 90 days")
        )
    return expired


# Sign-in: failures and locks live in the database so that every worker counts the same attempts.


def _lock_minutes() -> dt.timedelta:
    return dt.timedelta(minutes=security_policy().sign_in_lock_minutes)


def _maybe_lock(kind: LockKind, key: str, failures_filter: dict[str, str], now: dt.datetime) -> bool:
    policy = security_policy()
    window_start = now - dt.timedelta(minutes=policy.sign_in_window_minutes)
    last_lock = SignInLock.objects.filter(kind=kind, key=key).order_by("-until").first()
    since = max(window_start, last_lock.until) if last_lock is not None else window_start
    if last_lock is not None and last_lock.until > now:
        return False
    count = SignInFailure.objects.filter(time__gt=since, **failures_filter).count()
    if count < policy.sign_in_failures:
        return False
    SignInLock.objects.create(kind=kind, key=key, since=now, until=now + _lock_minutes())
    return True


def _audit_refusal(*, address: str, outcome: Outcome, obj_type: str, obj_repr: str, message: str) -> None:
    """An audit row for a refused attempt; no actor, since nobody is signed in."""
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        outcome=outcome,
        address=address,
        object_type=obj_type,
        object_repr=obj_repr[:255],
        message=message,
    )


@transaction.atomic
def sign_in_failed(*, username: str, address: str, channel: str, reason: str = "password") -> bool:
    """Record a refused sign-in; lock the name or the address after too many. True when now locked.

    The audit row names the attempted user name (known or not) so the response stays the same for both.
    """
    now = timezone.now()
    key = username.strip().lower()[:150]
    # Failures older than a day count for nothing any more; dropping them keeps the table small.
    SignInFailure.objects.filter(time__lt=now - dt.timedelta(days=1)).delete()
    SignInFailure.objects.create(username=key, address=address, time=now)
    locks = [
        f"{kind}:{lock_key}"
        for kind, lock_key, flt in (
            (LockKind.ACCOUNT, key, {"username": key}),
            (LockKind.ADDRESS, address, {"address": address}),
        )
        if _maybe_lock(kind, lock_key, flt, now)
    ]
    # One audit row per attempt: the failure, or the failure that locked (AUD-01, event-type table).
    if locks:
        _audit_refusal(
            address=address,
            outcome=Outcome.DENIED,
            obj_type="accounts.signinlock",
            obj_repr=", ".join(locks),
            message=f"{channel}: {reason}; locked for {security_policy().sign_in_lock_minutes} minutes",
        )
    else:
        _audit_refusal(
            address=address,
            outcome=Outcome.FAILURE,
            obj_type="accounts.user",
            obj_repr=username[:150],
            message=f"{channel}: {reason}",
        )
    locked = bool(locks)
    return locked


@transaction.atomic
def sign_in_refused_locked(*, username: str, address: str, channel: str) -> None:
    """Audit an attempt made while the name or address is locked (the password is not even checked)."""
    _audit_refusal(
        address=address,
        outcome=Outcome.DENIED,
        obj_type="accounts.user",
        obj_repr=username[:150],
        message=f"{channel}: locked",
    )


@transaction.atomic
def sign_in_succeeded(*, user: User, address: str, channel: str) -> None:
    """Audit a sign-in and forget the account's earlier failures."""
    SignInFailure.objects.filter(username=user.username.lower()).delete()
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    audit_record(actor=user, action=Action.LOGIN, obj=user, address=address, message=channel)


@transaction.atomic
def sign_out(*, user: User, reason: str = "") -> None:
    """Audit a sign-out and delete the account's API tokens (they end with the session)."""
    tokens = _end_tokens(user)
    audit_record(
        actor=user,
        action=Action.LOGOUT,
        obj=user,
        after={"tokens_deleted": tokens},
        message=reason or "signed out",
    )


@transaction.atomic
def sessions_end(*, acting_user: User, user: User) -> None:
    """End every session and API token of `user` now (a stolen laptop, a leaver, a suspicion)."""
    if not policies.can_manage_sign_in_locks(acting_user):
        raise NotAllowed("Only the security administrator ends other people's sessions.")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.sessions_ended_at = timezone.now()
    user.save(update_fields=["sessions_ended_at"])
    tokens = _end_tokens(user)
    audit_record(
        actor=acting_user,
        action=Action.LOGOUT,
        obj=user,
        after={"sessions_ended_at": user.sessions_ended_at.isoformat(), "tokens_deleted": tokens},
        message="sessions ended by the security administrator",
    )


@transaction.atomic
def sign_in_lock_lift(*, acting_user: User, lock: SignInLock) -> None:
    """End a lock early (the security administrator, after checking with the person)."""
    if not policies.can_manage_sign_in_locks(acting_user):
        raise NotAllowed("Only the security administrator lifts sign-in locks.")
    lock = SignInLock.objects.select_for_update().get(pk=lock.pk)
    now = timezone.now()
    before = {"until": lock.until.isoformat()}
    lock.until = now
    lock.save(update_fields=["until"])
    if lock.kind == LockKind.ACCOUNT:
        SignInFailure.objects.filter(username=lock.key).delete()
    else:
        SignInFailure.objects.filter(address=lock.key).delete()
    audit_record(
        actor=acting_user, action=Action.UPDATE, obj=lock, before=before, after={"until": now.isoformat()}
    )


@transaction.atomic
def api_token_issue(*, acting_user: User, address: str) -> Token:
    """The user's API token (a new one when none is valid), with a sign-in audit row."""
    token = Token.objects.filter(user=acting_user).first()
    if token is not None and api_token_expired(token):
        token.delete()
        token = None
    created = token is None
    if token is None:
        token = Token.objects.create(user=acting_user)
    sign_in_succeeded(
        user=acting_user, address=address, channel="api token" + (" created" if created else "")
    )
    return token


# The second factor (双因素认证): a TOTP device per person plus single-use backup codes.


@transaction.atomic
def totp_device_start(*, acting_user: User) -> TOTPDevice:
    """The person's unconfirmed authenticator (made once, kept until confirmed by a code)."""
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=acting_user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, acting_user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns new backup codes (shown once).

    Earlier authenticators and backup codes of the person are removed: one device per person.
    """
    if device.user_id != acting_user.pk or device.confirmed:
        raise NotAllowed("This authenticator is not waiting for confirmation.")
    if not device_verify(device, code):
        raise ValidationFailed("That code is not the one the app shows now; try the next one.", field="code")
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(acting_user)
    audit_record(actor=acting_user, action=Action.CREATE, obj=device, message="authenticator confirmed")
    return codes


def _backup_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MINSHENG_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def backup_codes_renew(*, acting_user: User) -> list[str]:
    """New backup codes for a person with a confirmed authenticator; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        raise ValidationFailed("Set up the authenticator app first.")
    codes = _backup_codes_replace(acting_user)
    audit_record(actor=acting_user, action=Action.UPDATE, obj=acting_user, message="backup codes renewed")
    return codes


@transaction.atomic
def second_factor_check(*, acting_user: User, code: str, address: str) -> Device | None:
    """The device that accepts `code` (each code works once), else None after counting a failure."""
    device = match_code(acting_user, code)
    if device is None:
        sign_in_failed(username=acting_user.username, address=address, channel="web", reason="one-time code")
        return None
    audit_record(
        actor=acting_user,
        action=Action.LOGIN,
        obj=acting_user,
        address=address,
        message="second factor: " + ("backup code" if isinstance(device, StaticDevice) else "authenticator"),
    )
    return device


@transaction.atomic
def second_factor_reset(*, acting_user: User, user: User) -> None:
    """Remove a person's authenticator and backup codes (lost phone): they enrol again at next sign-in."""
    if not policies.can_manage_account(acting_user, user) and not policies.is_security_admin(acting_user):
        raise NotAllowed("This account is not in a region you manage.")
    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    )
    audit_record(actor=acting_user, action=Action.UPDATE, obj=user, after={"second_factor_removed": removed})
