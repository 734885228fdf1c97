"""Services of the deputies' vote (票决), split by topic; the names below are the public API.

`events` (create with fixed rules, the electorate), `ballots` (electronic ballot, paper voters), `paper`
(two clerks' counts), `results` (close and count, publish, winners → draft plan).
"""

from __future__ import annotations

from minsheng.participation.voting.services.ballots import ballot_cast, paper_voters_record
from minsheng.participation.voting.services.events import electorate, vote_event_create
from minsheng.participation.voting.services.paper import TallyState, paper_tally_enter, paper_tally_state
from minsheng.participation.voting.services.results import (
    rank_candidates,
    vote_event_close,
    vote_results_publish,
    vote_winners_to_plan,
    winners_as_plan,
)

__all__ = [
    "TallyState",
    "ballot_cast",
    "electorate",
    "paper_tally_enter",
    "paper_tally_state",
    "paper_voters_record",
    "rank_candidates",
    "vote_event_close",
    "vote_event_create",
    "vote_results_publish",
    "vote_winners_to_plan",
    "winners_as_plan",
]
