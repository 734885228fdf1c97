from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    """Where an uploaded list stands."""

    PREVIEWED = "previewed", _("previewed")
    COMMITTED = "committed", _("committed")
    FAILED = "failed", _("failed")
