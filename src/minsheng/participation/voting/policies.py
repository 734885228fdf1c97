"""Who may run a vote, cast a ballot, enter paper counts and see results (票决)."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.participation.solicitation.policies import in_region
from minsheng.participation.voting.choices import EventStatus


def can_manage_votes(user: Any) -> bool:
    """The vote pages (events, paper tallies) are the supervision office's; its accounts are the clerks."""
    return has_role(user, Role.OFFICE)


def can_manage_event(user: Any, event: Any) -> bool:
    """The office of the event's region creates, closes, publishes it and enters paper counts."""
    return has_role(user, Role.OFFICE) and in_region(user, event.region)


def can_use_ballot_page(user: Any) -> bool:
    """Deputies (人大代表) see their region's votes and cast ballots."""
    return has_role(user, Role.DEPUTY)


def is_elector(user: Any, event: Any) -> bool:
    """A deputy of exactly the event's region: the electorate of that congress."""
    return has_role(user, Role.DEPUTY) and user.region_id is not None and user.region_id == event.region_id


def is_public_result(event: Any) -> bool:
    """Results are public once the office publishes them."""
    return bool(event.status == EventStatus.PUBLISHED)
