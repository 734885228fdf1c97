"""Demo activity: a few months of monthly reports on the demo plan, so a newcomer sees a living programme.

`seed_activity(plan)` reports on the last few periods whose deadline has passed (as if the district
started using Minsheng then), through the same services the pages use, as the demo's own accounts: the lead units' reporters
write and submit, the reviewer approves (one report is returned once and resubmitted), the office closes
all but the last two periods (freezing their snapshots). Items follow one of a few profiles — on
schedule, ahead, lagging, severely lagging (which also misses its last report) — so the lights show
every colour, and the first severely lagging item gets a 督办 notice with the lead unit's reply.

Idempotent: a report that exists is left alone, a closed period stays closed, the notice is issued once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.alerts.services import period_close
from minsheng.demo.photos import photo_upload
from minsheng.orgs.selectors import region_ancestors
from minsheng.plans.choices import TargetOp, UnitRole
from minsheng.plans.models import Item, Plan, Target
from minsheng.progress import services as progress
from minsheng.progress.choices import MilestoneProgress, ReportStatus
from minsheng.progress.models import Period, ProgressReport, ReportRevision
from minsheng.supervision.models import SupervisionNotice
from minsheng.supervision.selectors import item_needs_supervision
from minsheng.supervision.services import notice_issue, notice_reply

ON_SCHEDULE, AHEAD, LAGGING, SEVERE = "on_schedule", "ahead", "lagging", "severe"
# One profile per item, in list order: mostly on schedule, some behind, one ahead.
PROFILES = (
    ON_SCHEDULE,
    ON_SCHEDULE,
    LAGGING,
    ON_SCHEDULE,
    AHEAD,
    ON_SCHEDULE,
    SEVERE,
    ON_SCHEDULE,
    LAGGING,
    ON_SCHEDULE,
)
PROBLEMS = (
    "受征地拆迁影响，项目开工时间推迟。",
    "施工招标流程较长，进场时间晚于计划。",
    "上级补助资金尚未到位，资金拨付偏慢。",
    "雨季施工受限，部分工序有所滞后。",
)
NEXT_STEPS = {
    ON_SCHEDULE: "按计划推进，确保年底前全面完成。",
    AHEAD: "巩固成效，做好验收和长效管理。",
    LAGGING: "倒排工期、挂图作战，加快推进，力争按期完成。",
    SEVERE: "主要负责同志牵头协调，落实整改措施，尽快追赶进度。",
}


@dataclass
class ActivityResult:
    """What one run added."""

    reports: int = 0
    approved: int = 0
    closed_periods: list[str] = field(default_factory=list)
    notices: int = 0


def share_reached(profile: str, month: int, months_in_year: int = 12) -> float:
    """Share (0–1) of each target reached at the end of `month` for an item of `profile`."""
    schedule = month / months_in_year
    shares = {
        ON_SCHEDULE: schedule * 1.05,
        AHEAD: month / (months_in_year * 0.75),
        LAGGING: schedule * 0.8,
        SEVERE: schedule * 0.5,
    }
    return min(1.0, shares[profile])


def reached_value(target: Target, share: float) -> Decimal:
    """The cumulative value an item of that share reports for `target`, rounded as people report: whole
    numbers where the target is a whole number (schools, lifts, canteens are counted, never 1.93 所),
    hundredths otherwise (kilometres, 万元)."""
    if target.op == TargetOp.LTE:
        # A ceiling (控制在…以内): kept below it all year.
        value = target.value * Decimal("0.9")
    elif target.baseline is not None:
        value = target.baseline + (target.value - target.baseline) * Decimal(str(share))
    else:
        value = target.value * Decimal(str(share))
    if target.value == target.value.to_integral():
        # Whole things, rounded as people count them (0.92 of a school reported as 1, never 0.92 所).
        return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def milestone_progress(share: float) -> MilestoneProgress:
    if share >= 1:
        return MilestoneProgress.DONE
    return MilestoneProgress.IN_PROGRESS if share > 0.1 else MilestoneProgress.NOT_STARTED


def milestone_state(share: float, period: Period) -> dict[str, Any]:
    """A milestone's reported state; done on the period's last day once the item is complete."""
    state = milestone_progress(share)
    return {"state": state, "done_on": period.end} if state == MilestoneProgress.DONE else {"state": state}


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def report_texts(
    item: Item, profile: str, values: dict[int, Decimal], share: float, index: int
) -> dict[str, str]:
    """进展情况 from the numbers, 存在问题 for items behind schedule, 下步计划 by profile."""
    parts = [f"{t.quote}：累计完成{_number(values[t.pk])}{t.unit}" for t in item.targets.all()]
    parts += [f"{m.subject}{milestone_progress(share).label}" for m in item.milestones.all()]
    progress_text = "；".join(parts) or f"完成年度任务的{round(share * 100)}%"
    behind = profile in (LAGGING, SEVERE)
    return {
        "progress": progress_text + "。",
        "problems": PROBLEMS[index % len(PROBLEMS)] if behind else "",
        "next_steps": NEXT_STEPS[AHEAD if share >= 1 else profile],
    }


def _reporter(unit_id: int) -> User | None:
    return (
        User.objects.filter(unit_id=unit_id, groups__name=Role.REPORTER, is_active=True)
        .order_by("pk")
        .first()
    )


def _staff(plan: Plan, role: Role) -> User | None:
    """An account of `role` whose region covers the plan (or with no region)."""
    regions = [r.pk for r in region_ancestors(plan.region)]
    users = User.objects.filter(groups__name=role, is_active=True).order_by("pk")
    return users.filter(region_id__in=regions).first() or users.filter(region__isnull=True).first()


def _backdate(report: ProgressReport, period: Period) -> None:
    """Date the seeded history as if written in its month (the audit log keeps the real seeding time)."""
    written = timezone.make_aware(dt.datetime.combine(period.deadline - dt.timedelta(days=4), dt.time(10)))
    reviewed = written + dt.timedelta(days=2)
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=written if report.submitted_at else None,
        reviewed_at=reviewed if report.reviewed_at else None,
    )
    for offset, revision in enumerate(ReportRevision.objects.filter(report=report).order_by("pk")):
        at = reviewed if revision.action in ("approve", "return") else written + dt.timedelta(minutes=offset)
        ReportRevision.objects.filter(pk=revision.pk).update(at=at)


@dataclass
class _Seeder:
    plan: Plan
    reviewer: User
    office: User
    result: ActivityResult
    # Where the items' sites are (demo.sites runs first), and the two photos flagged on purpose.
    points: dict[int, list[tuple[Decimal, Decimal]]] = field(default_factory=dict)
    far_item: int | None = None
    reused_item: int | None = None
    per_site: dict[int, list[int]] = field(default_factory=dict)  # items measured per site: their sites

    def report(
        self,
        item: Item,
        index: int,
        profile: str,
        period: Period,
        *,
        first: bool,
        last: bool,
        previous: Period | None = None,
    ) -> None:
        if ProgressReport.objects.filter(item=item, period=period).exists():
            return
        if profile == SEVERE and last:
            return  # the severely lagging item misses its latest report: overdue
        lead = min(
            (iu for iu in item.item_units.all() if iu.role == UnitRole.LEAD), key=lambda iu: iu.position
        )
        reporter = _reporter(lead.unit_id)
        if reporter is None:
            return
        share = share_reached(profile, period.end.month)
        values = {t.pk: reached_value(t, share) for t in item.targets.all()}
        texts: dict[str, Any] = report_texts(item, profile, values, share, index)
        report = progress.report_save(
            acting_user=reporter,
            item=item,
            period=period,
            target_values=values,
            milestone_states={m.pk: milestone_state(share, period) for m in item.milestones.all()},
            **texts,
        )
        self.result.reports += 1
        if item.pk in self.per_site:
            self.split(reporter, report, self.per_site[item.pk], values)
        if index % 6 == 0 and not (last and index % 10 == 1):
            # A few reports carry a site photo, approved with them and shown on the portal.
            upload = self.photo(item, index, period, previous, last=last)
            progress.evidence_add(acting_user=reporter, report=report, upload=upload)
        self.contribute(item, period)
        if last and index % 10 == 1:
            _backdate(report, period)
            return  # still a draft: the unit has not sent it yet
        # Generated values are checked by construction (never past the target, never falling).
        report = progress.report_submit(acting_user=reporter, report=report, confirmed=True)
        if last and index % 5 == 3:
            _backdate(report, period)
            return  # waiting in the reviewer's queue
        if index == 0 and first and not last:
            # One report goes back once, to show the return → resubmit history.
            report = progress.report_return(
                acting_user=self.reviewer, report=report, comment="请补充现场照片和资金使用情况。"
            )
            report = progress.report_save(
                acting_user=reporter,
                item=item,
                period=period,
                expected_version=report.version,
                problems=(report.problems + "资金已拨付到位，现场照片另行报送。").strip(),
            )
            report = progress.report_submit(acting_user=reporter, report=report, confirmed=True)
        report = progress.report_approve(acting_user=self.reviewer, report=report, comment="同意。")
        self.result.approved += 1
        _backdate(report, period)

    def split(
        self, reporter: User, report: ProgressReport, sites: list[int], values: dict[int, Decimal]
    ) -> None:
        """An item measured per site reports per site: its totals shared among the sites (whole units, or
        cents, the remainder to the first ones), so each site's cumulative value never falls and the
        sums are the totals already saved."""
        from minsheng.sites.services import site_values_save

        cells: dict[tuple[int, int], Decimal] = {}
        for target_id, total in values.items():
            step = Decimal(1) if total == total.to_integral() else Decimal("0.01")
            whole, rest = divmod(int(total / step), len(sites))
            for n, site_id in enumerate(sites):
                cells[(site_id, target_id)] = (whole + (1 if n < rest else 0)) * step
        site_values_save(acting_user=reporter, report=report, values=cells)

    def photo(
        self, item: Item, index: int, period: Period, previous: Period | None, *, last: bool
    ) -> SimpleUploadedFile:
        """This item's photo of this month: its own scene, taken in the month at one of its sites. In the
        last month one item sends last month's photo again (a near-duplicate, taken before the period) and
        another a photo taken ~7 km from its sites."""
        shown = previous if last and previous is not None and item.pk == self.reused_item else period
        point = None
        points = self.points.get(item.pk, [])
        if points:
            longitude, latitude = points[shown.number % len(points)]
            point = (longitude + Decimal("0.0008"), latitude - Decimal("0.0005"))  # about 100 m away
            if last and item.pk == self.far_item:
                point = (longitude + Decimal("0.06"), latitude + Decimal("0.04"))
        day = min(shown.start + dt.timedelta(days=3 + index % 20), shown.end)
        return photo_upload(
            f"site-{index}-{shown.start:%Y%m}.jpg",
            f"{index}:{shown.start.isoformat()}",
            taken_at=dt.datetime.combine(day, dt.time(10, 30)),
            point=point,
        )

    def contribute(self, item: Item, period: Period) -> None:
        """Every third month the first partner unit with a reporter account adds its 配合情况."""
        if period.number % 3:
            return
        for item_unit in sorted(item.item_units.all(), key=lambda iu: iu.position):
            partner = _reporter(item_unit.unit_id) if item_unit.role == UnitRole.PARTNER else None
            if partner is not None:
                progress.partner_contribution_save(
                    acting_user=partner,
                    item=item,
                    period=period,
                    text=f"{item_unit.unit.name}配合做好协调保障工作。",
                )
                return

    def notice(self, candidates: list[Item], today: dt.date) -> None:
        """The first lagging candidate gets a supervision notice, which its lead unit answers."""
        if SupervisionNotice.objects.filter(item__project__plan=self.plan).exists():
            return
        item = next((c for c in candidates if item_needs_supervision(c, today=today)), None)
        if item is None:
            return
        notice = notice_issue(
            acting_user=self.reviewer,
            item=item,
            reason="该项目进度连续滞后于序时进度，且最近一期进度未按时报送。",
            measures="一、3个工作日内报送最新进度；二、分析滞后原因，制定追赶计划；三、明确责任人和完成时限。",
            reply_deadline=today + dt.timedelta(days=10),
            today=today,
        )
        self.result.notices += 1
        reporter = _reporter(notice.unit_id)
        if reporter is not None:
            notice_reply(
                acting_user=reporter,
                notice=notice,
                text="已召开专题推进会，增加施工班组，倒排工期，计划下月底前追回滞后进度。",
            )


DEFAULT_MONTHS = 4


def per_site_sites(items: list[Item]) -> dict[int, list[int]]:
    """The sites (pks, in order) of each item measured per site that has sites."""
    from minsheng.sites.models import Site, SiteSet

    per_site = SiteSet.objects.filter(item__in=items, per_site=True).values_list("item_id", flat=True)
    sites: dict[int, list[int]] = {}
    for item_id, site_id in (
        Site.objects.filter(item_id__in=per_site)
        .order_by("item_id", "position", "pk")
        .values_list("item_id", "pk")
    ):
        sites.setdefault(item_id, []).append(site_id)
    return sites


def site_points(items: list[Item]) -> dict[int, list[tuple[Decimal, Decimal]]]:
    """(longitude, latitude) of each item's sites that have coordinates, in their order."""
    from minsheng.sites.models import Site

    points: dict[int, list[tuple[Decimal, Decimal]]] = {}
    placed = Site.objects.filter(item__in=items, longitude__isnull=False, latitude__isnull=False)
    for site in placed.order_by("item_id", "position", "pk"):
        points.setdefault(site.item_id, []).append((site.longitude, site.latitude))  # type: ignore[arg-type]
    return points


def seed_activity(
    plan: Plan, *, today: dt.date | None = None, months: int = DEFAULT_MONTHS
) -> ActivityResult:
    """Report on and review the last `months` periods whose deadline has passed, close all but the
    last two of them, and issue one notice."""
    today = today or timezone.localdate()
    result = ActivityResult()
    reviewer, office = _staff(plan, Role.REVIEWER), _staff(plan, Role.OFFICE)
    if reviewer is None or office is None:
        return result
    periods = [p for p in progress.periods_generate(acting_user=office, plan=plan) if p.deadline < today][
        -months:
    ]
    items = list(
        Item.objects.filter(project__plan=plan)
        .select_related("project__plan")
        .prefetch_related("item_units__unit", "targets", "milestones")
        .order_by("project__position", "project__no", "position")
    )
    profiles = [PROFILES[index % len(PROFILES)] for index in range(len(items))]
    points = site_points(items)
    photographed = [i.pk for n, i in enumerate(items) if n % 6 == 0 and profiles[n] != SEVERE]
    far_item = next((pk for pk in photographed if points.get(pk)), None)
    reused_item = next((pk for pk in reversed(photographed) if pk != far_item), None)
    seeder = _Seeder(plan, reviewer, office, result, points, far_item, reused_item, per_site_sites(items))
    for n, period in enumerate(periods, start=1):
        if period.closed_at is not None:
            continue
        with transaction.atomic():
            for index, item in enumerate(items):
                if any(iu.role == UnitRole.LEAD for iu in item.item_units.all()):
                    seeder.report(
                        item,
                        index,
                        profiles[index],
                        period,
                        first=n == 1,
                        last=n == len(periods),
                        previous=periods[n - 2] if n > 1 else None,
                    )
        waiting = ProgressReport.objects.filter(period=period, status=ReportStatus.SUBMITTED).exists()
        if n <= len(periods) - 2 and not waiting:
            period_close(acting_user=office, period=period)
            result.closed_periods.append(str(period))
    if periods:
        # Severely lagging items first, then lagging ones, then the rest, each in list order.
        rank = {SEVERE: 0, LAGGING: 1}
        order = sorted(range(len(items)), key=lambda index: (rank.get(profiles[index], 2), index))
        seeder.notice([items[index] for index in order], today)
    return result


def activity_summary(plan: Plan) -> dict[str, int]:
    """What the plan's activity amounts to (the same on every run once seeded)."""
    reports = ProgressReport.objects.filter(item__project__plan=plan)
    return {
        "reports": reports.count(),
        "periods": reports.values("period").distinct().count(),
        "closed": Period.objects.filter(plan=plan, closed_at__isnull=False).count(),
        "notices": SupervisionNotice.objects.filter(item__project__plan=plan).count(),
    }
