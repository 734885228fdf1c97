"""Record a public rating and moderate its comment. Each call is one audited transaction."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.version import changes_bump_on_commit
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.participation.feedback.choices import Channel, CommentStatus, Score
from minsheng.participation.feedback.models import PublicRating
from minsheng.participation.feedback.policies import can_moderate, can_rate
from minsheng.participation.feedback.selectors import current_period
from minsheng.participation.feedback.verification import Identity, mask_phone, normalise_phone, person_key

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.plans.models import Item

# Ratings (and code requests) from one address in an hour; `MINSHENG_FEEDBACK_RATE_PER_HOUR` overrides.
RATE_PER_HOUR = 10
COMMENT_MAX_CHARS = 500


def rate_limit_hit(address: str, *, now: float | None = None) -> None:
    """Count one try from `address` in the current hour; refused past the limit (no captcha needed)."""
    limit = int(getattr(settings, "MINSHENG_FEEDBACK_RATE_PER_HOUR", RATE_PER_HOUR))
    hour = int((now or time.time()) // 3600)
    key = f"feedback:rate:{person_key('address', address)}:{hour}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    if count > limit:
        raise ValidationFailed(
            _("Too many ratings from your connection in the last hour (at most %(n)d). Please try later.")
            % {"n": limit}
        )


def _state(rating: PublicRating) -> dict[str, Any]:
    return {
        "item": rating.item_id,
        "period": rating.period_id,
        "score": rating.score,
        "channel": rating.channel,
        "rater": rating.rater_label,
        "comment_status": rating.comment_status,
        "comment_chars": len(rating.comment),
    }


def _clean_comment(comment: str | None) -> str:
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationFailed(
            _("The comment is too long: %(n)d characters, at most %(max)d.")
            % {"n": len(text), "max": COMMENT_MAX_CHARS},
            field="comment",
        )
    return text


@transaction.atomic
def rating_submit(
    *,
    acting_user: User | None,
    item: Item,
    identity: Identity,
    score: int | str,
    comment: str = "",
    address: str = "",
    today: dt.date | None = None,
) -> PublicRating:
    """Record `identity`'s rating of `item` for the plan's current period.

    One per person, item and period (a second, even sent at the same moment, is refused); a comment is
    shown at once for a verified rater and after the office's approval when the rater is only an address.
    """
    if not can_rate(item):
        raise NotAllowed(_("Only items of a published list can be rated."))
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if value not in Score.values:
        raise ValidationFailed(_("Choose a score from 1 to 5."), field="score")
    text = _clean_comment(comment)
    period = current_period(item.project.plan, today or timezone.localdate())
    if period is None:
        raise ValidationFailed(_("This list has no reporting periods yet, so it cannot be rated."))
    rate_limit_hit(address)
    if PublicRating.objects.filter(item=item, period=period, rater_key=identity.key).exists():
        raise Conflict(_("You have already rated this item for %(period)s.") % {"period": period})
    if not text:
        status = CommentStatus.NONE
    elif identity.channel == Channel.ADDRESS:
        status = CommentStatus.PENDING
    else:
        status = CommentStatus.APPROVED
    try:
        with transaction.atomic():
            rating = PublicRating.objects.create(
                item=item,
                period=period,
                rater_key=identity.key,
                channel=identity.channel,
                rater_label=identity.label,
                score=value,
                comment=text,
                comment_status=status,
            )
    except IntegrityError:
        # The same person's identical request, a moment earlier: one rating stands.
        raise Conflict(_("You have already rated this item for %(period)s.") % {"period": period}) from None
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=rating,
        plan=item.project.plan,
        after=_state(rating),
        message="public rating",
        address=address or None,
    )
    changes_bump_on_commit()
    return rating


@transaction.atomic
def comment_moderate(*, acting_user: User, rating: PublicRating, approve: bool) -> PublicRating:
    """Show (`approve`) or hide a rating's comment; the score counts either way."""
    if not can_moderate(acting_user, rating.item):
        raise NotAllowed(_("Only the supervision office of the list's region moderates comments."))
    if rating.comment_status == CommentStatus.NONE:
        raise ValidationFailed(_("This rating has no comment."))
    rating = PublicRating.objects.select_for_update().get(pk=rating.pk)
    before = _state(rating)
    rating.comment_status = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    rating.moderated_by = acting_user
    rating.moderated_at = timezone.now()
    rating.save(update_fields=["comment_status", "moderated_by", "moderated_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=rating,
        plan=rating.item.project.plan,
        before=before,
        after=_state(rating),
        message="comment approved" if approve else "comment hidden",
    )
    changes_bump_on_commit()
    return rating


def code_request(*, verifier: Any, phone: str, address: str) -> str:
    """Send a verification code to `phone` (counted against the address's hourly limit); the masked number.

    Nothing is stored in the database: the code's hash waits in the cache for ten minutes.
    """
    number = normalise_phone(phone)
    rate_limit_hit(address)
    verifier.send_code(number)
    return mask_phone(number)
