"""The deputies' vote (票决): an event with fixed rules, secret ballots, paper tallies, results.

Secrecy: a `Ballot` holds only the event and the candidates chosen. Its key is a random UUID and it has
no time, no voter and no sequence number, so nothing orders ballots by when they were cast. Who voted is
kept apart in `Participation` (unique per event and deputy), which has no link to any ballot. Both rows
are written in one transaction, so a second ballot is impossible without tying the two together.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.participation.voting.choices import Channel, EventStatus, VoteRule


class VoteEvent(TimeStampedModel):
    """票决活动: one region's vote on a solicitation's candidates for a plan year."""

    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="vote_events"
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=200)
    solicitation = models.ForeignKey(
        "solicitation.Solicitation",
        verbose_name=_("solicitation"),
        on_delete=models.PROTECT,
        related_name="vote_events",
    )
    rule = models.CharField(_("rule"), max_length=10, choices=VoteRule.choices)
    choose_n = models.PositiveSmallIntegerField(_("number to choose (N)"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    quorum = models.PositiveIntegerField(
        _("quorum"), help_text=_("Ballots needed (electronic and paper) for the result to stand.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    # Filled when the event closes.
    electorate_size = models.PositiveIntegerField(_("deputies entitled to vote"), null=True, blank=True)
    electronic_ballots = models.PositiveIntegerField(_("electronic ballots"), null=True, blank=True)
    paper_ballots = models.PositiveIntegerField(_("paper ballots"), null=True, blank=True)
    turnout = models.PositiveIntegerField(_("ballots cast"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    tie_at_cut = models.BooleanField(_("tie at the last winning place"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("draft plan made from the winners"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("vote event")
        verbose_name_plural = _("vote events")
        ordering = ["-year", "region", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "title"], name="voting_event_unique_title"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="voting_event_window_order"
            ),
            models.CheckConstraint(condition=models.Q(choose_n__gte=1), name="voting_event_choose_n"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def candidate_count(self) -> int:
        return self.candidates.count()


class EventCandidate(models.Model):
    """A candidate on the event's ballot, fixed when the event is created, with its result once closed."""

    event = models.ForeignKey(
        VoteEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="candidates"
    )
    candidate = models.ForeignKey(
        "solicitation.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("number"))
    electronic_votes = models.PositiveIntegerField(_("electronic votes"), null=True, blank=True)
    paper_votes = models.PositiveIntegerField(_("paper votes"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    won = models.BooleanField(_("chosen"), default=False)
    tied = models.BooleanField(_("tied at the last winning place"), default=False)

    class Meta:
        verbose_name = _("candidate on the ballot")
        verbose_name_plural = _("candidates on the ballot")
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "candidate"], name="voting_candidate_once"),
            models.UniqueConstraint(fields=["event", "position"], name="voting_candidate_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.candidate.title}"


class Participation(models.Model):
    """参与记录: deputy X has voted in event E (and how). No time, no link to the ballot."""

    event = models.ForeignKey(
        VoteEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["event", "voter"], name="voting_one_ballot_per_deputy")
        ]

    def __str__(self) -> str:
        return f"{self.voter} · {self.event}"


class Ballot(models.Model):
    """选票: the candidates one electronic ballot chose. No voter, no time; a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        VoteEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="ballots"
    )
    # EventCandidate ids, sorted: the order a deputy ticked them in says nothing either.
    choices = models.JSONField(_("choices"), default=list)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)


class PaperTally(TimeStampedModel):
    """纸质计票: one clerk's count of the paper ballots; two clerks' counts must agree to be used."""

    event = models.ForeignKey(
        VoteEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="paper_tallies"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("clerk"), on_delete=models.PROTECT, related_name="+"
    )
    ballots = models.PositiveIntegerField(_("paper ballots counted"))
    # {EventCandidate id (as text): votes}
    counts = models.JSONField(_("votes per candidate"), default=dict)

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        ordering = ["event", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "clerk"], name="voting_one_tally_per_clerk")]

    def __str__(self) -> str:
        return f"{self.event} · {self.clerk}"
