"""Anonymisation (匿名化) of the public's personal data in participation, after retention or on request.

What goes: a proposer's name, contact and address hash; a public rating's person key (the keyed hash of
phone, account or address) and its masked label. What stays: every proposal's text and status, every
score and comment, so counts, satisfaction and ratings do not move, and the audit trail (which never held
the plain data). The person key is replaced by ``anon:<row id>``: unique, so the one-rating-per-person
constraint still holds, and not derivable from the phone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed
from minsheng.participation.feedback.models import PublicRating
from minsheng.participation.feedback.policies import can_moderate, can_moderate_any
from minsheng.participation.feedback.verification import normalise_phone, person_key
from minsheng.participation.solicitation.models import Proposal
from minsheng.participation.solicitation.policies import can_screen

if TYPE_CHECKING:
    from minsheng.accounts.models import User

ANON_PREFIX = "anon:"
DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    """Days personal data is kept after a call or a rating period closes (MINSHENG_PARTICIPATION_RETENTION_DAYS)."""
    return int(getattr(settings, "MINSHENG_PARTICIPATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@dataclass(frozen=True)
class Anonymised:
    """How many rows lost their personal data."""

    proposals: int
    ratings: int


def _clear_proposals(proposals: list[int]) -> int:
    return Proposal.objects.filter(pk__in=proposals).update(
        proposer_name="", proposer_contact="", address_hash=""
    )


def _clear_ratings(ratings: list[int]) -> int:
    return PublicRating.objects.filter(pk__in=ratings).update(
        rater_key=Concat(Value(ANON_PREFIX), Cast("pk", CharField())), rater_label=""
    )


def _proposals_with_pi() -> Q:
    return ~Q(proposer_name="") | ~Q(proposer_contact="") | ~Q(address_hash="")


@transaction.atomic
def anonymise_expired(
    *, acting_user: User | None, older_than_days: int | None = None, today: dt.date | None = None
) -> Anonymised:
    """Anonymise proposals of calls closed, and ratings of periods ended, more than `older_than_days` ago.

    `today` is for tests and back-dated runs; one audit row records the run and its counts.
    """
    days = retention_days() if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("older_than_days must be 0 or more")
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=days)
    cutoff_at = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    proposals = list(
        Proposal.objects.filter(_proposals_with_pi(), solicitation__closes_at__lt=cutoff_at).values_list(
            "pk", flat=True
        )
    )
    ratings = list(
        PublicRating.objects.filter(period__end__lt=cutoff)
        .exclude(rater_key__startswith=ANON_PREFIX)
        .values_list("pk", flat=True)
    )
    result = Anonymised(proposals=_clear_proposals(proposals), ratings=_clear_ratings(ratings))
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        object_type="participation.personal_data",
        object_repr=f"closed before {cutoff.isoformat()}",
        after={"proposals": result.proposals, "ratings": result.ratings, "retention_days": days},
        message="participation personal data anonymised after retention",
    )
    return result


@transaction.atomic
def proposal_anonymise(*, acting_user: User, proposal: Proposal) -> Proposal:
    """On the proposer's request: clear one proposal's name, contact and address hash (the office's)."""
    proposal = Proposal.objects.select_for_update().select_related("solicitation__region").get(pk=proposal.pk)
    if not can_screen(acting_user, proposal.solicitation):
        raise NotAllowed(_("Only the supervision office of this region screens proposals."))
    _clear_proposals([proposal.pk])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=proposal,
        message="proposer's personal data anonymised on request",
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def ratings_anonymise_phone(*, acting_user: User, phone: str) -> int:
    """On request: anonymise the public ratings given with `phone` on items of the office's region.

    The phone is only hashed (as when rating), never stored; returns the ratings changed.
    """
    if not can_moderate_any(acting_user):
        raise NotAllowed(_("Only the supervision office may do this."))
    key = person_key("phone", normalise_phone(phone))
    found = list(
        PublicRating.objects.select_for_update()
        .filter(rater_key=key)
        .select_related("item__project__plan__region")
    )
    # Ratings in other regions are left alone and not mentioned (no hint that the number rated there).
    mine = [rating.pk for rating in found if can_moderate(acting_user, rating.item)]
    changed = _clear_ratings(mine)
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        object_type="feedback.publicrating",
        object_repr=f"{changed} rating(s)",
        after={"ratings": changed},
        message="public raters' personal data anonymised on request",
    )
    return changed
