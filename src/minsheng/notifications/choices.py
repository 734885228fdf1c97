from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Why a person was notified."""

    DUE = "due", _("report due soon")
    OVERDUE = "overdue", _("report overdue")
    NOTICE = "notice", _("supervision notice")
    REVIEW = "review", _("report reviewed")
    OTHER = "other", _("other")
