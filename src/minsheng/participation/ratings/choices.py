from django.db import models
from django.utils.translation import gettext_lazy as _


class Mark(models.TextChoices):
    """A deputy's rating of one project (满意 / 基本满意 / 不满意)."""

    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class EventStatus(models.TextChoices):
    """A rating event is prepared (rules still editable), open for ratings in its window, then closed."""

    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class TaskStatus(models.TextChoices):
    """A rectification task (整改) waits for the unit's report, then the office's decision."""

    OPEN = "open", _("awaiting a report")
    SUBMITTED = "submitted", _("report submitted")
    RETURNED = "returned", _("returned for more")
    CLOSED = "closed", _("closed")


class ReportDecision(models.TextChoices):
    """The office's decision on a rectification report."""

    PENDING = "pending", _("awaiting decision")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")
