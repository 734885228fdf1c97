"""Pages: public results, the office's events (paper voters, clerks' counts, close, publish, draft plan),
and the deputies' ballot (made for a phone)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import Conflict, NotAllowed, ServiceError
from minsheng.core.views import form_error, service_errors_as_message, service_errors_on_form, signed_in_user
from minsheng.participation.solicitation.selectors import solicitations_visible
from minsheng.participation.voting import selectors, services
from minsheng.participation.voting.choices import EventStatus
from minsheng.participation.voting.forms import BallotForm, EventForm, PaperVotersForm, TallyForm
from minsheng.participation.voting.models import PaperTally, Participation, VoteEvent
from minsheng.participation.voting.policies import (
    can_manage_event,
    can_manage_votes,
    can_use_ballot_page,
    is_elector,
    is_public_result,
)
from minsheng.participation.voting.services.events import window_text

# ---------------------------------------------------------------- public


def public_index(request: HttpRequest) -> HttpResponse:
    """Every published vote, by year and region."""
    return render(request, "voting/public_index.html", {"events": selectors.published_events()})


def public_result(request: HttpRequest, pk: int) -> HttpResponse:
    """A published vote's ranking (ties shown), turnout and quorum; 404 before publication."""
    event = get_object_or_404(VoteEvent.objects.select_related("region", "plan"), pk=pk)
    if not is_public_result(event):
        raise Http404
    return render(request, "voting/public_result.html", {"event": event, "results": selectors.results(event)})


# ---------------------------------------------------------------- the office


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The office's votes and the form to set up one (its rules are fixed from then on)."""
    if not can_manage_votes(request.user):
        raise PermissionDenied
    user = signed_in_user(request)
    form = EventForm(request.POST or None, solicitations=solicitations_visible(user))
    if request.method == "POST" and form.is_valid():
        with service_errors_on_form(form):
            event = services.vote_event_create(acting_user=user, **form.cleaned_data)
            messages.success(request, _("The vote is set up; its rules can no longer change."))
            return redirect("voting:event_detail", pk=event.pk)
    return render(
        request,
        "voting/manage.html",
        {"events": selectors.events_visible(user), "form": form},
        status=400 if form.errors else 200,
    )


def _managed(request: HttpRequest, pk: int) -> VoteEvent:
    if not can_manage_votes(request.user):
        raise PermissionDenied
    event = get_object_or_404(VoteEvent.objects.select_related("region", "solicitation", "plan"), pk=pk)
    if not can_manage_event(request.user, event):
        raise Http404
    return event


def _paper_voters_form(event: VoteEvent, data: object = None) -> PaperVotersForm:
    voted = Participation.objects.filter(event=event).values("voter_id")
    deputies = services.electorate(event).exclude(pk__in=voted).order_by("username")
    return PaperVotersForm(data, deputies=deputies)  # type: ignore[arg-type]


def _render_detail(
    request: HttpRequest, event: VoteEvent, voters_form: PaperVotersForm | None = None
) -> HttpResponse:
    paper = services.paper_tally_state(event)
    return render(
        request,
        "voting/event_detail.html",
        {
            "event": event,
            "candidates": selectors.results(event)
            if event.status != EventStatus.SCHEDULED
            else selectors.ballot_candidates(event),
            "electorate": services.electorate(event).count(),
            "participations": Participation.objects.filter(event=event).count(),
            "paper": paper,
            "voters_form": voters_form or _paper_voters_form(event),
            "is_scheduled": event.status == EventStatus.SCHEDULED,
        },
        status=400 if voters_form is not None else 200,
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _managed(request, pk))


def _act(request: HttpRequest, event: VoteEvent, run: Callable[[], object], done: str) -> HttpResponse:
    with service_errors_as_message(request):
        run()
        messages.success(request, done)
    return redirect("voting:event_detail", pk=event.pk)


@login_required
@require_POST
def paper_voters(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the deputies who voted on paper in the hall."""
    event = _managed(request, pk)
    form = _paper_voters_form(event, request.POST)
    if not form.is_valid():
        return _render_detail(request, event, voters_form=form)
    user = signed_in_user(request)
    voters = list(form.cleaned_data["voters"])
    return _act(
        request,
        event,
        lambda: services.paper_voters_record(acting_user=user, event=event, voters=voters),
        _("%(n)s deputies recorded as voting on paper.") % {"n": len(voters)},
    )


@login_required
def paper_tally(request: HttpRequest, pk: int) -> HttpResponse:
    """One clerk's count of the paper ballots; each clerk enters their own, blind to the other's."""
    event = _managed(request, pk)
    user = signed_in_user(request)
    candidates = selectors.ballot_candidates(event)
    own = PaperTally.objects.filter(event=event, clerk=user).first()
    initial = {"ballots": own.ballots, **{f"c{k}": v for k, v in own.counts.items()}} if own else None
    form = TallyForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        with service_errors_on_form(form):
            services.paper_tally_enter(
                acting_user=user, event=event, ballots=form.cleaned_data["ballots"], counts=form.counts()
            )
            messages.success(request, _("Your count of the paper ballots was saved."))
            return redirect("voting:event_detail", pk=event.pk)
    return render(
        request,
        "voting/paper_tally.html",
        {"event": event, "form": form, "own": own},
        status=400 if form.errors else 200,
    )


def _event_step(request: HttpRequest, pk: int, service: Callable[..., object], done: str) -> HttpResponse:
    """Close, publish or make the plan: one service call on the event, its message, back to the event."""
    event = _managed(request, pk)
    user = signed_in_user(request)
    return _act(request, event, lambda: service(acting_user=user, event=event), done % {"year": event.year})


@login_required
@require_POST
def event_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_step(request, pk, services.vote_event_close, _("The vote is closed and counted."))


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_step(request, pk, services.vote_results_publish, _("The results are published."))


@login_required
@require_POST
def event_to_plan(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("The winners form the draft plan for %(year)s; correct and publish it on the plan page.")
    return _event_step(request, pk, services.vote_winners_to_plan, done)


# ---------------------------------------------------------------- deputies


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A deputy's votes: open ones to vote in, whether they voted, and published results."""
    if not can_use_ballot_page(request.user):
        raise PermissionDenied
    return render(request, "voting/mine.html", {"rows": selectors.deputy_events(request.user)})


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The electronic ballot: tick N candidates (exactly or at most), confirm, done. Once."""
    if not can_use_ballot_page(request.user):
        raise PermissionDenied
    event = get_object_or_404(VoteEvent.objects.select_related("region"), pk=pk)
    if not is_elector(request.user, event):
        raise Http404
    user = signed_in_user(request)
    candidates = selectors.ballot_candidates(event)
    form = BallotForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(acting_user=user, event=event, choices=form.cleaned_data["choices"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ServiceError as exc:
            form_error(form, exc)
            status = 409 if isinstance(exc, Conflict) else 400
        else:
            messages.success(
                request, _("Your ballot was cast. It is secret: it is stored without your name.")
            )
            return redirect("voting:mine")
    has_voted = Participation.objects.filter(event=event, voter=user).exists()
    return render(
        request,
        "voting/ballot.html",
        {
            "event": event,
            "form": form,
            "candidates": candidates,
            "has_voted": has_voted,
            "is_open": event.status == EventStatus.SCHEDULED
            and event.opens_at <= timezone.now() < event.closes_at,
            "window": window_text(event),
            "chosen": request.POST.getlist("choices") if request.method == "POST" else [],
        },
        status=status,
    )
