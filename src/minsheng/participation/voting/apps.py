from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    """票决: the deputies vote which candidate projects become next year's list."""

    name = "minsheng.participation.voting"
    label = "voting"
    verbose_name = _("Deputies' vote")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.participation.voting.policies import can_manage_votes, can_use_ballot_page

        nav_register(
            NavEntry(
                key="votes",
                label=_("Deputies' vote"),
                url_name="voting:manage",
                visible=can_manage_votes,
                order=71,
                current=("voting:manage", "voting:event_detail", "voting:paper_tally"),
            )
        )
        nav_register(
            NavEntry(
                key="my_votes",
                label=_("Cast my vote"),
                url_name="voting:mine",
                visible=can_use_ballot_page,
                order=72,
                current=("voting:mine", "voting:ballot"),
            )
        )
