"""Pages: the public call with its counts, the proposal forms (public and unit), the office's screening."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.client import client_address
from minsheng.core.exceptions import ServiceError
from minsheng.core.views import form_error, service_errors_as_message, service_errors_on_form, signed_in_user
from minsheng.participation import anonymise
from minsheng.participation.solicitation import selectors, services
from minsheng.participation.solicitation.choices import Category
from minsheng.participation.solicitation.forms import CandidateForm, ProposalForm, SolicitationForm
from minsheng.participation.solicitation.models import CONTENT_MAX, Candidate, Proposal, Solicitation
from minsheng.participation.solicitation.policies import (
    can_manage_solicitations,
    can_propose_as_unit,
    can_screen,
    can_use_unit_page,
)

# A proposal is a few kilobytes; a larger body is refused before it is read.
MAX_BODY = 64 * 1024


def public_index(request: HttpRequest) -> HttpResponse:
    """Every solicitation that has opened: link to propose while open, counts per category and status."""
    counts = selectors.public_counts(selectors.public_solicitations())
    return render(request, "solicitation/public_index.html", {"counts": counts})


def _public_solicitation(pk: int) -> Solicitation:
    solicitation = get_object_or_404(Solicitation.objects.select_related("region"), pk=pk)
    if solicitation.opens_at > timezone.now():
        raise Http404
    return solicitation


def _propose(request: HttpRequest, solicitation: Solicitation, *, as_unit: bool) -> HttpResponse:
    template = "solicitation/propose.html"
    context = {"solicitation": solicitation, "as_unit": as_unit, "is_open": services.is_open(solicitation)}
    if request.method == "POST":
        size = int(request.META.get("CONTENT_LENGTH") or 0)
        if size > MAX_BODY:
            error = _(
                "Your proposal is too large (%(kb)s KB); at most %(limit)s characters of content are accepted."
            ) % {"kb": size // 1024, "limit": CONTENT_MAX}
            return render(request, template, {**context, "form": ProposalForm(), "error": error}, status=413)
        form = ProposalForm(request.POST)
        if form.is_valid():
            user = signed_in_user(request) if as_unit else None
            try:
                services.proposal_submit(
                    acting_user=user,
                    solicitation=solicitation,
                    address=client_address(request),
                    **form.cleaned_data,
                )
            except ServiceError as exc:
                form_error(form, exc)
                status = 429 if isinstance(exc, services.RateLimited) else 400
                return render(request, template, {**context, "form": form}, status=status)
            messages.success(request, _("Thank you: your proposal was received and will be screened."))
            return redirect(
                "solicitation:unit_propose" if as_unit else "solicitation:propose", pk=solicitation.pk
            )
        return render(request, template, {**context, "form": form}, status=400)
    return render(request, template, {**context, "form": ProposalForm()})


def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The public form: anyone, no account, limited per address."""
    return _propose(request, _public_solicitation(pk), as_unit=False)


@login_required
def unit_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit form: a reporter (for its unit) or the office of the region."""
    if not can_use_unit_page(request.user):
        raise PermissionDenied
    solicitation = _public_solicitation(pk)
    if not can_propose_as_unit(request.user, solicitation):
        raise Http404
    return _propose(request, solicitation, as_unit=True)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The office's solicitations, and the form to open a new one for its region."""
    if not can_manage_solicitations(request.user):
        raise PermissionDenied
    user = signed_in_user(request)
    form = SolicitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.region is None:
            form.add_error(None, _("Your account has no region to open a solicitation for."))
        else:
            with service_errors_on_form(form):
                solicitation = services.solicitation_create(
                    acting_user=user, region=user.region, **form.cleaned_data
                )
                messages.success(request, _("The solicitation is open for its window."))
                return redirect("solicitation:screen", pk=solicitation.pk)
    return render(
        request,
        "solicitation/manage.html",
        {"solicitations": selectors.solicitations_visible(user), "form": form},
        status=400 if form.errors else 200,
    )


def _screenable(request: HttpRequest, solicitation: Solicitation) -> None:
    if not can_manage_solicitations(request.user):
        raise PermissionDenied
    if not can_screen(request.user, solicitation):
        raise Http404


@login_required
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """Screening: proposals by category with masked contacts and duplicate suggestions; the candidates."""
    solicitation = get_object_or_404(Solicitation.objects.select_related("region"), pk=pk)
    _screenable(request, solicitation)
    return render(
        request,
        "solicitation/screen.html",
        {
            "solicitation": solicitation,
            "groups": selectors.screening_board(solicitation),
            "candidates": selectors.candidates_of(solicitation),
            "categories": Category.choices,
            "counts": selectors.public_counts([solicitation])[0],
        },
    )


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("solicitation__region"), pk=pk)
    _screenable(request, proposal.solicitation)
    return proposal


def _act(request: HttpRequest, proposal: Proposal, run: Callable[[], object], done: str) -> HttpResponse:
    with service_errors_as_message(
        request, lambda error: _("Proposal #%(no)s: %(error)s") % {"no": proposal.pk, "error": error}
    ):
        run()
        messages.success(request, done)
    return redirect(f"{_screen_url(proposal)}#proposal-{proposal.pk}")


def _screen_url(proposal: Proposal) -> str:
    return reverse("solicitation:screen", args=[proposal.solicitation_id])


@login_required
@require_POST
def proposal_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the proposer's name and contact in full (the office must call back); audited."""
    proposal = _proposal(request, pk)
    name, contact = services.proposal_contact_reveal(acting_user=signed_in_user(request), proposal=proposal)
    return render(
        request, "solicitation/contact.html", {"proposal": proposal, "name": name, "contact": contact}
    )


@login_required
@require_POST
def proposal_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    """On the proposer's request: erase the name and contact for good (the proposal stays); audited."""
    proposal = _proposal(request, pk)
    user = signed_in_user(request)
    return _act(
        request,
        proposal,
        lambda: anonymise.proposal_anonymise(acting_user=user, proposal=proposal),
        _("Proposal #%(no)s: the proposer's name and contact were erased.") % {"no": proposal.pk},
    )


@login_required
@require_POST
def proposal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    raw = str(request.POST.get("into", "")).lstrip("#")
    into = Proposal.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if into is None:
        messages.error(
            request, _("Proposal #%(no)s: choose the proposal to merge it into.") % {"no": proposal.pk}
        )
        return redirect(_screen_url(proposal))
    user = signed_in_user(request)
    return _act(
        request,
        proposal,
        lambda: services.proposal_merge(acting_user=user, proposal=proposal, into=into),
        _("Proposal #%(no)s was merged into #%(into)s.") % {"no": proposal.pk, "into": into.pk},
    )


@login_required
@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    reason = str(request.POST.get("reason", ""))
    user = signed_in_user(request)
    return _act(
        request,
        proposal,
        lambda: services.proposal_reject(acting_user=user, proposal=proposal, reason=reason),
        _("Proposal #%(no)s was rejected.") % {"no": proposal.pk},
    )


@login_required
@require_POST
def proposal_categorise(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user = signed_in_user(request)
    category = str(request.POST.get("category", ""))
    return _act(
        request,
        proposal,
        lambda: services.proposal_categorise(acting_user=user, proposal=proposal, category=category),
        _("Proposal #%(no)s moved to another category.") % {"no": proposal.pk},
    )


@login_required
@require_POST
def proposal_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user = signed_in_user(request)
    return _act(
        request,
        proposal,
        lambda: services.proposal_shortlist(acting_user=user, proposal=proposal),
        _("Proposal #%(no)s is now a candidate project; word it on the candidate's page.")
        % {"no": proposal.pk},
    )


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Word a candidate (title, content, lead unit); its targets are read again from the text."""
    candidate = get_object_or_404(Candidate.objects.select_related("solicitation__region"), pk=pk)
    _screenable(request, candidate.solicitation)
    initial = {"title": candidate.title, "content": candidate.content, "lead_unit": candidate.lead_unit}
    form = CandidateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors_on_form(form):
            services.candidate_update(
                acting_user=signed_in_user(request), candidate=candidate, **form.cleaned_data
            )
            messages.success(request, _("The candidate was saved; its targets were read again."))
            return redirect("solicitation:screen", pk=candidate.solicitation_id)
    return render(
        request,
        "solicitation/candidate_edit.html",
        {"candidate": candidate, "form": form},
        status=400 if form.errors else 200,
    )
