"""Read solicitations: public counts, the screening board (grouped, with duplicate suggestions), masking."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from minsheng.orgs.selectors import user_region_ids
from minsheng.participation.solicitation.choices import Category, ProposalStatus
from minsheng.participation.solicitation.models import Candidate, Proposal, Solicitation

# Two proposals at least this similar are suggested as duplicates: the cosine of their character-bigram
# vectors, each bigram weighted by how rare it is among the solicitation's proposals (tf-idf), so words
# every request shares (社区, 改造, 新建) count little. Measured on the demo's 30 proposals
# (demo/participation.py): its 8 rewordings score 0.19–0.42 against the proposal they repeat; other pairs
# at most 0.16, except two requests about charging (0.22), which the office then tells apart.
SIMILAR_AT = 0.18
SUGGESTIONS = 3
_NOISE = re.compile(r"[\s\d，。、；：！？,.;:!?（）()“”\"'《》·\-—%％]+")


def mask_name(name: str) -> str:
    """张三丰 → 张**: the family name only."""
    name = name.strip()
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def mask_contact(contact: str) -> str:
    """13812345678 → 138****5678; anything else keeps its first two and last two characters."""
    contact = contact.strip()
    digits = re.sub(r"\D", "", contact)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(contact) <= 4:
        return "*" * len(contact)
    return contact[:2] + "*" * (len(contact) - 4) + contact[-2:]


def bigrams(text: str) -> Counter[str]:
    """Character bigrams without spaces, digits and punctuation: Chinese needs no word split."""
    text = _NOISE.sub("", text)
    return Counter(text[i : i + 2] for i in range(len(text) - 1)) if len(text) > 1 else Counter([text])


def rarity(texts: list[Counter[str]]) -> dict[str, float]:
    """Inverse document frequency of each bigram over `texts`: log(1 + N / texts containing it)."""
    df: Counter[str] = Counter(g for grams in texts for g in grams)
    return {g: math.log(1 + len(texts) / n) for g, n in df.items()}


def similarity(a: Counter[str], b: Counter[str], weights: dict[str, float] | None = None) -> float:
    """Cosine (0 to 1) of two bigram counts, each bigram weighted (1 without `weights`)."""
    w = weights or {}
    va = {g: n * w.get(g, 1.0) for g, n in a.items()}
    vb = {g: n * w.get(g, 1.0) for g, n in b.items()}
    dot = sum(x * vb.get(g, 0.0) for g, x in va.items())
    norm = math.sqrt(sum(x * x for x in va.values()) * sum(x * x for x in vb.values()))
    return dot / norm if norm else 0.0


def _proposal_text(p: Proposal) -> str:
    return f"{p.title} {p.title} {p.content} {p.place}"  # the title counts twice: it names the request


@dataclass
class Suggestion:
    """A possible duplicate of a proposal: the other one and how similar they are."""

    other: Proposal
    score: float


@dataclass
class BoardRow:
    proposal: Proposal
    name_masked: str
    contact_masked: str
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class CategoryGroup:
    category: str
    label: str
    rows: list[BoardRow]


def duplicate_suggestions(proposals: list[Proposal]) -> dict[int, list[Suggestion]]:
    """For each proposal awaiting screening, the most similar others (merge candidates), best first."""
    grams = {p.pk: bigrams(_proposal_text(p)) for p in proposals}
    weights = rarity(list(grams.values()))
    open_ids = [p.pk for p in proposals if p.status == ProposalStatus.SUBMITTED]
    targets = [p for p in proposals if p.status != ProposalStatus.REJECTED and p.merged_into_id is None]
    out: dict[int, list[Suggestion]] = {}
    for pk in open_ids:
        found = [
            Suggestion(other=o, score=round(similarity(grams[pk], grams[o.pk], weights), 2))
            for o in targets
            if o.pk != pk
        ]
        found = [s for s in found if s.score >= SIMILAR_AT]
        found.sort(key=lambda s: (-s.score, s.other.pk))
        out[pk] = found[:SUGGESTIONS]
    return out


def screening_board(solicitation: Solicitation) -> list[CategoryGroup]:
    """Every proposal grouped by category, contacts masked, with duplicate suggestions (one query)."""
    proposals = list(
        Proposal.objects.filter(solicitation=solicitation)
        .select_related("unit", "merged_into", "candidate")
        .order_by("category", "pk")
    )
    suggestions = duplicate_suggestions(proposals)
    groups: dict[str, list[BoardRow]] = {}
    for p in proposals:
        groups.setdefault(p.category, []).append(
            BoardRow(
                proposal=p,
                name_masked=mask_name(p.proposer_name),
                contact_masked=mask_contact(p.proposer_contact),
                suggestions=suggestions.get(p.pk, []),
            )
        )
    labels = dict(Category.choices)
    return [
        CategoryGroup(category=c, label=str(labels[c]), rows=groups[c])
        for c in Category.values
        if c in groups
    ]


def candidates_of(solicitation: Solicitation) -> QuerySet[Candidate]:
    """The candidate list with how many proposals each stands for (one query)."""
    return (
        Candidate.objects.filter(solicitation=solicitation)
        .annotate(proposal_count=Count("proposals"))
        .order_by("position")
    )


@dataclass
class PublicCounts:
    """A solicitation's public figures: proposals per category and per status, nothing personal."""

    solicitation: Solicitation
    total: int
    by_category: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    is_open: bool


def public_counts(solicitations: list[Solicitation], now: dt.datetime | None = None) -> list[PublicCounts]:
    """Counts per category and per status for each solicitation (two queries whatever their number)."""
    now = now or timezone.now()
    ids = [s.pk for s in solicitations]
    cat_rows = (
        Proposal.objects.filter(solicitation_id__in=ids)
        .values("solicitation_id", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status_rows = (
        Proposal.objects.filter(solicitation_id__in=ids)
        .values("solicitation_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cats: dict[int, dict[str, int]] = {}
    for row in cat_rows:
        cats.setdefault(row["solicitation_id"], {})[row["category"]] = row["n"]
    stats: dict[int, dict[str, int]] = {}
    for row in status_rows:
        stats.setdefault(row["solicitation_id"], {})[row["status"]] = row["n"]
    cat_labels, status_labels = dict(Category.choices), dict(ProposalStatus.choices)
    out = []
    for s in solicitations:
        c, st = cats.get(s.pk, {}), stats.get(s.pk, {})
        out.append(
            PublicCounts(
                solicitation=s,
                total=sum(c.values()),
                by_category=[(str(cat_labels[k]), c[k]) for k in Category.values if k in c],
                by_status=[(str(status_labels[k]), st[k]) for k in ProposalStatus.values if k in st],
                is_open=s.opens_at <= now < s.closes_at,
            )
        )
    return out


def public_solicitations() -> list[Solicitation]:
    """Every solicitation that has opened, newest first (the public page)."""
    return list(
        Solicitation.objects.filter(opens_at__lte=timezone.now())
        .select_related("region")
        .order_by("-year", "region__name", "pk")
    )


def open_solicitations(now: dt.datetime | None = None) -> list[Solicitation]:
    """Solicitations taking proposals now (for the links on the public home)."""
    now = now or timezone.now()
    return list(
        Solicitation.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("region")
        .order_by("region__name", "pk")
    )


def solicitations_visible(user: Any) -> QuerySet[Solicitation]:
    """Solicitations of the user's region and those below it (everything for a user without a region)."""
    qs = Solicitation.objects.select_related("region").annotate(
        proposal_count=Count("proposals", distinct=True),
        pending_count=Count("proposals", filter=Q(proposals__status=ProposalStatus.SUBMITTED), distinct=True),
    )
    if user.region_id is None:
        return qs.order_by("-year", "pk")
    return qs.filter(region_id__in=user_region_ids(user)).order_by("-year", "pk")
