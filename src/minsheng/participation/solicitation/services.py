"""Open a solicitation (征集), take proposals, screen them (merge, reject, shortlist) and keep candidates.

Every write is one audited transaction. Proposals are stored as plain text; markup is refused, and pages
escape what they show anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.version import changes_bump_on_commit
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.parsing.targets import extract_targets
from minsheng.participation.solicitation.choices import Category, ProposalSource, ProposalStatus
from minsheng.participation.solicitation.models import (
    CONTACT_MAX,
    CONTENT_MAX,
    NAME_MAX,
    SHORT_MAX,
    TITLE_MAX,
    Candidate,
    Proposal,
    Solicitation,
)
from minsheng.participation.solicitation.policies import can_propose_as_unit, can_screen

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.orgs.models import Region

# Proposals one address may send in an hour (MINSHENG_PROPOSALS_PER_HOUR).
DEFAULT_PER_HOUR = 5
# An HTML tag, comment or script URL: refused, so stored text never carries markup.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|javascript\s*:|&#|\bon[a-z]+\s*=", re.IGNORECASE)


class RateLimited(Conflict):
    """Too many proposals from one address in the last hour."""


def per_hour_limit() -> int:
    return int(getattr(settings, "MINSHENG_PROPOSALS_PER_HOUR", DEFAULT_PER_HOUR))


def address_key(address: str) -> str:
    """A keyed hash of a client address: the rate limit needs equality, not the address."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _text(value: str | None, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """The trimmed text, or a ValidationFailed naming the field: missing, too long, or with markup."""
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationFailed(_("%(label)s is required.") % {"label": label}, field=field)
    if len(text) > limit:
        raise ValidationFailed(
            _("%(label)s is %(length)s characters long; at most %(limit)s are accepted.")
            % {"label": label, "length": len(text), "limit": limit},
            field=field,
        )
    if _MARKUP.search(text):
        raise ValidationFailed(
            _("%(label)s contains markup or a script (such as <script>); write plain text.")
            % {"label": label},
            field=field,
        )
    return text


def _category(value: str) -> str:
    if value not in Category.values:
        raise ValidationFailed(_("Choose a category from the list."), field="category")
    return value


# ---------------------------------------------------------------- the call


@transaction.atomic
def solicitation_create(
    *,
    acting_user: User | None,
    region: Region,
    year: int,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> Solicitation:
    """Open a call for candidate projects for `region`'s `year` plan, taking proposals in the window."""
    if acting_user is not None and not can_screen(acting_user, Solicitation(region=region)):
        raise NotAllowed(_("Only the supervision office of this region opens a solicitation."))
    title = _text(title, field="title", label=_("The title"), limit=200)
    if not 2000 <= int(year) <= 2200:
        raise ValidationFailed(_("%(year)s is not a plausible plan year.") % {"year": year}, field="year")
    if closes_at <= opens_at:
        raise ValidationFailed(_("The window must close after it opens."), field="closes_at")
    if Solicitation.objects.filter(region=region, year=year, title=title).exists():
        raise Conflict(_("This region already has a solicitation with this year and title."), field="title")
    solicitation = Solicitation.objects.create(
        region=region, year=year, title=title, opens_at=opens_at, closes_at=closes_at, created_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=solicitation,
        after={
            "region": region.pk,
            "year": year,
            "title": title,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
        },
        message="solicitation opened",
    )
    changes_bump_on_commit()  # the public home lists open solicitations
    return solicitation


def is_open(solicitation: Solicitation, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return solicitation.opens_at <= now < solicitation.closes_at


# ---------------------------------------------------------------- proposals


@transaction.atomic
def proposal_submit(
    *,
    acting_user: User | None,
    solicitation: Solicitation,
    title: str,
    content: str,
    place: str = "",
    beneficiaries: str = "",
    category: str,
    proposer_name: str,
    proposer_contact: str,
    address: str = "",
    now: dt.datetime | None = None,
) -> Proposal:
    """A proposal from the public page (`acting_user` None or any visitor) or the unit page (a reporter
    or the office: recorded as the unit's). Refused outside the window, past the per-address hourly
    limit, with markup, or too long; nothing is stored then."""
    now = now or timezone.now()
    solicitation = Solicitation.objects.select_related("region").get(pk=solicitation.pk)
    if not is_open(solicitation, now):
        raise Conflict(
            _("This solicitation takes proposals from %(opens)s to %(closes)s.")
            % {
                "opens": timezone.localtime(solicitation.opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(solicitation.closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    as_unit = acting_user is not None and can_propose_as_unit(acting_user, solicitation)
    data = {
        "title": _text(title, field="title", label=_("The title"), limit=TITLE_MAX),
        "content": _text(content, field="content", label=_("The content"), limit=CONTENT_MAX),
        "place": _text(place, field="place", label=_("The place"), limit=SHORT_MAX, required=False),
        "beneficiaries": _text(
            beneficiaries, field="beneficiaries", label=_("Who benefits"), limit=SHORT_MAX, required=False
        ),
        "category": _category(category),
        "proposer_name": _text(proposer_name, field="proposer_name", label=_("Your name"), limit=NAME_MAX),
        "proposer_contact": _text(
            proposer_contact, field="proposer_contact", label=_("Your phone or contact"), limit=CONTACT_MAX
        ),
    }
    key = address_key(address) if address else ""
    if key and not as_unit:
        recent = Proposal.objects.filter(
            address_hash=key, created_at__gte=now - dt.timedelta(hours=1)
        ).count()
        if recent >= per_hour_limit():
            raise RateLimited(
                _(
                    "Too many proposals from your address in the last hour (at most %(limit)s); try again later."
                )
                % {"limit": per_hour_limit()}
            )
    unit = acting_user.unit if as_unit and acting_user is not None else None
    proposal = Proposal.objects.create(
        solicitation=solicitation,
        source=ProposalSource.UNIT if as_unit else ProposalSource.PUBLIC,
        unit=unit,
        submitted_by=acting_user if as_unit else None,
        address_hash=key,
        **data,
    )
    audit_record(
        actor=acting_user if as_unit else None,
        action=Action.CREATE,
        obj=proposal,
        # The proposer's name and contact stay out of the audit trail too.
        after={"solicitation": solicitation.pk, "title": proposal.title, "source": proposal.source},
        message="proposal submitted",
    )
    changes_bump_on_commit()  # public counts
    return proposal


def _screened(acting_user: User, proposal: Proposal) -> Proposal:
    """The proposal under a row lock, after checking the acting user may screen it."""
    proposal = Proposal.objects.select_for_update().select_related("solicitation__region").get(pk=proposal.pk)
    if not can_screen(acting_user, proposal.solicitation):
        raise NotAllowed(_("Only the supervision office of this region screens proposals."))
    return proposal


def _open_for_screening(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(
            _("Proposal #%(no)s is already %(status)s.")
            % {"no": proposal.pk, "status": proposal.get_status_display()}
        )


def _state(proposal: Proposal) -> dict[str, Any]:
    return {
        "status": proposal.status,
        "category": proposal.category,
        "merged_into": proposal.merged_into_id,
        "candidate": proposal.candidate_id,
        "reject_reason": proposal.reject_reason,
    }


def _save_screened(
    acting_user: User, proposal: Proposal, *, before: dict[str, Any], fields: list[str], message: str
) -> Proposal:
    """Store a screening decision: save the fields, audit before/after, refresh the public counts."""
    proposal.save(update_fields=fields)
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=proposal,
        before=before,
        after=_state(proposal),
        message=message,
    )
    changes_bump_on_commit()
    return proposal


@transaction.atomic
def proposal_contact_reveal(*, acting_user: User, proposal: Proposal) -> tuple[str, str]:
    """The proposer's name and contact in full, for the office when it must call back; audited."""
    proposal = _screened(acting_user, proposal)
    audit_record(
        actor=acting_user,
        action=Action.DOWNLOAD,
        obj=proposal,
        message="proposer contact revealed",
    )
    return proposal.proposer_name, proposal.proposer_contact


@transaction.atomic
def proposal_merge(*, acting_user: User, proposal: Proposal, into: Proposal) -> Proposal:
    """合并: `proposal` duplicates `into`; it stays linked to it (and to its candidate, when shortlisted)."""
    proposal = _screened(acting_user, proposal)
    _open_for_screening(proposal)
    into = Proposal.objects.select_for_update().get(pk=into.pk)
    while into.merged_into_id is not None:  # merge into the one it was itself merged into
        into = Proposal.objects.select_for_update().get(pk=into.merged_into_id)
    if into.solicitation_id != proposal.solicitation_id:
        raise ValidationFailed(_("Only proposals of the same solicitation can be merged."), field="into")
    if into.pk == proposal.pk:
        raise ValidationFailed(_("A proposal cannot be merged into itself."), field="into")
    if into.status == ProposalStatus.REJECTED:
        raise Conflict(_("Proposal #%(no)s was rejected; merge into another one.") % {"no": into.pk})
    before = _state(proposal)
    proposal.status = ProposalStatus.MERGED
    proposal.merged_into = into
    proposal.candidate = into.candidate
    return _save_screened(
        acting_user,
        proposal,
        before=before,
        fields=["status", "merged_into", "candidate"],
        message="proposal merged",
    )


@transaction.atomic
def proposal_reject(*, acting_user: User, proposal: Proposal, reason: str) -> Proposal:
    """不予采纳: reject with the reason (kept for the reply to the proposer)."""
    proposal = _screened(acting_user, proposal)
    _open_for_screening(proposal)
    reason = _text(reason, field="reason", label=_("The reason"), limit=500)
    before = _state(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.reject_reason = reason
    return _save_screened(
        acting_user, proposal, before=before, fields=["status", "reject_reason"], message="proposal rejected"
    )


@transaction.atomic
def proposal_categorise(*, acting_user: User, proposal: Proposal, category: str) -> Proposal:
    """Put a proposal in another category (group) for screening and the public counts."""
    proposal = _screened(acting_user, proposal)
    before = _state(proposal)
    proposal.category = _category(category)
    return _save_screened(
        acting_user, proposal, before=before, fields=["category"], message="proposal recategorised"
    )


# ---------------------------------------------------------------- candidates


def targets_of(text: str) -> list[dict[str, Any]]:
    """The targets in a candidate's text, by the same extractor the import uses on item texts."""
    return [t.to_dict() for t in extract_targets(text).targets]


def _in_vote(candidate: Candidate) -> bool:
    from django.apps import apps

    # The vote (an app above this one) fixes its candidates; it is looked up by name, not imported.
    if not apps.is_installed("minsheng.participation.voting"):
        return False
    return apps.get_model("voting", "EventCandidate").objects.filter(candidate=candidate).exists()


@transaction.atomic
def proposal_shortlist(
    *,
    acting_user: User,
    proposal: Proposal,
    title: str | None = None,
    content: str | None = None,
    lead_unit: str = "",
) -> Candidate:
    """入围: the proposal becomes a candidate project (its text, or the office's wording), with its
    targets extracted; proposals merged into it are linked to the candidate too."""
    proposal = _screened(acting_user, proposal)
    _open_for_screening(proposal)
    solicitation = proposal.solicitation
    last = Candidate.objects.filter(solicitation=solicitation).order_by("-position").first()
    text = _text(
        content if content is not None else proposal.content,
        field="content",
        label=_("The content"),
        limit=CONTENT_MAX,
    )
    candidate = Candidate.objects.create(
        solicitation=solicitation,
        position=(last.position if last else 0) + 1,
        title=_text(
            title if title is not None else proposal.title,
            field="title",
            label=_("The title"),
            limit=TITLE_MAX,
        ),
        content=text,
        category=proposal.category,
        place=proposal.place,
        beneficiaries=proposal.beneficiaries,
        lead_unit=_text(lead_unit, field="lead_unit", label=_("The lead unit"), limit=255, required=False),
        targets=targets_of(text),
    )
    before = _state(proposal)
    proposal.status = ProposalStatus.SHORTLISTED
    proposal.candidate = candidate
    proposal.save(update_fields=["status", "candidate"])
    Proposal.objects.filter(merged_into=proposal).update(candidate=candidate)
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=candidate,
        before=before,
        after={
            "proposal": proposal.pk,
            "title": candidate.title,
            "targets": candidate.targets,
            "lead_unit": candidate.lead_unit,
        },
        message="proposal shortlisted as candidate",
    )
    changes_bump_on_commit()
    return candidate


@transaction.atomic
def candidate_update(
    *, acting_user: User, candidate: Candidate, title: str, content: str, lead_unit: str = ""
) -> Candidate:
    """The office words a candidate; its targets are read again from the new text. Refused once a vote
    has fixed the candidate list."""
    candidate = (
        Candidate.objects.select_for_update().select_related("solicitation__region").get(pk=candidate.pk)
    )
    if not can_screen(acting_user, candidate.solicitation):
        raise NotAllowed(_("Only the supervision office of this region edits candidates."))
    if _in_vote(candidate):
        raise Conflict(_("This candidate is on a vote's ballot; it can no longer change."))
    before = {"title": candidate.title, "content": candidate.content, "lead_unit": candidate.lead_unit}
    candidate.title = _text(title, field="title", label=_("The title"), limit=TITLE_MAX)
    candidate.content = _text(content, field="content", label=_("The content"), limit=CONTENT_MAX)
    candidate.lead_unit = _text(
        lead_unit, field="lead_unit", label=_("The lead unit"), limit=255, required=False
    )
    candidate.targets = targets_of(candidate.content)
    candidate.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=candidate,
        before=before,
        after={
            "title": candidate.title,
            "content": candidate.content,
            "lead_unit": candidate.lead_unit,
            "targets": candidate.targets,
        },
        message="candidate edited",
    )
    return candidate
