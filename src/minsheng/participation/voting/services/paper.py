"""Paper ballots counted by two clerks separately (双人录入); their counts must agree to be used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.participation.voting.choices import Channel
from minsheng.participation.voting.models import EventCandidate, PaperTally, Participation, VoteEvent
from minsheng.participation.voting.policies import can_manage_event
from minsheng.participation.voting.services.events import locked_event, refuse_if_closed

if TYPE_CHECKING:
    from minsheng.accounts.models import User


@transaction.atomic
def paper_tally_enter(
    *, acting_user: User, event: VoteEvent, ballots: int, counts: dict[int, int]
) -> PaperTally:
    """One clerk's count of the paper ballots: how many ballots, and votes per candidate (every candidate,
    0 included). A clerk entering again replaces their own count (to resolve a disagreement)."""
    event = locked_event(event)
    if not can_manage_event(acting_user, event):
        raise NotAllowed(_("Only the supervision office's clerks of this region enter paper counts."))
    refuse_if_closed(event)
    paper_voters = Participation.objects.filter(event=event, channel=Channel.PAPER).count()
    if ballots < 0:
        raise ValidationFailed(_("The number of paper ballots cannot be negative."), field="ballots")
    if ballots > paper_voters:
        raise ValidationFailed(
            _("%(ballots)s paper ballots, but only %(voters)s deputies were recorded as voting on paper.")
            % {"ballots": ballots, "voters": paper_voters},
            field="ballots",
        )
    clean: dict[str, int] = {}
    for ec in EventCandidate.objects.filter(event=event).select_related("candidate").order_by("position"):
        if ec.pk not in counts or counts[ec.pk] is None:
            raise ValidationFailed(
                _("Candidate %(no)s (%(title)s): enter its votes (0 if none).")
                % {"no": ec.position, "title": ec.candidate.title},
                field=f"c{ec.pk}",
            )
        n = int(counts[ec.pk])
        if not 0 <= n <= ballots:
            raise ValidationFailed(
                _("Candidate %(no)s (%(title)s): %(n)s votes is not between 0 and the %(ballots)s ballots.")
                % {"no": ec.position, "title": ec.candidate.title, "n": n, "ballots": ballots},
                field=f"c{ec.pk}",
            )
        clean[str(ec.pk)] = n
    extra = set(counts) - {int(k) for k in clean}
    if extra:
        raise ValidationFailed(_("A count is for a candidate not on this ballot."), field="counts")
    if sum(clean.values()) > ballots * event.choose_n:
        raise ValidationFailed(
            _("%(total)s votes in all is more than %(ballots)s ballots × %(n)s choices allow.")
            % {"total": sum(clean.values()), "ballots": ballots, "n": event.choose_n},
            field="counts",
        )
    tally = PaperTally.objects.filter(event=event, clerk=acting_user).first()
    if tally is None and PaperTally.objects.filter(event=event).count() >= 2:
        raise Conflict(_("Two clerks have entered their counts already; one of them corrects their own."))
    before = None if tally is None else {"ballots": tally.ballots, "counts": tally.counts}
    if tally is None:
        tally = PaperTally(event=event, clerk=acting_user)
    tally.ballots, tally.counts = ballots, clean
    tally.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=tally,
        before=before,
        after={"ballots": ballots, "counts": clean},
        message="paper tally entered",
    )
    return tally


@dataclass
class TallyState:
    """Where the paper count stands: no paper voters, waiting for two clerks, agreed, or disagreeing."""

    state: str  # "none", "waiting", "agreed", "disagree"
    tallies: list[PaperTally]
    paper_voters: int
    ballots: int = 0  # agreed
    counts: dict[int, int] = field(default_factory=dict)  # agreed, by EventCandidate id
    # Where the two clerks differ: (label, first clerk's figure, second clerk's figure).
    differences: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.state in ("none", "agreed")


def paper_tally_state(event: VoteEvent) -> TallyState:
    """Compare the two clerks' counts (three queries)."""
    paper_voters = Participation.objects.filter(event=event, channel=Channel.PAPER).count()
    tallies = list(PaperTally.objects.filter(event=event).select_related("clerk").order_by("pk"))
    if not tallies:
        return TallyState("none" if paper_voters == 0 else "waiting", tallies, paper_voters)
    if len(tallies) < 2:
        return TallyState("waiting", tallies, paper_voters)
    first, second = tallies[0], tallies[1]
    diffs: list[tuple[str, int, int]] = []
    if first.ballots != second.ballots:
        diffs.append((_("Paper ballots"), first.ballots, second.ballots))
    for ec in EventCandidate.objects.filter(event=event).select_related("candidate").order_by("position"):
        a, b = first.counts.get(str(ec.pk), 0), second.counts.get(str(ec.pk), 0)
        if a != b:
            diffs.append((f"{ec.position}. {ec.candidate.title}", a, b))
    if diffs:
        return TallyState("disagree", tallies, paper_voters, differences=diffs)
    return TallyState(
        "agreed",
        tallies,
        paper_voters,
        ballots=first.ballots,
        counts={int(k): v for k, v in first.counts.items()},
    )
