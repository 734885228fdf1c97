"""Read supervision notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.alerts.selectors import item_statuses
from minsheng.alerts.status import Status
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.selectors import user_region_ids
from minsheng.plans.models import Item
from minsheng.supervision.choices import OPEN_STATUSES, NoticeStatus
from minsheng.supervision.models import NoticeReply, SupervisionNotice

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


def _with_related(qs: QuerySet[SupervisionNotice]) -> QuerySet[SupervisionNotice]:
    replies = NoticeReply.objects.select_related("author", "unit").order_by("created_at", "pk")
    return qs.select_related("item__project__plan", "unit", "issued_by").prefetch_related(
        Prefetch("replies", queryset=replies)
    )


def notices_for_item(item: Item) -> list[SupervisionNotice]:
    """The item's notices with their replies, oldest first, for the item timeline (two queries)."""
    return list(_with_related(SupervisionNotice.objects.filter(item=item)).order_by("created_at", "pk"))


def notices_visible(user: Any) -> QuerySet[SupervisionNotice]:
    """Notices `user` may read (as supervision.policies.can_view_notice): by region, or the reporter's unit."""
    qs = _with_related(SupervisionNotice.objects.all())
    if any(has_role(user, r) for r in _READERS):
        if user.region_id is None:
            return qs
        return qs.filter(item__project__plan__region_id__in=user_region_ids(user))
    if has_role(user, Role.REPORTER) and user.unit_id is not None:
        own = Q(unit_id=user.unit_id)
        if user.unit.kind == UnitKind.TOWN:
            own |= Q(unit__kind=UnitKind.GROUP, unit__region_id=user.unit.region_id)
        return qs.filter(own)
    return qs.none()


def open_notices(user: Any) -> QuerySet[SupervisionNotice]:
    """Visible notices not yet closed, the nearest reply deadline first."""
    return notices_visible(user).filter(status__in=OPEN_STATUSES).order_by("reply_deadline", "pk")


def notice_is_overdue(notice: SupervisionNotice, today: dt.date) -> bool:
    """An issued or returned notice without a reply past its deadline."""
    return notice.status in (NoticeStatus.ISSUED, NoticeStatus.RETURNED) and notice.reply_deadline < today


def item_needs_supervision(item: Item, today: dt.date | None = None) -> bool:
    """True when the item's light is lagging or severe (which includes an overdue report)."""
    light = item_statuses(item.project.plan, on=today, item_ids=[item.pk]).get(item.pk)
    return light is not None and light.status in (Status.LAGGING, Status.SEVERE)
