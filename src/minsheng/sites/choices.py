"""Choices of the sites app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhotoFlag(models.TextChoices):
    """Why a reviewer should look twice at a photo (照片核验)."""

    BEFORE_PERIOD = "before_period", _("taken before the reporting period")
    FAR = "far", _("taken far from the item's sites")
    DUPLICATE = "duplicate", _("near-duplicate of a photo in another report")
