"""Permission-matrix rows for the vote pages (collected by tests/test_permission_matrix.py).

Results are public once published; the ballot is the deputies' of the region; everything else is the
office's."""

from __future__ import annotations

from typing import Any

from minsheng.participation.voting import services
from test_permission_matrix import Case, expect, same

from .factories import after_window, ids, open_event

OFFICE_FORM = expect(302, 200, 403, 403, 403, 403, 403)
OFFICE_POST = expect(302, 302, 403, 403, 403, 403, 403)
DEPUTY_PAGE = expect(302, 403, 403, 403, 403, 403, 200)
DEPUTY_POST = expect(302, 403, 403, 403, 403, 403, 302)


def _pk(attr: str) -> Any:
    return lambda s: {"pk": getattr(s, attr).pk}


MATRIX: list[Case] = [
    Case("voting:public_index", "GET", same(200, 200)),
    Case("voting:public_result", "GET", same(200, 200), kwargs=_pk("published_vote")),
    Case("voting:mine", "GET", DEPUTY_PAGE),
    Case("voting:ballot", "GET", DEPUTY_PAGE, kwargs=_pk("vote")),
    Case(
        "voting:ballot",
        "POST",
        DEPUTY_POST,
        kwargs=_pk("vote"),
        body=lambda s, u: {"choices": ids(s.vote, 2)[0]},  # the matrix posts single values
    ),
    Case("voting:manage", "GET", OFFICE_FORM),
    Case("voting:event_detail", "GET", OFFICE_FORM, kwargs=_pk("vote")),
    Case(
        "voting:paper_voters",
        "POST",
        OFFICE_POST,
        kwargs=_pk("vote"),
        body=lambda s, u: {"voters": s.world.deputy.pk},
    ),
    Case("voting:paper_tally", "GET", OFFICE_FORM, kwargs=_pk("vote")),
    Case("voting:event_close", "POST", OFFICE_POST, kwargs=_pk("vote")),
    Case("voting:event_publish", "POST", OFFICE_POST, kwargs=_pk("closed_vote")),
    Case("voting:event_to_plan", "POST", OFFICE_POST, kwargs=_pk("closed_vote")),
]


def extend(scenario: Any) -> None:
    """An open vote of the scenario's district, one closed and counted, one published."""
    w = scenario.world
    region = w.plan.region
    scenario.vote = open_event(region, w.office, rule="at_most")
    closed = []
    for n in range(2):
        event = services.vote_event_create(
            acting_user=w.office,
            solicitation=scenario.vote.solicitation,
            title=f"票决{n}",
            rule="exactly",
            choose_n=3,
            opens_at=scenario.vote.opens_at,
            closes_at=scenario.vote.closes_at,
            quorum=1,
        )
        services.ballot_cast(acting_user=w.deputy, event=event, choices=ids(event, 1, 2, 3))
        closed.append(services.vote_event_close(acting_user=w.office, event=event, now=after_window(event)))
    scenario.closed_vote = closed[0]
    scenario.published_vote = services.vote_results_publish(acting_user=w.office, event=closed[1])
