"""Progress reporting (进度填报): periods, reports, values, evidence, history, extensions, outcomes, snapshots."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.progress.choices import (
    Cycle,
    EvidenceState,
    ExtensionStatus,
    MilestoneProgress,
    OutcomeKind,
    ReportStatus,
    RevisionAction,
)


class ReportingSettings(models.Model):
    """填报设置: a plan's reporting cycle, deadline day and warning thresholds."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reporting_settings"
    )
    cycle = models.CharField(
        _("reporting cycle"), max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "Day of the period's last month by which reports are due (the month's last day if shorter)."
        ),
    )
    lag_threshold = models.DecimalField(
        _("lagging threshold (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text=_("More than this many percentage points behind schedule is lagging."),
    )
    severe_threshold = models.DecimalField(
        _("severe threshold (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25"),
        help_text=_("More than this many percentage points behind schedule is severely lagging."),
    )
    approx_tolerance = models.DecimalField(
        _("tolerance for approximate targets (%)"), max_digits=5, decimal_places=2, default=Decimal("5")
    )

    class Meta:
        verbose_name = _("reporting settings")
        verbose_name_plural = _("reporting settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severe_threshold__gte=models.F("lag_threshold")),
                name="progress_settings_severe_gte_lag",
                violation_error_message=_("The severe threshold cannot be below the lagging threshold."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_cycle_display()}"


class Period(models.Model):
    """填报周期: one month (or quarter) of a plan's year, with its report deadline."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("1 for the first period of the year."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "start"],
                name="progress_period_unique_start",
                violation_error_message=_("This plan already has a period starting on this day."),
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="progress_period_end_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.start:%Y-%m}"
            if self.start.month == self.end.month
            else f"{self.start:%Y-%m}–{self.end:%m}"
        )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


# What a report says (its content): a revision compares these, and the API hides them from status-only readers.
REPORT_CONTENT_FIELDS = (
    "progress",
    "problems",
    "next_steps",
    "review_comment",
    "target_values",
    "milestone_states",
    "contributions",
)


class ProgressReport(TimeStampedModel):
    """进度报告: the lead unit's report on one item for one period."""

    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raised by every change; a save based on an older version is refused."),
    )
    progress = models.TextField(_("progress made"), blank=True, help_text=_("进展情况"))
    problems = models.TextField(_("problems"), blank=True, help_text=_("存在问题"))
    next_steps = models.TextField(_("next steps"), blank=True, help_text=_("下步计划"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period__start", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "period"],
                name="progress_report_unique_item_period",
                violation_error_message=_("This item already has a report for this period."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="progress_report_queue_idx"),
            # Lights and the portal read "approved reports of these items" (issue 11).
            models.Index(fields=["item", "status"], name="progress_report_item_status"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.period}"


class TargetValue(models.Model):
    """完成值: the cumulative value a target has reached, as reported."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="target_values"
    )
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="reported_values"
    )
    value = models.DecimalField(_("value reached"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        ordering = ["report", "target__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "target"],
                name="progress_targetvalue_unique",
                violation_error_message=_("A report gives one value per target."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id}: {self.value}"


class MilestoneState(models.Model):
    """节点状态: a milestone's state (未启动 / 推进中 / 已完成) as reported."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="milestone_states"
    )
    milestone = models.ForeignKey(
        "plans.Milestone",
        verbose_name=_("milestone"),
        on_delete=models.CASCADE,
        related_name="reported_states",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MilestoneProgress.choices, default=MilestoneProgress.NOT_STARTED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone state")
        verbose_name_plural = _("milestone states")
        ordering = ["report", "milestone__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "milestone"],
                name="progress_milestonestate_unique",
                violation_error_message=_("A report gives one state per milestone."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.state}"


class PartnerContribution(models.Model):
    """配合情况: what a partner unit did towards the item this period."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="contributions"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("partner unit"), on_delete=models.PROTECT, related_name="contributions"
    )
    text = models.TextField(_("contribution"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner contribution")
        verbose_name_plural = _("partner contributions")
        ordering = ["report", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit"],
                name="progress_contribution_unique_unit",
                violation_error_message=_("A partner unit gives one contribution per report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.text[:40]}"


def _random_name(folder: str, filename: str) -> str:
    """A random path under `folder`, keeping only a safe lower-case extension."""
    suffix = PurePosixPath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    token = secrets.token_hex(16)
    return f"{folder}/{token[:2]}/{token}{suffix}"


def evidence_original_path(instance: Any, filename: str) -> str:
    return _random_name("evidence/original", filename)


def evidence_public_path(instance: Any, filename: str) -> str:
    return _random_name("evidence/public", filename)


def evidence_thumbnail_path(instance: Any, filename: str) -> str:
    return _random_name("evidence/thumb", filename)


class Evidence(models.Model):
    """佐证材料: a photo or document attached to a report.

    The original is kept for the office; images also get a copy without metadata (GPS, camera) for
    everyone else, and a thumbnail.
    """

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    original = models.FileField(_("original file"), upload_to=evidence_original_path, max_length=200)
    public_copy = models.FileField(
        _("public copy"), upload_to=evidence_public_path, blank=True, max_length=200
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=evidence_thumbnail_path, blank=True, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The clean copy and thumbnail of a photo are made by a task (progress.tasks): until then the row is
    # "processing"; a failure keeps its error here and is retried by sending the same file again.
    state = models.CharField(
        _("state"), max_length=12, choices=EvidenceState.choices, default=EvidenceState.READY
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ReportRevision(models.Model):
    """填报历史: one change to a report — who, when, what, before → after."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("version after the change"))
    action = models.CharField(_("action"), max_length=20, choices=RevisionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("by (name)"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version} {self.action}"


class ExtensionRequest(models.Model):
    """延期申请: a lead unit asks to move a target's due date; the office approves or refuses."""

    target = models.ForeignKey(
        "plans.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("requesting unit"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    original_due_date = models.DateField(_("original due date"))
    requested_due_date = models.DateField(_("requested due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.target_id}: {self.original_due_date} → {self.requested_due_date}"


class ItemOutcome(models.Model):
    """结项: how an item ended — 已完成, 调整后完成 or 终止; the item stays visible."""

    item = models.OneToOneField(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="outcome"
    )
    kind = models.CharField(_("outcome"), max_length=12, choices=OutcomeKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    ended_on = models.DateField(_("ended on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("item outcome")
        verbose_name_plural = _("item outcomes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=OutcomeKind.DONE) | ~models.Q(reason=""),
                name="progress_outcome_reason_required",
                violation_error_message=_("An adjusted or terminated item needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_kind_display()}"


class TargetSchedule(models.Model):
    """形象进度计划: the office's monthly plan for a target, cumulative percent at each month's end."""

    target = models.OneToOneField(
        "plans.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="schedule"
    )
    monthly = models.JSONField(
        _("cumulative percent by month end"), help_text=_("Twelve numbers from 0 to 100, never decreasing.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("target schedule")
        verbose_name_plural = _("target schedules")

    def __str__(self) -> str:
        return f"{self.target_id}: {self.monthly}"


class PeriodSnapshot(models.Model):
    """月末快照: an item's status and values frozen when a period closes."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="snapshots"
    )
    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="snapshots"
    )
    status = models.CharField(_("status"), max_length=20)
    completion = models.DecimalField(_("completion"), max_digits=7, decimal_places=4)
    expected = models.DecimalField(_("expected by schedule"), max_digits=7, decimal_places=4)
    reference_expected = models.DecimalField(
        _("reference expected"),
        max_digits=7,
        decimal_places=4,
        help_text=_(
            "The schedule bar a lagging item must catch up with (kept from the period it fell behind)."
        ),
    )
    values = models.JSONField(_("values"), default=dict, help_text=_("Targets and milestones as approved."))
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("period snapshot")
        verbose_name_plural = _("period snapshots")
        ordering = ["period", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "item"],
                name="progress_snapshot_unique",
                violation_error_message=_("An item has one snapshot per period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.item_id}: {self.status}"
