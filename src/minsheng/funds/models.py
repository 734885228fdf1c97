"""Money of an item (资金): planned investment (计划投资) per source, the cumulative funds in place (资金到位)
and paid (已支付) per progress report, the plan's fund-light thresholds and the stored fund light of each item.

Amounts are in 万元 (ten thousand yuan), as the lists write them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.funds.choices import FundSource


class PlannedFund(models.Model):
    """计划投资: the money planned for an item from one source."""

    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="planned_funds"
    )
    source = models.CharField(_("source"), max_length=10, choices=FundSource.choices)
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=16, decimal_places=4)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("planned investment")
        verbose_name_plural = _("planned investments")
        constraints = [models.UniqueConstraint(fields=["item", "source"], name="funds_planned_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.source}: {self.amount}"


class ReportFunds(models.Model):
    """资金到位 and 已支付 as a report states them: cumulative since the start of the item."""

    report = models.OneToOneField(
        "progress.ProgressReport", verbose_name=_("report"), on_delete=models.CASCADE, related_name="funds"
    )
    in_place = models.DecimalField(
        _("funds in place (10,000 yuan)"), max_digits=16, decimal_places=4, default=Decimal(0)
    )
    paid = models.DecimalField(_("paid (10,000 yuan)"), max_digits=16, decimal_places=4, default=Decimal(0))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("funds of a report")
        verbose_name_plural = _("funds of reports")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.in_place} / {self.paid}"


class FundSettings(models.Model):
    """A plan's fund-light thresholds: points of paid money behind the schedule for yellow and red."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="fund_settings"
    )
    lag_threshold = models.DecimalField(
        _("fund lagging threshold (points)"), max_digits=5, decimal_places=2, default=Decimal(15)
    )
    severe_threshold = models.DecimalField(
        _("fund severe threshold (points)"), max_digits=5, decimal_places=2, default=Decimal(30)
    )

    class Meta:
        verbose_name = _("fund settings")
        verbose_name_plural = _("fund settings")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.lag_threshold}/{self.severe_threshold}"


class FundLight(models.Model):
    """资金灯: an item's paid money against its schedule, stored like the progress light (alerts.Light)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="fund_lights"
    )
    item = models.OneToOneField(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="fund_light"
    )
    on = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=20)
    planned = models.DecimalField(_("planned"), max_digits=16, decimal_places=4)
    in_place = models.DecimalField(_("in place"), max_digits=16, decimal_places=4)
    paid = models.DecimalField(_("paid"), max_digits=16, decimal_places=4)
    expected = models.FloatField(_("expected share by schedule"))
    due = models.DateField(_("due"), help_text=_("The item's last due date: the end of its schedule."))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("fund light")
        verbose_name_plural = _("fund lights")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"
