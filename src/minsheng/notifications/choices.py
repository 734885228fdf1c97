from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Why a person was notified: reminders, a report approved or returned, a supervision notice (督办),
    a red light (an item turned severely lagging), anything else."""

    DUE = "due", _("report due soon")
    OVERDUE = "overdue", _("report overdue")
    APPROVED = "approved", _("report approved")
    RETURNED = "returned", _("report returned")
    NOTICE = "notice", _("supervision notice")
    RED_LIGHT = "red_light", _("red light")
    OTHER = "other", _("other")


class WebhookKind(models.TextChoices):
    """Which group robot (群机器人) a unit's webhook talks to."""

    DINGTALK = "dingtalk", _("DingTalk group robot")
    WECOM = "wecom", _("WeCom group robot")
