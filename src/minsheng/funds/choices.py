"""Choices of the funds app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundSource(models.TextChoices):
    """Where planned money comes from: 上级补助, 本级财政, 社会资本, 其他."""

    HIGHER = "higher", _("Higher-level subsidy")
    LOCAL = "local", _("Local budget")
    SOCIAL = "social", _("Private capital")
    OTHER = "other", _("Other")
