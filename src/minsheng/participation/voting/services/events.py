"""Create a vote event with its rules fixed, and the electorate it is for."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.participation.solicitation.models import Candidate
from minsheng.participation.voting.choices import EventStatus, VoteRule
from minsheng.participation.voting.models import EventCandidate, VoteEvent
from minsheng.participation.voting.policies import can_manage_event

if TYPE_CHECKING:
    from minsheng.participation.solicitation.models import Solicitation


def electorate(event: VoteEvent) -> QuerySet[User]:
    """The deputies entitled to vote: active accounts with the deputy role of exactly the event's region."""
    return User.objects.filter(groups__name=Role.DEPUTY, is_active=True, region_id=event.region_id).distinct()


def rules_of(event: VoteEvent) -> dict[str, Any]:
    """The fixed rules, as audited and shown."""
    return {
        "rule": event.rule,
        "choose_n": event.choose_n,
        "candidates": event.candidates.count(),
        "opens_at": event.opens_at.isoformat(),
        "closes_at": event.closes_at.isoformat(),
        "quorum": event.quorum,
        "region": event.region_id,
        "year": event.year,
    }


def locked_event(event: VoteEvent) -> VoteEvent:
    """The event read again under a row lock (so closing and counting never interleave with a write)."""
    return VoteEvent.objects.select_for_update().select_related("region").get(pk=event.pk)


def refuse_if_closed(event: VoteEvent) -> None:
    if event.status != EventStatus.SCHEDULED:
        raise Conflict(_("This vote is closed; nothing can change any more."))


def window_text(event: VoteEvent) -> str:
    return _("%(opens)s to %(closes)s") % {
        "opens": timezone.localtime(event.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes": timezone.localtime(event.closes_at).strftime("%Y-%m-%d %H:%M"),
    }


@transaction.atomic
def vote_event_create(
    *,
    acting_user: User | None,
    solicitation: Solicitation,
    title: str,
    rule: str,
    choose_n: int,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    quorum: int,
    now: dt.datetime | None = None,
) -> VoteEvent:
    """A vote on every candidate of `solicitation`, for its region and year. The rules (N of M, the
    window, the quorum) and the candidates are fixed here: no service changes them afterwards."""
    now = now or timezone.now()
    event = VoteEvent(
        region=solicitation.region,
        year=solicitation.year,
        solicitation=solicitation,
        title=(title or "").strip(),
        rule=rule,
        choose_n=choose_n,
        opens_at=opens_at,
        closes_at=closes_at,
        quorum=quorum,
        created_by=acting_user,
    )
    if acting_user is not None and not can_manage_event(acting_user, event):
        raise NotAllowed(_("Only the supervision office of this region sets up its vote."))
    if not event.title or len(event.title) > 200:
        raise ValidationFailed(_("Give a title of at most 200 characters."), field="title")
    if rule not in VoteRule.values:
        raise ValidationFailed(_("Choose a rule: exactly N or at most N."), field="rule")
    candidates = list(Candidate.objects.filter(solicitation=solicitation).order_by("position"))
    if not candidates:
        raise ValidationFailed(
            _("The solicitation has no candidate projects to vote on."), field="solicitation"
        )
    if not 1 <= choose_n <= len(candidates):
        raise ValidationFailed(
            _("N must be between 1 and the number of candidates (%(m)s).") % {"m": len(candidates)},
            field="choose_n",
        )
    if closes_at <= opens_at:
        raise ValidationFailed(_("The window must close after it opens."), field="closes_at")
    if closes_at <= now:
        raise ValidationFailed(_("The window must close in the future."), field="closes_at")
    if quorum < 1:
        raise ValidationFailed(_("The quorum is at least one ballot."), field="quorum")
    if VoteEvent.objects.filter(region=event.region, year=event.year, title=event.title).exists():
        raise Conflict(_("This region already has a vote with this year and title."), field="title")
    event.save()
    EventCandidate.objects.bulk_create(
        EventCandidate(event=event, candidate=c, position=n) for n, c in enumerate(candidates, start=1)
    )
    audit_record(
        actor=acting_user, action=Action.CREATE, obj=event, after=rules_of(event), message="vote created"
    )
    return event
