"""Public rating per item: one per person, item and period; rate limit; moderation; verifiers; bad input."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from factories import ItemFactory, PlanFactory, ProjectFactory, RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.participation.feedback.choices import Channel, CommentStatus
from minsheng.participation.feedback.models import PublicRating
from minsheng.participation.feedback.selectors import current_period, item_rating_summary
from minsheng.participation.feedback.services import comment_moderate, rating_submit
from minsheng.participation.feedback.sms import MemorySender
from minsheng.participation.feedback.verification import (
    AccountVerifier,
    PhoneVerifier,
    address_identity,
    mask_phone,
)
from progress.factories import build_world

pytestmark = pytest.mark.django_db


def rate(client: Client, item: Any, **data: Any) -> Any:
    return client.post(reverse("feedback:rate", args=[item.pk]), {"action": "rate", **data})


def test_a_visitor_rates_and_the_item_page_shows_the_counts_and_average(client, world):
    assert rate(client, world.item, score="5").status_code == 200
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert rate(other, world.item, score="2").status_code == 200
    html = client.get(reverse("portal:item", args=[world.item.pk])).content.decode()
    summary = item_rating_summary(world.item.pk)
    assert summary.counts == {5: 1, 4: 0, 3: 0, 2: 1, 1: 0}
    assert summary.average == 3.5  # (5 + 2) / 2
    assert "3.5" in html and 'id="rating"' in html
    plan_html = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert 'id="ratings"' in plan_html and "3.5" in plan_html


def test_one_rating_per_address_item_and_period_when_no_verifier_is_configured(client, world):
    assert rate(client, world.item, score="4").status_code == 200
    response = rate(client, world.item, score="1")
    assert response.status_code == 400
    assert "已" in response.content.decode() or "already" in response.content.decode()
    assert PublicRating.objects.get().score == 4


def test_the_next_period_may_be_rated_again(world):
    identity = address_identity("10.1.1.1")
    rating_submit(acting_user=None, item=world.item, identity=identity, score=4, today=dt.date(2024, 3, 5))
    with pytest.raises(Conflict):
        rating_submit(
            acting_user=None, item=world.item, identity=identity, score=4, today=dt.date(2024, 3, 30)
        )
    rating_submit(acting_user=None, item=world.item, identity=identity, score=3, today=dt.date(2024, 4, 2))
    assert sorted(PublicRating.objects.values_list("period__number", flat=True)) == [3, 4]


def test_after_the_year_ratings_go_to_the_last_period(world):
    assert current_period(world.plan, dt.date(2026, 5, 1)) == world.periods[-1]
    assert current_period(world.plan, dt.date(2023, 5, 1)) == world.periods[0]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_ratings_make_one(district):
    if connection.vendor == "sqlite":
        pytest.skip("threads cannot share SQLite's in-memory test database")
    world = build_world(district)
    outcomes: list[str] = []
    start = threading.Barrier(20)

    def submit() -> None:
        try:
            start.wait()
            rating_submit(
                acting_user=None,
                item=world.item,
                identity=address_identity("10.9.9.9"),
                score=5,
                address="10.9.9.9",
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        except ValidationFailed:
            outcomes.append("limited")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert PublicRating.objects.count() == 1
    assert outcomes.count("ok") == 1 and len(outcomes) == 20


def test_an_address_is_limited_per_hour(world, settings):
    settings.MINSHENG_FEEDBACK_RATE_PER_HOUR = 3
    items = [world.add_item() for _ in range(4)]
    client = Client(REMOTE_ADDR="10.0.0.7")
    codes = [rate(client, item, score="3").status_code for item in items]
    assert codes == [200, 200, 200, 400]
    assert "3" in rate(client, world.item, score="3").content.decode()
    assert PublicRating.objects.count() == 3
    # Another address is not affected.
    assert rate(Client(REMOTE_ADDR="10.0.0.8"), items[3], score="3").status_code == 200


def test_comments_wait_for_the_office_and_are_escaped(client, world):
    rate(client, world.item, score="2", comment="<script>alert(1)</script>路面坑洼")
    rating = PublicRating.objects.get()
    assert rating.comment_status == CommentStatus.PENDING and rating.channel == Channel.ADDRESS
    page = reverse("portal:item", args=[world.item.pk])
    assert "路面坑洼" not in client.get(page).content.decode()

    office = Client()
    office.force_login(world.office)
    queue = office.get(reverse("feedback:moderation")).content.decode()
    assert "路面坑洼" in queue and "<script>alert" not in queue
    response = office.post(reverse("feedback:moderate", args=[rating.pk]), {"decision": "approve"})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "路面坑洼" in html and "&lt;script&gt;" in html and "<script>alert" not in html

    office.post(reverse("feedback:moderate", args=[rating.pk]), {"decision": "reject"})
    assert "路面坑洼" not in client.get(page).content.decode()
    assert AuditEvent.objects.filter(object_type="feedback.publicrating").count() == 3


def test_a_ten_megabyte_comment_is_refused_and_nothing_is_stored(client, world):
    response = rate(client, world.item, score="5", comment="长" * (10 * 1024 * 1024 // 3))
    assert response.status_code == 400
    assert "500" in response.content.decode()  # the limit is named
    assert not PublicRating.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "abc", ""])
def test_a_score_outside_one_to_five_is_refused(client, world, score):
    assert rate(client, world.item, score=score).status_code == 400
    assert not PublicRating.objects.exists()


def test_items_of_a_draft_plan_cannot_be_rated(client, district):
    plan = PlanFactory(region=district, year=2025, status="draft")
    item = ItemFactory(project=ProjectFactory(plan=plan, no=1))
    assert client.get(reverse("feedback:rate", args=[item.pk])).status_code == 404
    with pytest.raises(NotAllowed):
        rating_submit(acting_user=None, item=item, identity=address_identity("1.1.1.1"), score=5)


def test_phone_verification_with_the_test_sender(client, world, settings):
    settings.MINSHENG_FEEDBACK_VERIFIERS = ["phone"]
    settings.MINSHENG_SMS_SENDER = "minsheng.participation.feedback.sms.MemorySender"
    MemorySender.outbox.clear()
    url = reverse("feedback:rate", args=[world.item.pk])
    # Without a number: refused.
    assert rate(client, world.item, score="5").status_code == 400
    client.post(url, {"action": "send_code", "phone": "+86 138-0000-1234"})
    ((phone, text),) = MemorySender.outbox
    assert phone == "13800001234"
    code = re.search(r"(?<!\d)\d{6}(?!\d)", text)[0]
    wrong = "000000" if code != "000000" else "111111"
    assert rate(client, world.item, score="5", phone="13800001234", code=wrong).status_code == 400
    response = rate(client, world.item, score="5", phone="13800001234", code=code, comment="很好")
    assert response.status_code == 200
    rating = PublicRating.objects.get()
    # Stored hashed and masked, shown without moderation, the number nowhere public.
    assert (
        rating.channel == Channel.PHONE and rating.rater_label == mask_phone("13800001234") == "138****1234"
    )
    assert "13800001234" not in rating.rater_key and rating.comment_status == CommentStatus.APPROVED
    html = client.get(reverse("portal:item", args=[world.item.pk])).content.decode()
    assert "很好" in html and "1234" not in html.split('id="rating"')[1]
    # The same number from another connection is the same person.
    again = rate(Client(REMOTE_ADDR="10.3.3.3"), world.item, score="1", phone="13800001234", code=code)
    assert again.status_code == 400 and PublicRating.objects.count() == 1


def test_a_bad_number_is_refused_with_a_message(client, world, settings):
    settings.MINSHENG_FEEDBACK_VERIFIERS = ["phone"]
    response = client.post(
        reverse("feedback:rate", args=[world.item.pk]), {"action": "send_code", "phone": "12345"}
    )
    assert response.status_code == 400 and "11" in response.content.decode()


def test_account_verification_one_per_user(world, settings):
    settings.MINSHENG_FEEDBACK_VERIFIERS = ["account"]
    client = Client()
    assert rate(client, world.item, score="4").status_code == 400  # not signed in
    client.force_login(world.deputy)
    assert rate(client, world.item, score="4", comment="好").status_code == 200
    assert rate(client, world.item, score="4").status_code == 400
    rating = PublicRating.objects.get()
    assert rating.channel == Channel.ACCOUNT and rating.comment_status == CommentStatus.APPROVED
    assert AccountVerifier().identify(user=world.deputy, data={}).key == rating.rater_key
    assert PhoneVerifier().identify(user=None, data={}) is None


def test_office_of_another_district_sees_and_moderates_nothing(client, world):
    rate(client, world.item, score="2", comment="井盖缺失")
    rating = PublicRating.objects.get()
    city = world.plan.region.parent
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=city)
    stranger = UserFactory(username="office_ly", role="office", region=elsewhere)
    other = Client()
    other.force_login(stranger)
    assert "井盖缺失" not in other.get(reverse("feedback:moderation")).content.decode()
    assert (
        other.post(reverse("feedback:moderate", args=[rating.pk]), {"decision": "approve"}).status_code == 403
    )
    with pytest.raises(NotAllowed):
        comment_moderate(acting_user=stranger, rating=rating, approve=True)
    assert PublicRating.objects.get().comment_status == CommentStatus.PENDING
