from django.db import models
from django.utils.translation import gettext_lazy as _


class Score(models.IntegerChoices):
    """The public's five-point scale (五级评价): 5 very satisfied … 1 very dissatisfied."""

    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    NEUTRAL = 3, _("neutral")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


class Channel(models.TextChoices):
    """How the rater was told apart: a verified phone, a signed-in account, or only the address."""

    PHONE = "phone", _("verified phone")
    ACCOUNT = "account", _("signed-in account")
    ADDRESS = "address", _("address only (moderated)")


class CommentStatus(models.TextChoices):
    """A comment shows publicly once approved; with no verifier configured it waits for the office."""

    NONE = "none", _("no comment")
    PENDING = "pending", _("awaiting moderation")
    APPROVED = "approved", _("shown")
    REJECTED = "rejected", _("hidden")
