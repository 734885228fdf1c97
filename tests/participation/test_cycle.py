"""One whole cycle, end to end, through the same services as the pages, every figure against a hand count.

30 proposals (8 duplicates merged) → 15 candidates → 60 deputies vote (40 electronic, 20 on paper counted by
two clerks) → the top 10 become the 2025 draft plan with their targets → publish it and report progress →
60 deputies rate its projects → one unsatisfactory project with a rectification task → unit scores,
exported as .xlsx and read back. Every expected figure is computed here from the inputs.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from factories import UserFactory
from minsheng.core.exceptions import Conflict
from minsheng.participation.assessment.exports import assessment_workbook
from minsheng.participation.assessment.models import UnitScore
from minsheng.participation.assessment.services import assessment_compute, assessment_weights_set
from minsheng.participation.ratings import services as ratings
from minsheng.participation.ratings.models import RatingResult, RectificationTask
from minsheng.participation.solicitation import services as solicitation
from minsheng.participation.solicitation.models import Candidate, Proposal
from minsheng.participation.voting import services as voting
from minsheng.participation.voting.models import EventCandidate
from minsheng.plans.models import Item, Target
from minsheng.plans.services import plan_publish
from minsheng.progress import services as progress
from minsheng.progress.models import Period, ReportRevision
from minsheng.supervision.services import notice_issue

pytestmark = pytest.mark.django_db

UNITS = ("区教育局", "区卫生健康局", "区住房和城乡建设局", "区交通运输局", "区生态环境局")
# (title, content with its one target, value, unit of measure, category)
CANDIDATES = [
    ("幼儿园学位", "新增公办幼儿园学位600个", 600, "个", "education"),
    ("养老床位", "新增社区养老服务床位200张", 200, "张", "elderly"),
    ("老旧小区改造", "改造老旧小区12个", 12, "个", "housing"),
    ("停车泊位", "新增公共停车泊位1500个", 1500, "个", "transport"),
    ("城市绿道", "新增城市绿道20公里", 20, "公里", "environment"),
    ("家庭医生", "新增家庭医生签约服务团队30个", 30, "个", "health"),
    ("就业岗位", "新增就业岗位3000个", 3000, "个", "employment"),
    ("健身步道", "新增健身步道15公里", 15, "公里", "culture"),
    ("智能安防", "新增智能安防小区40个", 40, "个", "safety"),
    ("农村公路", "改造农村公路50公里", 50, "公里", "transport"),
    ("社区食堂", "新增社区食堂10个", 10, "个", "elderly"),
    ("口袋公园", "新增口袋公园8个", 8, "个", "environment"),
    ("充电桩", "新增充电桩500个", 500, "个", "transport"),
    ("托育托位", "新增托育机构托位300个", 300, "个", "elderly"),
    ("图书馆分馆", "新增图书馆分馆6个", 6, "个", "culture"),
]
OTHERS = [  # distinct proposals the office does not take up
    ("路灯维修", "修复背街小巷路灯"),
    ("宠物公园", "建设宠物公园"),
    ("夜市", "开设夜间集市"),
    ("电竞馆", "建设电竞场馆"),
    ("观光塔", "建设城市观光塔"),
    ("游艇码头", "建设游艇码头"),
    ("赛马场", "建设赛马场"),
]
DUPLICATES = 8  # proposals 1..8 (candidates 0..7) are sent twice, with other words
DEPUTIES = 60
PAPER_FROM = 41  # deputies 41..60 vote on paper
WEIGHTS = {"on_time": 30, "completion": 30, "supervision": 20, "satisfaction": 10, "rectification": 10}
YEAR_END = dt.date(2025, 12, 31)
LATE_UNIT = 1  # its reports for February come three days late
LAGGING_UNIT = 3  # reaches a quarter of its targets, gets two 督办 notices


def lead_unit_of(c: int) -> int:
    return c % len(UNITS)


def ballot(d: int) -> set[int]:
    """Deputy d's ten choices of the fifteen candidates (by index)."""
    chosen = set(range(10))
    for divisor, out, into in ((3, 9, 10), (4, 8, 11), (5, 7, 12), (7, 6, 13), (11, 5, 14)):
        if d % divisor == 0:
            chosen = (chosen - {out}) | {into}
    return chosen


def mark(d: int, c: int) -> str:
    """Deputy d's rating of the project from candidate c."""
    if c == 9:
        return "satisfied" if d <= 20 else "basic" if d <= 40 else "unsatisfied"
    if (c == 8 and d % 5 == 0) or d % 10 == 0:
        return "unsatisfied"
    return "satisfied" if d % 2 else "basic"


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_one_whole_cycle(district: Any) -> None:
    office = UserFactory(username="office", role="office", region=district)
    clerk1 = UserFactory(username="clerk1", role="office", region=district)
    clerk2 = UserFactory(username="clerk2", role="office", region=district)
    reviewer = UserFactory(username="reviewer", role="reviewer", region=district)
    deputies = {d: UserFactory(username=f"dep{d:02d}", role="deputy", region=district) for d in range(1, 61)}
    now = timezone.now()

    # ------------------------------------------------------------ solicitation: 30 proposals, 8 merged
    call = solicitation.solicitation_create(
        acting_user=office,
        region=district,
        year=2025,
        title="2025年民生实事项目征集",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
    )

    def propose(title: str, content: str, category: str, n: int) -> Proposal:
        return solicitation.proposal_submit(
            acting_user=None,
            solicitation=call,
            title=title,
            content=content,
            category=category,
            proposer_name=f"市民{n}",
            proposer_contact=f"1380000{n:04d}",
        )

    originals = [propose(t, text, cat, n) for n, (t, text, _v, _u, cat) in enumerate(CANDIDATES)]
    others = [propose(t, text, "other", 100 + n) for n, (t, text) in enumerate(OTHERS)]
    duplicates = [
        propose(f"建议{t}", f"希望{text}", cat, 200 + n)
        for n, (t, text, _v, _u, cat) in enumerate(CANDIDATES[:DUPLICATES])
    ]
    assert (
        Proposal.objects.filter(solicitation=call).count() == len(CANDIDATES) + len(OTHERS) + DUPLICATES == 30
    )
    for dup, original in zip(duplicates, originals, strict=False):
        solicitation.proposal_merge(acting_user=office, proposal=dup, into=original)
    for other in others:
        solicitation.proposal_reject(acting_user=office, proposal=other, reason="不属于政府民生实事范围")
    candidates = [
        solicitation.proposal_shortlist(acting_user=office, proposal=p, lead_unit=UNITS[lead_unit_of(c)])
        for c, p in enumerate(originals)
    ]
    assert Proposal.objects.filter(solicitation=call, status="merged").count() == DUPLICATES
    assert Proposal.objects.filter(solicitation=call, status="rejected").count() == len(OTHERS)
    assert Candidate.objects.filter(solicitation=call).count() == 15
    # A merged duplicate follows its original into the candidate.
    assert Proposal.objects.filter(candidate=candidates[0]).count() == 2
    assert Proposal.objects.filter(candidate=candidates[14]).count() == 1
    for candidate, (_t, _text, value, unit, _c) in zip(candidates, CANDIDATES, strict=True):
        assert [(Decimal(str(t["value"])), t["unit"]) for t in candidate.targets] == [(Decimal(value), unit)]

    # ------------------------------------------------------------ vote: 40 electronic, 20 on paper
    event = voting.vote_event_create(
        acting_user=office,
        solicitation=call,
        title="2025年民生实事项目票决",
        rule="exactly",
        choose_n=10,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=2),
        quorum=31,
    )
    ec_of = {c: ec.pk for c, ec in enumerate(EventCandidate.objects.filter(event=event).order_by("position"))}
    for d in range(1, PAPER_FROM):
        voting.ballot_cast(acting_user=deputies[d], event=event, choices=[ec_of[c] for c in ballot(d)])
    voting.paper_voters_record(
        acting_user=office, event=event, voters=[deputies[d] for d in range(PAPER_FROM, DEPUTIES + 1)]
    )
    paper = Counter(c for d in range(PAPER_FROM, DEPUTIES + 1) for c in ballot(d))
    paper_counts = {ec_of[c]: paper[c] for c in range(15)}
    voting.paper_tally_enter(acting_user=clerk1, event=event, ballots=20, counts=paper_counts)
    wrong = {**paper_counts, ec_of[0]: paper_counts[ec_of[0]] - 1}
    voting.paper_tally_enter(acting_user=clerk2, event=event, ballots=20, counts=wrong)
    after = event.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(Conflict):  # the clerks disagree: nothing is counted
        voting.vote_event_close(acting_user=office, event=event, now=after)
    voting.paper_tally_enter(acting_user=clerk2, event=event, ballots=20, counts=paper_counts)
    event = voting.vote_event_close(acting_user=office, event=event, now=after)
    voting.vote_results_publish(acting_user=office, event=event)

    totals = Counter(c for d in range(1, DEPUTIES + 1) for c in ballot(d))
    ranked = sorted(range(15), key=lambda c: -totals[c])
    winners = set(ranked[:10])
    assert totals[ranked[9]] > totals[ranked[10]]  # no tie at the last place, by construction
    assert (event.electronic_ballots, event.paper_ballots, event.turnout) == (40, 20, 60)
    assert event.quorum_met
    stored = {ec.candidate_id: ec for ec in EventCandidate.objects.filter(event=event)}
    for c, candidate in enumerate(candidates):
        ec = stored[candidate.pk]
        assert ec.votes == totals[c] and ec.paper_votes == paper[c] and ec.won == (c in winners)
        assert ec.rank == 1 + sum(1 for other in range(15) if totals[other] > totals[c])

    # ------------------------------------------------------------ the winners: the 2025 draft plan
    plan = voting.vote_winners_to_plan(acting_user=office, event=event)
    assert plan.year == 2025 and plan.status == "draft"
    titles = {CANDIDATES[c][0]: c for c in winners}
    projects = {p.name: p for p in plan.projects.all()}
    assert set(projects) == set(titles)
    targets = Target.objects.filter(item__project__plan=plan).select_related("item__project")
    assert sorted((t.item.project.name, t.value, t.unit) for t in targets) == sorted(
        (CANDIDATES[c][0], Decimal(CANDIDATES[c][2]), CANDIDATES[c][3]) for c in winners
    )

    # ------------------------------------------------------------ publish and report progress
    plan_publish(acting_user=office, plan=plan)
    if not Period.objects.filter(plan=plan).exists():
        progress.periods_generate(acting_user=office, plan=plan)
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    assert len(periods) == 12
    item_of = {titles[p.name]: Item.objects.get(project=p) for p in projects.values()}
    unit_of = {}
    reporters = {}
    for c, item in item_of.items():
        unit_of[c] = item.item_units.get(role="lead").unit
        assert unit_of[c].name == UNITS[lead_unit_of(c)]
    for u in range(len(UNITS)):
        unit = next(x for c, x in unit_of.items() if lead_unit_of(c) == u)
        reporters[u] = UserFactory(username=f"rep{u}", role="reporter", unit=unit, region=district)
    for c, item in item_of.items():
        u = lead_unit_of(c)
        target = item.targets.get()
        for month in (1, 2, 3):
            share = Decimal(month) / (12 if u == LAGGING_UNIT else 3)
            report = progress.report_save(
                acting_user=reporters[u],
                item=item,
                period=periods[month - 1],
                target_values={target.pk: str((target.value * share).quantize(Decimal("0.01")))},
                progress=f"{month}月推进",
            )
            progress.report_submit(acting_user=reporters[u], report=report)
            late = u == LATE_UNIT and month == 2
            day = periods[month - 1].deadline + dt.timedelta(days=3 if late else -1)
            ReportRevision.objects.filter(report=report, action="submit").update(at=aware(day))
            progress.report_approve(acting_user=reviewer, report=report)
    lagging_item = next(item for c, item in sorted(item_of.items()) if lead_unit_of(c) == LAGGING_UNIT)
    for reason in ("完成进度严重滞后", "未按序时推进"):
        notice_issue(
            acting_user=reviewer,
            item=lagging_item,
            reason=reason,
            measures="加快推进",
            reply_deadline=dt.date(2025, 12, 30),
            today=dt.date(2025, 12, 20),
        )

    # ------------------------------------------------------------ satisfaction rating by 60 deputies
    rating = ratings.rating_event_create(
        acting_user=office,
        plan=plan,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        threshold=80,
    )
    rating = ratings.rating_event_open(acting_user=office, event=rating)
    for d, deputy in deputies.items():
        ratings.rating_cast(
            acting_user=deputy,
            event=rating,
            marks={projects[CANDIDATES[c][0]].pk: mark(d, c) for c in winners},
        )
    rating = ratings.rating_event_close(acting_user=office, event=rating)
    satisfaction: dict[int, Decimal] = {}
    for c in winners:
        marks = Counter(mark(d, c) for d in deputies)
        result = RatingResult.objects.get(event=rating, project=projects[CANDIDATES[c][0]])
        assert (result.satisfied, result.basic, result.unsatisfied, result.votes) == (
            marks["satisfied"],
            marks["basic"],
            marks["unsatisfied"],
            60,
        )
        share = Decimal(marks["satisfied"] + marks["basic"]) * 100 / 60
        satisfaction[c] = share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert result.satisfaction == satisfaction[c]
        assert result.unsatisfactory == (share < 80)
    assert satisfaction[9] == Decimal("66.67") and satisfaction[8] == Decimal("80.00")  # 80 is not below 80
    (task,) = RectificationTask.objects.filter(result__event=rating)
    assert task.project == projects[CANDIDATES[9][0]]
    assert list(task.units.values_list("name", flat=True)) == [UNITS[lead_unit_of(9)]]
    ratings.rectification_report_submit(
        acting_user=reporters[lead_unit_of(9)], task=task, text="已增加养护班组，路面修复完成"
    )  # reported, not yet accepted: the task stays open for the assessment

    # ------------------------------------------------------------ unit scores, by hand
    assessment_weights_set(acting_user=office, plan=plan, weights=WEIGHTS)
    assessment_compute(acting_user=office, plan=plan, today=YEAR_END)
    expected: dict[str, dict[str, Decimal]] = {}
    for u, name in enumerate(UNITS):
        led = [c for c in winners if lead_unit_of(c) == u]
        due = 12 * len(led)  # every deadline of 2025 has passed on 31 December
        on_time = 3 * len(led) - (len(led) if u == LATE_UNIT else 0)
        notices = 2 if u == LAGGING_UNIT else 0
        tasks = [c for c in led if satisfaction[c] < 80]
        parts = {
            "on_time": half_up(Decimal(100) * on_time / due),
            "completion": Decimal("25.0") if u == LAGGING_UNIT else Decimal("100.0"),
            "supervision": half_up(Decimal(100 - 20 * notices)),
            "satisfaction": half_up(sum((satisfaction[c] for c in led), Decimal(0)) / len(led)),
            "rectification": Decimal("0.0") if tasks else Decimal("100.0"),
        }
        parts["total"] = half_up(sum(WEIGHTS[p] * parts[p] for p in WEIGHTS) / 100)
        expected[name] = parts
    assert expected[UNITS[LATE_UNIT]]["on_time"] == Decimal("16.7")  # 4 of 24
    assert expected[UNITS[4]]["satisfaction"] == Decimal("78.3")  # (90 + 66.67) / 2
    by_total = sorted(expected, key=lambda n: -expected[n]["total"])
    ranks = {n: 1 + sum(1 for m in expected if expected[m]["total"] > expected[n]["total"]) for n in expected}

    stored_scores = {s.unit.name: s for s in UnitScore.objects.select_related("unit")}
    assert set(stored_scores) == set(UNITS)
    for name, parts in expected.items():
        score = stored_scores[name]
        assert {p: getattr(score, p) for p in parts} == parts, name
        assert score.rank == ranks[name]

    # ------------------------------------------------------------ exported and read back
    sheet = load_workbook(io.BytesIO(assessment_workbook(plan) or b"")).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r and isinstance(r[0], int)]
    assert [r[1] for r in rows] == sorted(by_total, key=lambda n: (ranks[n], n))
    for rank, name, *values in rows:
        parts = expected[name]
        assert rank == ranks[name]
        assert [Decimal(str(v)) for v in values] == [
            parts["on_time"],
            parts["completion"],
            parts["supervision"],
            parts["satisfaction"],
            parts["rectification"],
            parts["total"],
        ]
