"""Satisfaction rating (满意度测评) of a plan's projects by deputies, its results, and rectification (整改)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.participation.ratings.choices import EventStatus, Mark, ReportDecision, TaskStatus
from minsheng.participation.uploads import StoredFile


class RatingEvent(TimeStampedModel):
    """满意度测评: one per plan. The window and the threshold are fixed before it opens.

    A project is unsatisfactory (不满意项目) when (satisfied + basically satisfied) / votes is below
    `threshold` percent.
    """

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="rating_event"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    threshold = models.DecimalField(
        _("threshold (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("A project whose satisfaction is below this share is unsatisfactory."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-plan__year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="ratings_window_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gte=0, threshold__lte=100), name="ratings_threshold_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_status_display()}"


class Rating(models.Model):
    """One deputy's mark for one project; the database allows one per deputy, project and event."""

    event = models.ForeignKey(
        RatingEvent, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="ratings"
    )
    project = models.ForeignKey(
        "plans.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="ratings"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="ratings"
    )
    mark = models.CharField(_("rating"), max_length=12, choices=Mark.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deputy's rating")
        verbose_name_plural = _("deputies' ratings")
        constraints = [
            models.UniqueConstraint(fields=["event", "project", "deputy"], name="ratings_one_per_deputy"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_mark_display()}"


class RatingResult(models.Model):
    """A project's counts when the event closed, its satisfaction and whether it is unsatisfactory."""

    event = models.ForeignKey(
        RatingEvent, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="results"
    )
    project = models.ForeignKey(
        "plans.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="rating_results"
    )
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basic = models.PositiveIntegerField(_("basically satisfied"))
    unsatisfied = models.PositiveIntegerField(_("unsatisfied"))
    votes = models.PositiveIntegerField(_("votes"))
    satisfaction = models.DecimalField(_("satisfaction (%)"), max_digits=5, decimal_places=2, null=True)
    unsatisfactory = models.BooleanField(_("unsatisfactory"), default=False)

    class Meta:
        verbose_name = _("rating result")
        verbose_name_plural = _("rating results")
        ordering = ["event", "project__position", "project__no"]
        constraints = [models.UniqueConstraint(fields=["event", "project"], name="ratings_one_result")]

    def __str__(self) -> str:
        return f"{self.project}: {self.satisfaction}%"


class RectificationTask(TimeStampedModel):
    """整改: an unsatisfactory project's lead units report what they changed until the office closes it."""

    result = models.OneToOneField(
        RatingResult, verbose_name=_("rating result"), on_delete=models.CASCADE, related_name="task"
    )
    project = models.ForeignKey(
        "plans.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="rectifications"
    )
    units = models.ManyToManyField("orgs.Unit", verbose_name=_("lead units"), related_name="rectifications")
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_status_display()}"


class RectificationReport(models.Model):
    """A lead unit's account of its rectification, accepted or returned by the office."""

    task = models.ForeignKey(
        RectificationTask,
        verbose_name=_("rectification task"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("what was rectified"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ReportDecision.choices, default=ReportDecision.PENDING
    )
    decision_comment = models.TextField(_("office's comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["task", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class RectificationEvidence(StoredFile):
    """A photo or document attached to a rectification report."""

    report = models.ForeignKey(
        RectificationReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")
        ordering = ["report", "pk"]
