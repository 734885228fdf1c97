from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteRule(models.TextChoices):
    """How many candidates a ballot names: exactly N, or at most N, of the M candidates."""

    EXACTLY = "exactly", _("choose exactly N")
    AT_MOST = "at_most", _("choose at most N")


class EventStatus(models.TextChoices):
    """scheduled (rules fixed; ballots in the window) → closed (counted, frozen) → published."""

    SCHEDULED = "scheduled", _("scheduled")
    CLOSED = "closed", _("closed and counted")
    PUBLISHED = "published", _("results published")


class Channel(models.TextChoices):
    """How a deputy voted: on the electronic ballot, or on paper in the hall."""

    ELECTRONIC = "electronic", _("electronic")
    PAPER = "paper", _("paper")
