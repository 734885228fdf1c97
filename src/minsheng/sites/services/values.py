"""Values per site (点位完成值) and the report's target values as their sum."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import ValidationFailed
from minsheng.plans.models import Item, Target
from minsheng.sites.models import Site, SiteValue
from minsheng.sites.services.common import decimal_or_none, require


def _decimal(value: Any, where: str) -> Decimal | None:
    number = decimal_or_none(
        value, not_a_number=_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
    )
    if number is None:
        return None
    if not number.is_finite() or number < 0:
        raise ValidationFailed(_("%(where)s: the value cannot be negative.") % {"where": where})
    return number


@transaction.atomic
def site_values_save(
    *, acting_user: Any, report: Any, values: Mapping[tuple[int, int], Any]
) -> dict[int, Decimal]:
    """Store the values per site ({(site pk, target pk): value}) of `report`'s period and set the report's
    target values to their sums, in one transaction; a change touches the report (its review queue card
    shows the values per site). Returns the sums by target."""
    from minsheng.progress import services as progress_services
    from minsheng.progress.models import Period, ProgressReport, TargetValue
    from minsheng.progress.policies import can_report

    item = (
        Item.objects.select_related("project__plan")
        .prefetch_related("item_units__unit")
        .get(pk=report.item_id)
    )
    require(can_report(acting_user, item), _("Only a reporter of the item's lead unit may report on it."))
    sites = {s.pk: s for s in Site.objects.filter(item=item)}
    targets = {t.pk: t for t in Target.objects.filter(item=item)}
    existing = {
        (v.site_id, v.target_id): v
        for v in SiteValue.objects.filter(site__item=item, period_id=report.period_id)
    }
    before = {f"{s}/{t}": str(v.value) for (s, t), v in existing.items()}
    for (site_id, target_id), raw in values.items():
        if site_id not in sites or target_id not in targets:
            raise ValidationFailed(
                _("Site %(s)s or target %(t)s is not part of this item.") % {"s": site_id, "t": target_id}
            )
        where = _("Site “%(site)s”, target “%(target)s”") % {
            "site": sites[site_id].name,
            "target": targets[target_id].quote[:30],
        }
        value = _decimal(raw, where)
        row = existing.get((site_id, target_id))
        if value is None:
            if row is not None:
                row.delete()
                del existing[(site_id, target_id)]
        elif row is None:
            existing[(site_id, target_id)] = SiteValue.objects.create(
                site=sites[site_id], period_id=report.period_id, target=targets[target_id], value=value
            )
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])
    sums: dict[int, Decimal] = {}
    for (_site_id, target_id), row in existing.items():
        sums[target_id] = sums.get(target_id, Decimal(0)) + row.value
    after = {f"{s}/{t}": str(v.value) for (s, t), v in existing.items()}
    if after != before:
        audit_record(
            actor=acting_user,
            action=Action.UPDATE,
            obj=report,
            plan=item.project.plan,
            before=before or None,
            after=after,
            message="site_values_save",
        )
        # Values moved between sites keep the sums, so the version: the queue card follows the touch.
        progress_services.reports_touch([report.pk])
    stored = dict(TargetValue.objects.filter(report_id=report.pk).values_list("target_id", "value"))
    wanted = {t: str(total) for t, total in sums.items() if stored.get(t) != total}
    if wanted:
        # The item's values are the sum of its sites': the report takes them in the same transaction (its
        # row is locked by the save that came just before, so the stored version is the one to match).
        version = ProgressReport.objects.filter(pk=report.pk).values_list("version", flat=True).get()
        progress_services.report_save(
            acting_user=acting_user,
            item=item,
            period=Period.objects.get(pk=report.period_id),
            expected_version=version,
            target_values=wanted,
        )
    return sums
