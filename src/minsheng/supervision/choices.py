from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeStatus(models.TextChoices):
    """issued → replied → closed (办结销号), or replied → returned → replied again."""

    ISSUED = "issued", _("issued")
    REPLIED = "replied", _("replied")
    RETURNED = "returned", _("returned for more work")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (NoticeStatus.ISSUED, NoticeStatus.REPLIED, NoticeStatus.RETURNED)
