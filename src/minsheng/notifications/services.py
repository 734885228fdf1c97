"""Send and mark notifications. E-mail goes through Django's e-mail backend once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from minsheng.core.exceptions import NotAllowed
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.models import Notification

if TYPE_CHECKING:
    from minsheng.accounts.models import User


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
    recipients = [u.email for u in targets.values() if u.email]
    if email and recipients:
        subject = f"[{settings.SPECTACULAR_SETTINGS.get('TITLE', 'Minsheng')}] {text[:60]}"
        body = text + (f"\n\n{link}" if link else "")
        transaction.on_commit(lambda: _email(subject, body, recipients))
    return created


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
