from django.db import models
from django.utils.translation import gettext_lazy as _


class Cycle(models.TextChoices):
    """How often lead units report."""

    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")


class ReportStatus(models.TextChoices):
    """Where a report stands in review: draft → submitted → approved, or returned → resubmitted."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


class MilestoneProgress(models.TextChoices):
    """State of a milestone in a report: 未启动 / 推进中 / 已完成."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class RevisionAction(models.TextChoices):
    """What a history entry of a report records."""

    CREATE = "create", _("created")
    SAVE = "save", _("saved")
    COPY = "copy", _("copied from last period")
    SUBMIT = "submit", _("submitted")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")
    CONTRIBUTION = "contribution", _("partner contribution")
    EVIDENCE = "evidence", _("evidence added")
    UPLOAD = "upload", _("uploaded from a spreadsheet")


class ExtensionStatus(models.TextChoices):
    """An extension request is pending until the office approves or refuses it."""

    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class OutcomeKind(models.TextChoices):
    """How an item ended: 已完成, 调整后完成 (with reason) or 终止 (with reason)."""

    DONE = "done", _("done")
    ADJUSTED = "adjusted", _("done after an approved change")
    TERMINATED = "terminated", _("terminated")


class EvidenceState(models.TextChoices):
    """A photo's clean copy and thumbnail (生成中 while the task runner makes them; 失败 with the error)."""

    READY = "ready", _("ready")
    PROCESSING = "processing", _("being prepared")
    FAILED = "failed", _("could not be prepared")
