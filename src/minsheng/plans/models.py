"""The annual list of livelihood projects (民生实事项目清单) and its parts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.plans.choices import PlanStatus, TargetOp, UnitRole


class Plan(TimeStampedModel):
    """清单: one region's list for one year."""

    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_file = models.FileField(_("source file"), upload_to="plans/%Y/", blank=True)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    # Year end (年终认定, 年度关账): set by `minsheng.yearend`, read here and by `alerts`/`progress`, which
    # may not import yearend (it sits above them).
    year_end_on = models.DateField(
        _("year-end reading date"),
        null=True,
        blank=True,
        help_text=_("Endings and approvals dated up to this day count for the year's final result."),
    )
    year_closed_at = models.DateTimeField(
        _("year closed at"),
        null=True,
        blank=True,
        help_text=_("Once the year is closed its targets, reports and endings no longer change."),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "region", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "title"],
                name="plans_plan_unique_region_year_title",
                violation_error_message=_("This region already has a plan with this year and title."),
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="plans_plan_region_year_idx")]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """项目: a numbered project of the plan (1 优学金沙 …)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="projects")
    no = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=500)
    alias = models.CharField(_("alias"), max_length=255, blank=True)
    category = models.CharField(_("category"), max_length=255, blank=True)
    starred = models.BooleanField(_("starred"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["plan", "position", "no"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "no"],
                name="plans_project_unique_no",
                violation_error_message=_("This plan already has a project with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.no}. {self.name}"


class Item(models.Model):
    """主要内容条目: one row or paragraph of content under a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))
    extra = models.JSONField(_("extra columns"), default=dict, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"],
                name="plans_item_unique_position",
                violation_error_message=_("Two items of a project cannot share a position."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class ItemUnit(models.Model):
    """责任单位 / 配合单位: a unit leading or assisting an item, as written in the list."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="item_units"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="item_units"
    )
    role = models.CharField(_("role"), max_length=10, choices=UnitRole.choices)
    position = models.PositiveIntegerField(_("position"))
    written_as = models.CharField(_("written as"), max_length=255)

    class Meta:
        verbose_name = _("item unit")
        verbose_name_plural = _("item units")
        ordering = ["item", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "role", "position"],
                name="plans_itemunit_unique_position",
                violation_error_message=_("Two units of an item cannot share a position."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="plans_itemunit_unit_role_idx")]

    def __str__(self) -> str:
        return self.written_as


class Target(models.Model):
    """目标指标: a quantity the item commits to (新增全民健身场地10个以上 → 10 个, at least)."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveIntegerField(_("position"))
    quote = models.TextField(_("quote"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit of measure"), max_length=100, blank=True)
    op = models.CharField(_("comparison"), max_length=2, choices=TargetOp.choices, default=TargetOp.EQ)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    range_max = models.DecimalField(
        _("range maximum"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    due_date = models.DateField(
        _("due date"), help_text=_("31 December of the plan year unless the list says.")
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="plans_target_unique_position",
                violation_error_message=_("Two targets of an item cannot share a position."),
            ),
            models.CheckConstraint(
                condition=models.Q(range_max__isnull=True) | models.Q(range_max__gte=models.F("value")),
                name="plans_target_range_max_gte_value",
                violation_error_message=_("The top of a range cannot be below its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.quote


class Milestone(models.Model):
    """节点: a named work and the state it must reach (第四中学（二期）改扩建项目 → 启动建设)."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="milestones"
    )
    position = models.PositiveIntegerField(_("position"))
    quote = models.TextField(_("quote"))
    subject = models.CharField(_("subject"), max_length=500)
    state = models.CharField(_("state"), max_length=200)
    due_date = models.DateField(
        _("due date"), help_text=_("31 December of the plan year unless the list says.")
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="plans_milestone_unique_position",
                violation_error_message=_("Two milestones of an item cannot share a position."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.state}"


class Adjustment(models.Model):
    """项目调整: a change to a published plan's target or item scope, with the reason; shown on the
    portal beside the original."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="adjustments"
    )
    item = models.ForeignKey(
        Item,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="adjustments",
        null=True,
        blank=True,
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.SET_NULL,
        related_name="adjustments",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=30)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("adjusted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("adjusted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["plan", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason[:40]}"
