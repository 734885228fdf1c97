"""`{% public_vote_links %}`: the public home's links to published vote results and open solicitations."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.participation.solicitation.selectors import open_solicitations
from minsheng.participation.voting.selectors import published_events

register = template.Library()


@register.inclusion_tag("voting/_public_links.html")
def public_vote_links() -> dict[str, Any]:
    return {"events": published_events(), "solicitations": open_solicitations()}
