from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinState(models.TextChoices):
    """Where the generation of a bulletin stands."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class BulletinScope(models.TextChoices):
    """What a bulletin covers: its month (月度通报), the quarter ending with it (季度通报) or the year (年度通报).
    All are built from the monthly reports approved up to the end of the chosen period."""

    PERIOD = "period", _("the period")
    QUARTER = "quarter", _("the quarter")
    YEAR = "year", _("the year")
