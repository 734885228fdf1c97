"""Send and mark notifications. E-mail goes through Django's e-mail backend once the transaction commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.notifications import webhooks
from minsheng.notifications.choices import NotificationKind, WebhookKind
from minsheng.notifications.models import ItemLightSeen, Notification, UnitWebhook
from minsheng.notifications.policies import can_manage_webhooks

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.orgs.models import Unit


def _email(subject: str, body: str, recipients: list[str]) -> None:
    for address in recipients:
        # One message per person: addresses of other units' staff stay private.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: NotificationKind | str,
    text: str,
    link: str = "",
    key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each active user once (per `key` when given); e-mail those with an address.

    Returns the notifications created; users who already have one with the same `key` are skipped,
    which makes reminders idempotent. Callers are services that audit their own action.
    """
    targets = {u.pk: u for u in users if u.is_active}
    if key:
        already = set(
            Notification.objects.filter(user_id__in=targets, key=key).values_list("user_id", flat=True)
        )
        targets = {pk: u for pk, u in targets.items() if pk not in already}
    created = Notification.objects.bulk_create(
        [
            Notification(user=u, kind=kind, text=text, link=link, key=key, emailed=email and bool(u.email))
            for u in targets.values()
        ]
    )
    _robots_on_commit(targets.values(), text, link)
    recipients = [u.email for u in targets.values() if u.email]
    if email and recipients:
        subject = f"[{settings.SPECTACULAR_SETTINGS.get('TITLE', 'Minsheng')}] {text[:60]}"
        body = text + (f"\n\n{link}" if link else "")
        transaction.on_commit(lambda: _email(subject, body, recipients))
    return created


def _absolute(link: str) -> str:
    """Robots show the link outside the site: make it absolute when the site's address is configured."""
    base = getattr(settings, "MINSHENG_SITE_URL", "")
    return base.rstrip("/") + link if base and link.startswith("/") else link


def _robots_on_commit(users: Iterable[User], text: str, link: str) -> None:
    """Post the message once to each active group robot of the notified people's units, after commit."""
    unit_ids = {u.unit_id for u in users if getattr(u, "unit_id", None)}
    if not unit_ids:
        return
    hooks = list(
        UnitWebhook.objects.filter(unit_id__in=unit_ids, active=True)
        .order_by("pk")
        .values_list("kind", "url", "secret")
    )
    if hooks:
        absolute = _absolute(link)
        transaction.on_commit(lambda: webhooks.post_all(hooks, text, absolute))


@transaction.atomic
def unit_webhook_set(
    *,
    acting_user: User | None,
    unit: Unit,
    kind: str,
    url: str,
    secret: str = "",
    active: bool = True,
    keep_secret: bool = False,
) -> UnitWebhook:
    """Add or change the unit's group robot of `kind` (one per kind).

    The address must be https on a host of MINSHENG_WEBHOOK_HOSTS (DingTalk's and WeCom's robot hosts;
    plain http only for MINSHENG_WEBHOOK_INSECURE_HOSTS, e.g. a local relay). `keep_secret` leaves the
    stored signing secret as it is (the page never shows it back). Audited without the secret, with the
    address's token masked."""
    if acting_user is not None and not can_manage_webhooks(acting_user, unit):
        raise NotAllowed(_("Only the supervision office of the unit's region sets its group robots."))
    if kind not in WebhookKind.values:
        raise ValidationFailed(_("Unknown robot kind %(kind)s.") % {"kind": kind}, field="kind")
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError:
        raise ValidationFailed(_("The webhook address must be an http(s) address."), field="url") from None
    webhooks.check_address(url)
    hook = UnitWebhook.objects.select_for_update().filter(unit=unit, kind=kind).first()
    before = (
        None
        if hook is None
        else {"url": webhooks.masked_url(hook.url), "active": hook.active, "signed": bool(hook.secret)}
    )
    if hook is None:
        hook = UnitWebhook(unit=unit, kind=kind)
    hook.url, hook.active = url, active
    if not keep_secret or hook.pk is None:
        hook.secret = secret.strip()
    hook.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=hook,
        before=before,
        # Neither the secret nor the robot's token go into the audit trail.
        after={
            "url": webhooks.masked_url(hook.url),
            "active": hook.active,
            "signed": bool(hook.secret),
            "kind": kind,
        },
    )
    return hook


RED = "severe"  # alerts.status.Status.SEVERE, the value stored with each light


@transaction.atomic
def red_lights_notify(*, plan_id: int, statuses: Mapping[int, str]) -> list[Notification]:
    """Tell the lead units and the supervision office of the plan's region about items that turned red.

    `statuses` maps item id → light as just stored. Each item's last seen light is kept
    (`ItemLightSeen`), so a red light is announced once when it appears, again only after the item
    recovered and fell back. Derived from the lights: not audited (what moved the light was).
    """
    seen = dict(ItemLightSeen.objects.filter(item_id__in=list(statuses)).values_list("item_id", "status"))
    turned_red = [
        item_id for item_id, status in statuses.items() if status == RED and seen.get(item_id) != RED
    ]
    changed = {item_id: status for item_id, status in statuses.items() if seen.get(item_id) != status}
    ItemLightSeen.objects.filter(item_id__in=[i for i in changed if i in seen]).delete()
    ItemLightSeen.objects.bulk_create([ItemLightSeen(item_id=i, status=s) for i, s in changed.items()])
    if not turned_red:
        return []
    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import User
    from minsheng.orgs.selectors import region_ancestors
    from minsheng.plans.choices import UnitRole
    from minsheng.plans.models import Item, Plan

    plan = Plan.objects.select_related("region").get(pk=plan_id)
    office_regions = [r.pk for r in region_ancestors(plan.region)] + [plan.region_id]
    office = list(
        User.objects.filter(groups__name=Role.OFFICE, is_active=True)
        .filter(Q(region_id__in=office_regions) | Q(region__isnull=True))
        .distinct()
    )
    items = Item.objects.filter(pk__in=turned_red).select_related("project").prefetch_related("item_units")
    created: list[Notification] = []
    for item in items:
        lead_ids = [iu.unit_id for iu in item.item_units.all() if iu.role == UnitRole.LEAD]
        reporters = list(User.objects.filter(unit_id__in=lead_ids, groups__name=Role.REPORTER).distinct())
        text = _("Red light: %(no)s. %(item)s is severely lagging.") % {
            "no": item.project.no,
            "item": item.text[:60],
        }
        created += notify(
            users=[*reporters, *office],
            kind=NotificationKind.RED_LIGHT,
            text=text,
            link=reverse("progress:timeline", args=[item.pk]),
            # ItemLightSeen decides when to announce; the time stamp keeps a later turn to red apart.
            key=f"red-light-{item.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
        )
    return created


def red_lights_on_store(sender: Any, *, plan_id: int, statuses: Mapping[int, str], **kwargs: Any) -> None:
    """Receiver of `alerts.lights.lights_stored`."""
    red_lights_notify(plan_id=plan_id, statuses=statuses)


def notification_mark_read(*, acting_user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (a personal flag, so not audited)."""
    if notification.user_id != acting_user.pk:
        raise NotAllowed("This notification belongs to someone else.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, acting_user: User) -> int:
    """Mark all of the user's notifications read; returns how many changed."""
    return Notification.objects.filter(user=acting_user, read_at__isnull=True).update(read_at=timezone.now())


def daily_round(*, on: dt.date, grace_days: int) -> dict[str, Any]:
    """What the office would otherwise do by hand each morning: remind units of reports due soon and
    overdue (`reminders_send`, idempotent per day and kind), and close every published plan's periods
    whose deadline is more than `grace_days` past (`alerts.services.periods_close_due`, acting as the
    system). Returns counts for the log."""
    from minsheng.alerts.services import periods_close_due
    from minsheng.notifications.reminders import DEFAULT_DAYS_BEFORE, reminders_send
    from minsheng.plans.choices import PlanStatus
    from minsheng.plans.models import Plan

    run = reminders_send(on=on, days_before=DEFAULT_DAYS_BEFORE)
    closed, stopped = 0, []
    for plan in Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related("region").order_by("pk"):
        closing = periods_close_due(acting_user=None, plan=plan, on=on, grace_days=grace_days)
        closed += len(closing.closed)
        if closing.stopped_at is not None:
            stopped.append(f"{plan.pk}:{closing.stopped_at}")
    return {
        "on": on.isoformat(),
        "due": run.sent.get("due", 0),
        "overdue": run.sent.get("overdue", 0),
        "closed": closed,
        "stopped": stopped,
    }
