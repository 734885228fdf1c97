from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role is a Django group with this name."""

    OFFICE = "office", _("supervision office")
    REVIEWER = "reviewer", _("reviewer")
    REPORTER = "reporter", _("unit reporter")
    LEADER = "leader", _("leader")
    DEPUTY = "deputy", _("people's deputy")
