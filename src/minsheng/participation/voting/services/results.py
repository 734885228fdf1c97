"""Close and count a vote, publish its results, and turn the winners into next year's draft plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.version import changes_bump_on_commit
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed
from minsheng.interchange.services import default_title, plan_import
from minsheng.parsing import Item as ParsedItem
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import Project as ParsedProject
from minsheng.parsing import Target as ParsedTarget
from minsheng.parsing.milestones import extract_milestones
from minsheng.participation.solicitation.choices import Category
from minsheng.participation.voting.choices import EventStatus
from minsheng.participation.voting.models import Ballot, EventCandidate, VoteEvent
from minsheng.participation.voting.policies import can_manage_event
from minsheng.participation.voting.services.events import (
    electorate,
    locked_event,
    refuse_if_closed,
    window_text,
)
from minsheng.participation.voting.services.paper import paper_tally_state
from minsheng.plans.models import Plan

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def _check_manager(acting_user: User | None, event: VoteEvent) -> None:
    if acting_user is not None and not can_manage_event(acting_user, event):
        raise NotAllowed(_("Only the supervision office of this region runs its vote."))


def rank_candidates(votes: dict[int, int], choose_n: int) -> tuple[dict[int, int], set[int], set[int]]:
    """Competition ranking (1, 2, 2, 4) of candidate ids by votes; the winners (the first N with at least
    one vote); and the candidates tied at the last winning place when that tie would make more than N
    winners (none of those is chosen: the congress decides between them)."""
    ranks = {pk: 1 + sum(1 for other in votes.values() if other > n) for pk, n in votes.items()}
    ordered = sorted(votes.values(), reverse=True)
    winners: set[int] = set()
    tied: set[int] = set()
    if ordered:
        cut = ordered[min(choose_n, len(ordered)) - 1]
        above = {pk for pk, n in votes.items() if n > cut}
        at_cut = {pk for pk, n in votes.items() if n == cut}
        if len(above) + len(at_cut) <= choose_n:
            winners = above | at_cut
        else:
            winners, tied = above, at_cut
    winners = {pk for pk in winners if votes[pk] > 0}
    tied = {pk for pk in tied if votes[pk] > 0}
    return ranks, winners, tied


@transaction.atomic
def vote_event_close(
    *, acting_user: User | None, event: VoteEvent, now: dt.datetime | None = None
) -> VoteEvent:
    """计票: after the window, count the electronic ballots and the agreed paper tally, rank, check the
    quorum and freeze the event. Refused while the two clerks' paper counts disagree or one is missing."""
    now = now or timezone.now()
    event = locked_event(event)
    _check_manager(acting_user, event)
    refuse_if_closed(event)
    if now < event.closes_at:
        raise Conflict(
            _("The vote is open (%(window)s); close it after the window.") % {"window": window_text(event)}
        )
    paper = paper_tally_state(event)
    if paper.state == "waiting":
        raise Conflict(_("The paper ballots need two clerks' counts before the vote can be closed."))
    if paper.state == "disagree":
        raise Conflict(
            _(
                "The two clerks' paper counts disagree (%(where)s); they must agree before the vote is counted."
            )
            % {"where": "; ".join(f"{label}: {a} ≠ {b}" for label, a, b in paper.differences)}
        )
    electronic: Counter[int] = Counter()
    ballots = 0
    for choices in Ballot.objects.filter(event=event).values_list("choices", flat=True):
        ballots += 1
        electronic.update(int(c) for c in choices)
    candidates = list(EventCandidate.objects.filter(event=event).order_by("position"))
    totals = {ec.pk: electronic[ec.pk] + paper.counts.get(ec.pk, 0) for ec in candidates}
    event.electorate_size = electorate(event).count()
    event.electronic_ballots = ballots
    event.paper_ballots = paper.ballots
    event.turnout = ballots + paper.ballots
    event.quorum_met = event.turnout >= event.quorum
    ranks, winners, tied = rank_candidates(totals, event.choose_n)
    if not event.quorum_met:
        winners, tied = set(), set()
    for ec in candidates:
        ec.electronic_votes = electronic[ec.pk]
        ec.paper_votes = paper.counts.get(ec.pk, 0)
        ec.votes = totals[ec.pk]
        ec.rank = ranks[ec.pk]
        ec.won = ec.pk in winners
        ec.tied = ec.pk in tied
    EventCandidate.objects.bulk_update(
        candidates, ["electronic_votes", "paper_votes", "votes", "rank", "won", "tied"]
    )
    event.tie_at_cut = bool(tied)
    event.status = EventStatus.CLOSED
    event.closed_at = now
    event.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=event,
        after={
            "status": event.status,
            "electorate": event.electorate_size,
            "electronic_ballots": ballots,
            "paper_ballots": paper.ballots,
            "quorum_met": event.quorum_met,
            "votes": {ec.position: ec.votes for ec in candidates},
            "winners": sorted(ec.position for ec in candidates if ec.won),
            "tied": sorted(ec.position for ec in candidates if ec.tied),
        },
        message="vote closed and counted",
    )
    return event


@transaction.atomic
def vote_results_publish(
    *, acting_user: User | None, event: VoteEvent, now: dt.datetime | None = None
) -> VoteEvent:
    """Publish the counted results (ranking, ties, turnout, quorum) on the public pages."""
    event = locked_event(event)
    _check_manager(acting_user, event)
    if event.status != EventStatus.CLOSED:
        raise Conflict(
            _("Only a closed and counted vote can be published; this one is %(status)s.")
            % {"status": event.get_status_display()}
        )
    event.status = EventStatus.PUBLISHED
    event.published_at = now or timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.PUBLISH,
        obj=event,
        after={"status": event.status},
        message="vote results published",
    )
    changes_bump_on_commit()  # the public home links to the results
    return event


def winners_as_plan(event: VoteEvent) -> ParsedPlan:
    """The winners as Plan JSON: one project per winner (best rank first), its text as the one item, with
    the targets read at shortlisting and the milestones the parser finds in the same text."""
    winners = (
        EventCandidate.objects.filter(event=event, won=True)
        .select_related("candidate")
        .order_by("rank", "position")
    )
    labels = dict(Category.choices)
    projects = []
    for no, ec in enumerate(winners, start=1):
        c = ec.candidate
        targets = [
            ParsedTarget(
                quote=t["quote"],
                value=Decimal(str(t["value"])),
                unit=t.get("unit", ""),
                op=t.get("op", "="),
                baseline=Decimal(str(t["baseline"])) if t.get("baseline") is not None else None,
                range_max=Decimal(str(t["range_max"])) if t.get("range_max") is not None else None,
            )
            for t in c.targets
        ]
        item = ParsedItem(
            text=c.content,
            lead_units=[c.lead_unit] if c.lead_unit else [],
            targets=targets,
            milestones=extract_milestones(c.content),
            location=_("candidate %(no)s") % {"no": ec.position},
        )
        projects.append(
            ParsedProject(no=no, name=c.title, category=str(labels.get(c.category, "")), items=[item])
        )
    return ParsedPlan(region=event.region.name, year=event.year, projects=projects)


@transaction.atomic
def vote_winners_to_plan(*, acting_user: User | None, event: VoteEvent, title: str = "") -> Plan:
    """The winners become the region's DRAFT plan for the event's year, through the same import service
    as an uploaded list (units resolved, targets and milestones stored); the office then corrects and
    publishes it as usual. Refused without quorum, with a tie at the last place, or when done already."""
    event = locked_event(event)
    _check_manager(acting_user, event)
    if event.status == EventStatus.SCHEDULED:
        raise Conflict(_("Close and count the vote first."))
    if event.plan_id is not None:
        raise Conflict(_("The winners already form the draft plan “%(plan)s”.") % {"plan": event.plan})
    if not event.quorum_met:
        raise Conflict(_("The quorum was not met: the vote chose no project."))
    if event.tie_at_cut:
        raise Conflict(
            _("Candidates are tied at the last winning place; the congress must decide between them first.")
        )
    parsed = winners_as_plan(event)
    if not parsed.projects:
        raise Conflict(_("No candidate was chosen."))
    title = title.strip() or default_title(parsed=parsed, region=event.region, year=event.year)
    if Plan.objects.filter(region=event.region, year=event.year, title=title).exists():
        raise Conflict(
            _("%(region)s already has a %(year)s plan titled “%(title)s”; give the new plan another title.")
            % {"region": event.region.name, "year": event.year, "title": title}
        )
    plan = plan_import(
        acting_user=acting_user,
        parsed=parsed,
        region=event.region,
        year=event.year,
        title=title,
        source_name=f"vote-{event.pk}.json",
    ).plan
    event.plan = plan
    event.save(update_fields=["plan", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=event,
        plan=plan,
        after={"plan": plan.pk, "projects": len(parsed.projects)},
        message="vote winners made the draft plan",
    )
    return plan
