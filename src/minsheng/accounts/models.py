"""User accounts (用户) and the sign-in failures and locks (登录失败锁定) all workers share."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import LockKind


class User(AbstractUser):
    """用户: one person. Roles are groups; a reporter belongs to one unit, office staff to one region."""

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The unit a reporter reports for."),
    )
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The region whose plans the person works on; empty means every region."),
    )
    password_changed_at = models.DateTimeField(
        _("password changed"),
        default=timezone.now,
        help_text=_("Under MINSHENG_MLPS staff passwords expire 90 days after this."),
    )
    sessions_ended_at = models.DateTimeField(
        _("sessions ended"),
        null=True,
        blank=True,
        help_text=_("Sessions begun before this time are over (ended by the security administrator)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("A user with that user name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role(self) -> str:
        """The account's role names, comma-separated (what audit rows record as the actor's role)."""
        from minsheng.accounts.policies import user_roles

        if not self.pk:
            return ""
        return ",".join(sorted(user_roles(self, include_inactive=True)))

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class SignInFailure(models.Model):
    """One refused sign-in, kept in the database so every worker counts the same failures."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    address = models.CharField(_("address"), max_length=45, db_index=True)
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-in failure")
        verbose_name_plural = _("sign-in failures")
        ordering = ["-time"]

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.time:%Y-%m-%d %H:%M}"


class SignInLock(models.Model):
    """An account name or client address refused sign-in until `until`."""

    kind = models.CharField(_("kind"), max_length=10, choices=LockKind.choices)
    key = models.CharField(_("locked name or address"), max_length=150)
    since = models.DateTimeField(_("since"), default=timezone.now)
    until = models.DateTimeField(_("until"), db_index=True)

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        ordering = ["-until"]
        indexes = [models.Index(fields=["kind", "key", "until"], name="accounts_lock_key_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.until:%Y-%m-%d %H:%M}"


class SecuritySettings(models.Model):
    """安全策略设置: the sign-in and session rules the security administrator sets on a page.

    One row (pk 1). Absent, the Django settings apply (accounts.security_policy reads both).
    """

    password_min_length = models.PositiveSmallIntegerField(_("minimum password length"))
    password_max_age_days = models.PositiveSmallIntegerField(_("staff password expiry (days)"))
    sign_in_failures = models.PositiveSmallIntegerField(_("failures before a lock"))
    sign_in_window_minutes = models.PositiveSmallIntegerField(_("failure window (minutes)"))
    sign_in_lock_minutes = models.PositiveSmallIntegerField(_("lock duration (minutes)"))
    session_idle_minutes = models.PositiveSmallIntegerField(_("session idle timeout (minutes)"))
    session_max_hours = models.PositiveSmallIntegerField(_("longest session (hours)"))
    totp_required = models.BooleanField(_("second factor required"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")

    def __str__(self) -> str:
        return str(_("security settings"))
