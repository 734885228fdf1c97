"""Cast an electronic ballot (secretly, once), and record who voted on paper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.accounts.models import User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.participation.voting.choices import Channel, VoteRule
from minsheng.participation.voting.models import Ballot, EventCandidate, Participation, VoteEvent
from minsheng.participation.voting.policies import can_manage_event, is_elector
from minsheng.participation.voting.services.events import electorate, refuse_if_closed, window_text


def _choices(event: VoteEvent, chosen: Iterable[int | str]) -> list[int]:
    """The chosen EventCandidate ids, checked against the rule: on this ballot, each once, N of M."""
    try:
        ids = [int(c) for c in chosen]
    except (TypeError, ValueError):
        raise ValidationFailed(_("A choice is not a candidate of this vote."), field="choices") from None
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("A candidate can be chosen only once."), field="choices")
    valid = set(EventCandidate.objects.filter(event=event).values_list("pk", flat=True))
    if not set(ids) <= valid:
        raise ValidationFailed(_("A choice is not a candidate of this vote."), field="choices")
    n = event.choose_n
    if len(ids) > n:
        raise ValidationFailed(
            ngettext(
                "You chose %(chosen)s candidates; choose at most %(n)s.",
                "You chose %(chosen)s candidates; choose at most %(n)s.",
                n,
            )
            % {"chosen": len(ids), "n": n},
            field="choices",
        )
    if event.rule == VoteRule.EXACTLY and len(ids) != n:
        raise ValidationFailed(
            _("You chose %(chosen)s candidates; this vote asks for exactly %(n)s.")
            % {"chosen": len(ids), "n": n},
            field="choices",
        )
    return sorted(ids)


@transaction.atomic
def ballot_cast(
    *, acting_user: User, event: VoteEvent, choices: Iterable[int | str], now: dt.datetime | None = None
) -> None:
    """A deputy's electronic ballot. Refused outside the window, after closing, for a deputy of another
    region, for a second ballot or a wrong number of choices; nothing is stored then.

    Writes a `Participation` (who) and a `Ballot` (what) with no link between them, in one transaction;
    the unique (event, voter) constraint makes concurrent second ballots fail. Returns nothing: not even
    the caller learns the ballot's key.
    """
    now = now or timezone.now()
    event = VoteEvent.objects.select_related("region").get(pk=event.pk)
    if not is_elector(acting_user, event):
        raise NotAllowed(
            _("Only the deputies of %(region)s vote in this event.") % {"region": event.region.name}
        )
    refuse_if_closed(event)
    if not event.opens_at <= now < event.closes_at:
        raise Conflict(_("Ballots are taken from %(window)s only.") % {"window": window_text(event)})
    ids = _choices(event, choices)
    if Participation.objects.filter(event=event, voter=acting_user).exists():
        raise Conflict(_("You have already voted in this event; a ballot cannot be cast twice."))
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                event=event, voter=acting_user, channel=Channel.ELECTRONIC
            )
    except IntegrityError:
        # Another request of the same deputy got there first (the database's unique constraint).
        raise Conflict(_("You have already voted in this event; a ballot cannot be cast twice.")) from None
    Ballot.objects.create(event=event, choices=ids)
    # The audit row says who voted, never what: no ballot key, no choices.
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=participation,
        after={"event": event.pk, "channel": Channel.ELECTRONIC},
        message="ballot cast",
    )


@transaction.atomic
def paper_voters_record(
    *, acting_user: User | None, event: VoteEvent, voters: Iterable[User], now: dt.datetime | None = None
) -> list[Participation]:
    """The deputies who took a paper ballot in the hall (登记): each is then refused an electronic one.
    Refused for a deputy who is not of the event's region or who has voted already."""
    now = now or timezone.now()
    event = VoteEvent.objects.select_related("region").get(pk=event.pk)
    if acting_user is not None and not can_manage_event(acting_user, event):
        raise NotAllowed(_("Only the supervision office of this region records paper voters."))
    refuse_if_closed(event)
    if now < event.opens_at:
        raise Conflict(_("Ballots are taken from %(window)s only.") % {"window": window_text(event)})
    voters = list(voters)
    entitled = set(electorate(event).values_list("pk", flat=True))
    outsiders = [str(v) for v in voters if v.pk not in entitled]
    if outsiders:
        raise ValidationFailed(
            _("Not deputies of %(region)s: %(names)s.")
            % {"region": event.region.name, "names": ", ".join(outsiders)},
            field="voters",
        )
    done = set(
        Participation.objects.filter(event=event, voter__in=voters).values_list("voter__username", flat=True)
    )
    if done:
        raise Conflict(
            _("Already voted: %(names)s.") % {"names": ", ".join(sorted(done))},
            field="voters",
        )
    try:
        with transaction.atomic():
            rows = Participation.objects.bulk_create(
                Participation(event=event, voter=v, channel=Channel.PAPER) for v in voters
            )
    except IntegrityError:
        raise Conflict(_("One of these deputies has just voted; reload the page.")) from None
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=event,
        after={"paper_voters": sorted(v.username for v in voters)},
        message="paper voters recorded",
    )
    return rows
