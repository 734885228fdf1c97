"""A solicitation for 金坛区's 2025 plan, open now or closed, with proposals and candidates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from minsheng.participation.solicitation import services
from minsheng.participation.solicitation.models import Candidate, Proposal, Solicitation

# Realistic proposals: (title, content, category). Contents carry quantities the target extractor reads.
PROPOSALS = [
    ("建设社区老年助餐点", "在金城镇、儒林镇新建社区老年助餐点10个，为老年人提供就餐服务。", "elderly"),
    ("改造老旧小区", "改造老旧小区12个，更新雨污管网20公里，加装电梯30部。", "housing"),
    ("新建口袋公园", "在城区新建口袋公园8个，增加绿地面积3万平方米。", "environment"),
    ("增设公共充电桩", "在公共停车场增设新能源汽车充电桩500个。", "transport"),
    ("扩建幼儿园", "新建、改扩建公办幼儿园3所，新增学位900个。", "education"),
    ("农村公路提档升级", "提档升级农村公路50公里，改造危桥6座。", "transport"),
]


def open_solicitation(
    region: Any, *, year: int = 2025, title: str = "2025年民生实事项目征集"
) -> Solicitation:
    now = timezone.now()
    return services.solicitation_create(
        acting_user=None,
        region=region,
        year=year,
        title=title,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )


def propose(solicitation: Solicitation, n: int = 0, *, address: str = "", **over: Any) -> Proposal:
    title, content, category = PROPOSALS[n % len(PROPOSALS)]
    data = {
        "title": title,
        "content": content,
        "place": "金坛区",
        "beneficiaries": "城区居民",
        "category": category,
        "proposer_name": "王小明",
        "proposer_contact": "13812345678",
        **over,
    }
    return services.proposal_submit(acting_user=None, solicitation=solicitation, address=address, **data)


def with_candidates(
    region: Any, office: Any, count: int = 6, title: str = "2025年民生实事项目征集"
) -> tuple[Solicitation, list[Candidate]]:
    """A solicitation whose first `count` proposals were shortlisted by `office`."""
    solicitation = open_solicitation(region, title=title)
    candidates = []
    for n in range(count):
        p = propose(solicitation, n, title=f"{PROPOSALS[n % len(PROPOSALS)][0]}{n + 1}")
        candidates.append(services.proposal_shortlist(acting_user=office, proposal=p))
    return solicitation, candidates
