"""User accounts (用户)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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
