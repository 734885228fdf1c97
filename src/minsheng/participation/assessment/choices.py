from django.db import models
from django.utils.translation import gettext_lazy as _


class Part(models.TextChoices):
    """The parts of a unit's score (考核指标), each 0–100 before weighting."""

    ON_TIME = "on_time", _("on-time reporting")
    COMPLETION = "completion", _("completion against schedule")
    SUPERVISION = "supervision", _("supervision notices")
    SATISFACTION = "satisfaction", _("deputies' satisfaction")
    RECTIFICATION = "rectification", _("rectification")
