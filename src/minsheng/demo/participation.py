"""Demo solicitation and vote for Jintan's 2025 list: `seed_vote_cycle(district)`.

Through the same services the pages use: a closed 2025 solicitation (征集) with 30 proposals from the
public and units — 8 duplicates merged, 7 rejected with a reason, 15 shortlisted as candidates — then the
deputies' vote (票决, choose exactly 10 of 15): 30 deputies vote electronically, 8 on paper (two clerks
count; the first count of one clerk disagrees and is corrected), 3 stay away. The results are published
and the 10 winners form the 2025 DRAFT plan (`voting.selectors.draft_plan_for(district, 2025)`).

Idempotent: when the vote has made its plan, nothing is done again; otherwise everything runs in one
transaction, so a failure leaves nothing half-made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.db import transaction

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.accounts.services import user_upsert
from minsheng.demo.services import demo_password
from minsheng.orgs.models import Region
from minsheng.participation.solicitation import services as solicitation
from minsheng.participation.solicitation.models import Proposal, Solicitation
from minsheng.participation.voting import services as voting
from minsheng.participation.voting.models import EventCandidate, VoteEvent
from minsheng.plans.models import Plan

YEAR = 2025
SOLICITATION_TITLE = "2025年金坛区民生实事项目征集"
VOTE_TITLE = "金坛区第二届人民代表大会第五次会议2025年民生实事项目票决"
TZ = ZoneInfo("Asia/Shanghai")
OPENS = dt.datetime(2024, 9, 1, 8, 0, tzinfo=TZ)
CLOSES = dt.datetime(2024, 9, 30, 18, 0, tzinfo=TZ)
VOTE_OPENS = dt.datetime(2025, 1, 10, 9, 0, tzinfo=TZ)
VOTE_CLOSES = dt.datetime(2025, 1, 10, 11, 0, tzinfo=TZ)
DEPUTIES = 40
ELECTRONIC = 30  # deputy01…deputy30 vote on the phone, deputy31…deputy38 on paper, the rest stay away
PAPER = 8
CHOOSE = 10

# The 15 projects that are shortlisted: (title, content, place, who benefits, category, lead unit).
CANDIDATES = (
    (
        "城乡社区老年助餐",
        "新建社区老年助餐点20个，为80周岁以上老年人提供助餐服务不少于10万人次。",
        "各镇（街道）",
        "老年人",
        "elderly",
        "区民政局",
    ),
    (
        "老旧小区改造",
        "改造老旧小区15个，更新雨污管网25公里，加装电梯40部。",
        "城区",
        "老旧小区居民",
        "housing",
        "区住房和城乡建设局",
    ),
    (
        "公办幼儿园扩容",
        "新建、改扩建公办幼儿园4所，新增学位1200个。",
        "金城镇、东城街道",
        "适龄儿童家庭",
        "education",
        "区教育局",
    ),
    (
        "农村公路提档升级",
        "提档升级农村公路60公里，改造危桥8座。",
        "薛埠镇、指前镇",
        "农村群众",
        "transport",
        "区交通运输局",
    ),
    (
        "社区卫生服务能力提升",
        "建成社区医院3家，为65岁以上老年人免费体检5万人次。",
        "儒林镇、直溪镇",
        "城乡居民",
        "health",
        "区卫生健康局",
    ),
    (
        "口袋公园建设",
        "新建口袋公园10个，新增绿地面积4万平方米。",
        "城区",
        "市民",
        "environment",
        "区城市管理局",
    ),
    (
        "新能源汽车充电设施",
        "在公共停车场新建公共充电桩600个。",
        "城区及各镇",
        "车主",
        "transport",
        "区发展和改革局",
    ),
    (
        "重点群体就业帮扶",
        "城镇新增就业8000人，开展职业技能培训6000人次。",
        "全区",
        "高校毕业生和就业困难人员",
        "employment",
        "区人力资源和社会保障局",
    ),
    (
        "全民健身设施补短板",
        "新建全民健身场地12个，更新健身路径100条。",
        "各镇（街道）",
        "城乡居民",
        "culture",
        "区文化广电和旅游局",
    ),
    (
        "农村供水管网改造",
        "改造农村老旧供水管网80公里，惠及农户1.5万户。",
        "朱林镇、指前镇",
        "农村群众",
        "environment",
        "区水利局",
    ),
    (
        "中小学食堂明厨亮灶",
        "完成中小学食堂明厨亮灶改造45所。",
        "全区",
        "中小学生",
        "education",
        "区市场监督管理局",
    ),
    (
        "婴幼儿托育服务",
        "新增普惠性托位500个，建成社区托育点6个。",
        "城区",
        "婴幼儿家庭",
        "elderly",
        "区卫生健康局",
    ),
    ("背街小巷整治", "整治背街小巷30条，新增停车泊位800个。", "城区", "沿线居民", "housing", "区城市管理局"),
    (
        "居家适老化改造",
        "为困难老年人家庭实施居家适老化改造300户。",
        "全区",
        "困难老年人",
        "elderly",
        "区民政局",
    ),
    (
        "电动自行车安全充电",
        "新建电动自行车集中充电车棚150处，充电端口3000个。",
        "各镇（街道）",
        "居民",
        "safety",
        "区消防救援大队",
    ),
)
# Rewordings of shortlisted projects (their candidate number), merged into them at screening.
DUPLICATES = (
    (1, "建议多办社区老年食堂", "小区里老人多，子女上班没人做饭，建议社区多建老年食堂，老人吃饭方便。"),
    (1, "老年人助餐点", "希望在我们镇也建设老年助餐点，解决高龄老人吃饭难。"),
    (2, "老小区加装电梯", "我们小区是九十年代的老房子，老人爬楼困难，建议老旧小区加装电梯、改造管网。"),
    (3, "幼儿园学位紧张", "东城街道幼儿园学位紧张，建议新建公办幼儿园。"),
    (6, "多建街头小公园", "城区绿地少，建议利用边角地建设口袋公园，方便居民散步。"),
    (7, "充电桩太少", "新能源汽车越来越多，公共充电桩太少，建议在停车场增设充电桩。"),
    (10, "农村自来水水压低", "村里自来水管网老化，水压低还经常停水，建议改造农村供水管网。"),
    (15, "电动车充电难", "小区电动自行车充电难，有人飞线充电很危险，建议建设集中充电车棚。"),
)
# Proposals the office rejects, with its reason.
REJECTED = (
    (
        "建议取消城区限行",
        "建议取消城区部分道路限行措施。",
        "transport",
        "属交通管理政策调整，不属于民生实事项目范围，已转交通管理部门研究。",
    ),
    (
        "新建高铁站",
        "建议在金坛新建高铁站。",
        "transport",
        "属重大基础设施项目，已纳入上级规划，不列入年度民生实事。",
    ),
    (
        "提高退休工资",
        "建议提高企业退休人员基本养老金。",
        "employment",
        "养老金标准由国家统一调整，不属于区级民生实事。",
    ),
    ("多种点树", "建议多种树。", "environment", "建议内容过于笼统，无法形成可考核的项目，已转园林部门参考。"),
    (
        "小区物业太差",
        "我们小区物业服务差，建议更换物业公司。",
        "housing",
        "属业主与物业企业之间的具体事务，已转属地街道协调处理。",
    ),
    (
        "建设大型商业综合体",
        "建议在城东建设大型商业综合体。",
        "other",
        "属市场化招商项目，不属于政府民生实事。",
    ),
    (
        "学校周边交通拥堵",
        "上下学时段学校周边拥堵，建议增派交警疏导。",
        "safety",
        "属日常交通管理工作，已转公安交警部门落实。",
    ),
)
# (candidate number, votes) by popularity: 38 ballots × 10 choices = 380; the 10th has 22, the 11th 19.
VOTES = (
    (1, 36),
    (2, 35),
    (5, 34),
    (3, 33),
    (8, 32),
    (4, 31),
    (6, 30),
    (10, 29),
    (7, 26),
    (12, 22),
    (9, 19),
    (14, 17),
    (11, 15),
    (15, 11),
    (13, 10),
)
NAMES = ("王建国", "李秀英", "张伟", "刘芳", "陈明", "杨丽", "赵强", "黄敏", "周杰", "吴静")


@dataclass
class VoteCycleResult:
    proposals: int
    merged: int
    rejected: int
    candidates: int
    deputies: int
    turnout: int
    plan: Plan
    created: bool


def _summary(event: VoteEvent, created: bool) -> VoteCycleResult:
    proposals = Proposal.objects.filter(solicitation=event.solicitation)
    assert event.plan is not None
    return VoteCycleResult(
        proposals=proposals.count(),
        merged=proposals.filter(status="merged").count(),
        rejected=proposals.filter(status="rejected").count(),
        candidates=event.candidates.count(),
        deputies=event.electorate_size or 0,
        turnout=event.turnout or 0,
        plan=event.plan,
        created=created,
    )


def _account(username: str, role: Role, district: Region, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_upsert(acting_user=None, username=username, role=role, password=password, region=district)
    return user


def ballots() -> list[list[int]]:
    """The candidate numbers each of the 38 voting deputies ticks (10 each), in deputy order.

    Each candidate's votes (VOTES, by popularity) are laid out one after another and dealt with a stride
    of 38, so no ballot names a candidate twice and the totals are exactly VOTES.
    """
    voters = ELECTRONIC + PAPER
    stream = [number for number, votes in VOTES for _ in range(votes)]
    return [sorted(stream[n::voters]) for n in range(voters)]


def _solicit(district: Region, office: User) -> Solicitation:
    s = solicitation.solicitation_create(
        acting_user=office,
        region=district,
        year=YEAR,
        title=SOLICITATION_TITLE,
        opens_at=OPENS,
        closes_at=CLOSES,
    )
    when = OPENS + dt.timedelta(days=1)
    originals = []
    for n, (title, content, place, who, category, _lead) in enumerate(CANDIDATES):
        originals.append(
            solicitation.proposal_submit(
                acting_user=None,
                solicitation=s,
                title=title,
                content=content,
                place=place,
                beneficiaries=who,
                category=category,
                proposer_name=NAMES[n % len(NAMES)],
                proposer_contact=f"1390519{n:04d}",
                now=when + dt.timedelta(hours=n),
            )
        )
    extra = []
    for n, (number, title, content) in enumerate(DUPLICATES):
        p = solicitation.proposal_submit(
            acting_user=None,
            solicitation=s,
            title=title,
            content=content,
            category=CANDIDATES[number - 1][4],
            proposer_name=NAMES[(n + 3) % len(NAMES)],
            proposer_contact=f"1376112{n:04d}",
            now=when + dt.timedelta(days=2, hours=n),
        )
        extra.append((p, originals[number - 1]))
    rejected = []
    for n, (title, content, category, reason) in enumerate(REJECTED):
        p = solicitation.proposal_submit(
            acting_user=None,
            solicitation=s,
            title=title,
            content=content,
            category=category,
            proposer_name=NAMES[(n + 5) % len(NAMES)],
            proposer_contact=f"1585190{n:04d}",
            now=when + dt.timedelta(days=5, hours=n),
        )
        rejected.append((p, reason))
    for p, into in extra:
        solicitation.proposal_merge(acting_user=office, proposal=p, into=into)
    for p, reason in rejected:
        solicitation.proposal_reject(acting_user=office, proposal=p, reason=reason)
    for p, (_t, _c, _p, _w, _cat, lead) in zip(originals, CANDIDATES, strict=True):
        solicitation.proposal_shortlist(acting_user=office, proposal=p, lead_unit=lead)
    return s


def _vote(s: Solicitation, district: Region, office: User, password: str) -> VoteEvent:
    deputies = [_account(f"deputy{n:02d}", Role.DEPUTY, district, password) for n in range(1, DEPUTIES + 1)]
    clerks = [_account(f"clerk{n:02d}", Role.OFFICE, district, password) for n in (1, 2)]
    event = voting.vote_event_create(
        acting_user=office,
        solicitation=s,
        title=VOTE_TITLE,
        rule="exactly",
        choose_n=CHOOSE,
        opens_at=VOTE_OPENS,
        closes_at=VOTE_CLOSES,
        quorum=voting.electorate(VoteEvent(region=district)).count() // 2 + 1,
        now=VOTE_OPENS - dt.timedelta(days=3),
    )
    by_no = dict(EventCandidate.objects.filter(event=event).values_list("position", "pk"))
    during = VOTE_OPENS + dt.timedelta(minutes=20)
    sheets = ballots()
    for deputy, sheet in zip(deputies[:ELECTRONIC], sheets[:ELECTRONIC], strict=True):
        voting.ballot_cast(acting_user=deputy, event=event, choices=[by_no[c] for c in sheet], now=during)
    paper = deputies[ELECTRONIC : ELECTRONIC + PAPER]
    voting.paper_voters_record(acting_user=office, event=event, voters=paper, now=during)
    counts = dict.fromkeys(by_no.values(), 0)
    for sheet in sheets[ELECTRONIC:]:
        for c in sheet:
            counts[by_no[c]] += 1
    # The second clerk misreads one ballot (a vote moved to the next candidate), sees the disagreement on
    # the vote's page and recounts.
    order = [by_no[no] for no in sorted(by_no)]
    here, there = next((a, b) for a, b in pairwise(order) if counts[a] > 0 and counts[b] < PAPER)
    miscount = {**counts, here: counts[here] - 1, there: counts[there] + 1}
    voting.paper_tally_enter(acting_user=clerks[0], event=event, ballots=PAPER, counts=counts)
    voting.paper_tally_enter(acting_user=clerks[1], event=event, ballots=PAPER, counts=miscount)
    voting.paper_tally_enter(acting_user=clerks[1], event=event, ballots=PAPER, counts=counts)
    event = voting.vote_event_close(
        acting_user=office, event=event, now=VOTE_CLOSES + dt.timedelta(minutes=5)
    )
    voting.vote_results_publish(acting_user=office, event=event, now=VOTE_CLOSES + dt.timedelta(hours=1))
    voting.vote_winners_to_plan(acting_user=office, event=event)
    event.refresh_from_db()
    return event


def seed_vote_cycle(district: Region) -> VoteCycleResult:
    """The closed 2025 solicitation and vote of `district`, whose winners form its 2025 draft plan."""
    done = VoteEvent.objects.filter(region=district, year=YEAR, title=VOTE_TITLE, plan__isnull=False).first()
    if done is not None:
        return _summary(done, created=False)
    with transaction.atomic():
        office = User.objects.get(username="office")
        password = demo_password()[0]
        s = Solicitation.objects.filter(region=district, year=YEAR, title=SOLICITATION_TITLE).first()
        if s is None:
            s = _solicit(district, office)
        event = _vote(s, district, office, password)
    return _summary(event, created=True)
