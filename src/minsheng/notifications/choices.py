from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Why a person was notified (reminders, supervision notices, anything else)."""

    DUE = "due", _("report due soon")
    OVERDUE = "overdue", _("report overdue")
    NOTICE = "notice", _("supervision notice")
    OTHER = "other", _("other")
