"""Demo deputies during and at the end of the year: `seed_deputies(plan)`.

Through the same services the pages use: a few inspections (视察, one made public by the office) and
questions (询问) answered by the lead units, then a closed satisfaction rating (满意度测评) of the plan by
the region's deputies (`deputy` and `deputy01`…`deputy40`, created when missing) in which one project —
the one whose item lags most — falls below the 80 % threshold and has an open rectification task (整改).

Idempotent: an inspection or question that exists (same deputy and text) is left alone, deputies who have
rated are skipped, a closed rating stays closed.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.accounts.services import user_upsert
from minsheng.demo.services import demo_password
from minsheng.participation.inspections.models import Inspection, Question
from minsheng.participation.inspections.services import (
    inspection_record,
    inspection_set_public,
    question_answer,
    question_ask,
)
from minsheng.participation.ratings.choices import EventStatus, Mark
from minsheng.participation.ratings.models import Rating, RatingEvent
from minsheng.participation.ratings.services import (
    rating_cast,
    rating_event_close,
    rating_event_create,
    rating_event_open,
)
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, ItemUnit, Plan, Project

DEPUTIES = 40
THRESHOLD = "80"
# (item position in list order, day of year's month, findings); the office publishes the first.
INSPECTIONS = (
    (
        0,
        (6, 18),
        "实地察看了学校改扩建工地，主体结构已封顶，安全文明施工措施到位。建议加快室外配套建设，确保秋季开学投用。",
    ),
    (
        2,
        (7, 9),
        "老旧小区改造现场施工有序，但部分楼栋雨污分流管网尚未开挖，居民反映出行不便，请施工单位做好围挡和临时便道。",
    ),
    (6, (9, 12), "项目进度明显滞后于序时，征地拆迁尚未完成。建议牵头单位倒排工期，主要负责同志牵头协调。"),
)
QUESTIONS = (
    (
        2,
        "小区改造完成后，后续物业管理和维修资金如何落实？",
        "改造完成后由街道牵头引入物业服务，维修资金按规定归集，年底前完成移交。",
    ),
    (
        6,
        "征地拆迁预计何时完成？年底能否按期完工？",
        "已成立专班推进征地拆迁，预计10月底前完成，力争年底前主体完工。",
    ),
)


@dataclass
class DeputiesResult:
    inspections: int = 0
    questions: int = 0
    ratings: int = 0
    closed: bool = False


def _photo(index: int) -> SimpleUploadedFile:
    """A small photo drawn here (a road and a building), so the demo needs no image files."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (190, 210, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 230, 480, 320), fill=(110, 110, 110))
    draw.rectangle((60 + index * 20, 90, 260 + index * 20, 230), fill=(210, 120, 70))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"inspection-{index}.jpg", out.getvalue(), content_type="image/jpeg")


def region_deputies(plan: Plan) -> list[User]:
    """`deputy` and `deputy01`…`deputy40` of the plan's region; missing accounts are created (demo password)."""
    existing = {u.username: u for u in User.objects.filter(username__startswith="deputy")}
    password = demo_password()[0]
    people = []
    for name in ["deputy"] + [f"deputy{n:02d}" for n in range(1, DEPUTIES + 1)]:
        user = existing.get(name)
        if user is None:
            user = user_upsert(
                acting_user=None, username=name, role=Role.DEPUTY, password=password, region=plan.region
            )
        if user.region_id == plan.region_id:
            people.append(user)
    return people


def _office(plan: Plan) -> User | None:
    return (
        User.objects.filter(groups__name=Role.OFFICE, region=plan.region, is_active=True)
        .order_by("pk")
        .first()
    )


def _lead_reporter(item: Item) -> tuple[Any, User | None]:
    link = (
        ItemUnit.objects.filter(item=item, role=UnitRole.LEAD)
        .select_related("unit")
        .order_by("position")
        .first()
    )
    if link is None:
        return None, None
    reporter = (
        User.objects.filter(unit=link.unit, groups__name=Role.REPORTER, is_active=True).order_by("pk").first()
    )
    return link.unit, reporter


def _visit_day(plan: Plan, month_day: tuple[int, int]) -> dt.date:
    return min(dt.date(plan.year, *month_day), timezone.localdate())


def seed_deputies(plan: Plan) -> DeputiesResult:
    """Inspections, answered questions and a closed satisfaction rating with one rectification task."""
    result = DeputiesResult()
    deputies = region_deputies(plan)
    office = _office(plan)
    items = list(
        Item.objects.filter(project__plan=plan).order_by("project__position", "project__no", "position")
    )
    if not deputies or office is None or not items:
        return result
    for n, (position, month_day, findings) in enumerate(INSPECTIONS):
        if position >= len(items):
            continue
        deputy = deputies[n % len(deputies)]
        if Inspection.objects.filter(plan=plan, deputy=deputy, findings=findings).exists():
            continue
        inspection = inspection_record(
            acting_user=deputy,
            plan=plan,
            visited_on=_visit_day(plan, month_day),
            items=[items[position]],
            findings=findings,
            photos=[_photo(n)],
        )
        if n == 0:
            inspection_set_public(acting_user=office, inspection=inspection, public=True)
        result.inspections += 1
    for n, (position, text, answer) in enumerate(QUESTIONS):
        if position >= len(items):
            continue
        deputy = deputies[(n + 1) % len(deputies)]
        unit, reporter = _lead_reporter(items[position])
        if unit is None or Question.objects.filter(item=items[position], deputy=deputy, text=text).exists():
            continue
        question = question_ask(acting_user=deputy, item=items[position], unit=unit, text=text)
        if reporter is not None:
            question_answer(acting_user=reporter, question=question, text=answer)
        result.questions += 1
    result.ratings, result.closed = _rating(plan, office, deputies, items)
    return result


def _mark(project_index: int, deputy_index: int, weak: bool) -> str:
    """Most deputies are satisfied; about a tenth are not. The weak project gets one in three unsatisfied
    and one in four basically satisfied, which puts it under 80 %."""
    if weak:
        if deputy_index % 3 == 0:
            return Mark.UNSATISFIED
        return Mark.BASIC if deputy_index % 4 == 1 else Mark.SATISFIED
    turn = (deputy_index + project_index) % 10
    return Mark.UNSATISFIED if turn == 0 else Mark.BASIC if turn in (3, 7) else Mark.SATISFIED


def _rating(plan: Plan, office: User, deputies: list[User], items: list[Item]) -> tuple[int, bool]:
    """The year-end rating, in a window at the end of the plan's year (past for a finished year)."""
    event = RatingEvent.objects.filter(plan=plan).first()
    if event is not None and event.status == EventStatus.CLOSED:
        return 0, True
    tz = timezone.get_current_timezone()
    opens = dt.datetime(plan.year, 12, 20, 9, tzinfo=tz)
    closes = dt.datetime(plan.year, 12, 31, 17, tzinfo=tz)
    if event is None:
        event = rating_event_create(
            acting_user=office, plan=plan, opens_at=opens, closes_at=closes, threshold=THRESHOLD
        )
    if event.status == EventStatus.DRAFT:
        event = rating_event_open(acting_user=office, event=event, now=opens)
    projects = list(Project.objects.filter(plan=plan).order_by("position", "no"))
    # The project of the item that lags most in the demo's activity (the seventh, "severe") is the weak one.
    weak = items[6].project_id if len(items) > 6 else projects[-1].pk
    rated = set(Rating.objects.filter(event=event).values_list("deputy_id", flat=True))
    cast = 0
    moment = event.opens_at + dt.timedelta(hours=1)
    for d, deputy in enumerate(deputies):
        if deputy.pk in rated:
            continue
        marks = {p.pk: _mark(k, d, p.pk == weak) for k, p in enumerate(projects)}
        cast += len(rating_cast(acting_user=deputy, event=event, marks=marks, now=moment))
    rating_event_close(acting_user=office, event=event, now=event.closes_at)
    return cast, True
