from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """A plan is drafted (imported, corrected) and then published."""

    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class UnitRole(models.TextChoices):
    """How a unit takes part in an item."""

    LEAD = "lead", _("lead unit")
    PARTNER = "partner", _("partner unit")


class TargetOp(models.TextChoices):
    """How the value binds: exactly, at least, at most, about."""

    EQ = "=", _("equal to")
    GTE = ">=", _("at least")
    LTE = "<=", _("at most")
    APPROX = "~", _("about")
