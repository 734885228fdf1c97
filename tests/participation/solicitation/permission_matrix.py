"""Permission-matrix rows for the solicitation pages (collected by tests/test_permission_matrix.py).

The public page and form are anyone's; the unit form is for reporters and the office; screening is the
office's alone."""

from __future__ import annotations

from typing import Any

from minsheng.participation.solicitation import services
from test_permission_matrix import Case, expect, same

from .factories import open_solicitation, propose

OFFICE_FORM = expect(302, 200, 403, 403, 403, 403, 403)
OFFICE_POST = expect(302, 302, 403, 403, 403, 403, 403)
UNIT_FORM = expect(302, 200, 403, 200, 200, 403, 403)

PROPOSAL = {
    "title": "新建社区食堂",
    "content": "新建社区食堂3个",
    "category": "elderly",
    "proposer_name": "王小明",
    "proposer_contact": "13812345678",
}


def _pk(attr: str) -> Any:
    return lambda s: {"pk": getattr(s, attr).pk}


MATRIX: list[Case] = [
    Case("solicitation:public_index", "GET", same(200, 200)),
    Case("solicitation:propose", "GET", same(200, 200), kwargs=_pk("solicitation")),
    Case(
        "solicitation:propose", "POST", same(302, 302), kwargs=_pk("solicitation"), body=lambda s, u: PROPOSAL
    ),
    Case("solicitation:unit_propose", "GET", UNIT_FORM, kwargs=_pk("solicitation")),
    Case("solicitation:manage", "GET", OFFICE_FORM),
    Case("solicitation:screen", "GET", OFFICE_FORM, kwargs=_pk("solicitation")),
    Case("solicitation:proposal_reveal", "POST", OFFICE_FORM, kwargs=_pk("proposal")),
    Case("solicitation:proposal_anonymise", "POST", OFFICE_POST, kwargs=_pk("proposal")),
    Case(
        "solicitation:proposal_merge",
        "POST",
        OFFICE_POST,
        kwargs=_pk("proposal"),
        body=lambda s, u: {"into": s.shortlisted.pk},
    ),
    Case(
        "solicitation:proposal_reject",
        "POST",
        OFFICE_POST,
        kwargs=_pk("proposal"),
        body=lambda s, u: {"reason": "重复"},
    ),
    Case(
        "solicitation:proposal_categorise",
        "POST",
        OFFICE_POST,
        kwargs=_pk("proposal"),
        body=lambda s, u: {"category": "housing"},
    ),
    Case("solicitation:proposal_shortlist", "POST", OFFICE_POST, kwargs=_pk("proposal")),
    Case("solicitation:candidate_edit", "GET", OFFICE_FORM, kwargs=_pk("candidate")),
]


def extend(scenario: Any) -> None:
    """An open solicitation of the scenario's district with a pending proposal and a candidate."""
    region = scenario.world.plan.region
    scenario.solicitation = open_solicitation(region)
    scenario.proposal = propose(scenario.solicitation, 0)
    scenario.shortlisted = propose(scenario.solicitation, 1)
    scenario.candidate = services.proposal_shortlist(
        acting_user=scenario.world.office, proposal=scenario.shortlisted
    )
