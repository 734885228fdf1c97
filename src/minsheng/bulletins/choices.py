from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinState(models.TextChoices):
    """Where the generation of a bulletin stands."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
