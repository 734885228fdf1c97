"""No personal data on public pages or JSON (DATA-06), masked for staff; late and closed votes (RATE-02)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.participation.feedback.choices import Channel
from minsheng.participation.feedback.services import rating_submit
from minsheng.participation.feedback.verification import Identity, mask_phone, person_key
from minsheng.participation.voting import services as voting
from minsheng.participation.voting.models import Ballot
from participation.solicitation.factories import propose
from participation.voting.factories import after_window, deputies, ids, open_event

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
NAMES = ("王小明", "李秀英")


@pytest.fixture
def published_vote(world: Any) -> Any:
    """A closed, published vote whose candidates came from proposals by 王小明 (13812345678)."""
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2, quorum=1)
    propose(event.solicitation, 0, proposer_name="李秀英", proposer_contact="li.xiuying@example.com")
    for voter in deputies(world.plan.region, 3):
        voting.ballot_cast(acting_user=voter, event=event, choices=ids(event, 1, 2))
    event = voting.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    return voting.vote_results_publish(acting_user=world.office, event=event) or event


def rate_by_phone(world: Any, phone: str, comment: str) -> None:
    identity = Identity(key=person_key("phone", phone), channel=Channel.PHONE, label=mask_phone(phone))
    rating_submit(acting_user=None, item=world.item, identity=identity, score=4, comment=comment)


def public_urls(world: Any, event: Any) -> list[str]:
    return [
        reverse("home"),
        reverse("portal:plan", args=[world.plan.pk]),
        reverse("portal:item", args=[world.item.pk]),
        reverse("portal:download", args=[world.plan.pk, "open-json"]),
        reverse("portal:download", args=[world.plan.pk, "csv"]),
        reverse("solicitation:public_index"),
        reverse("voting:public_index"),
        reverse("voting:public_result", args=[event.pk]),
        "/api/plans/",
        f"/api/items/{world.item.pk}/",
    ]


def test_public_pages_and_json_show_no_phone_email_or_proposer(world: Any, published_vote: Any) -> None:
    rate_by_phone(world, "13800001234", "路修得很好")
    client = Client()
    seen = 0
    for url in public_urls(world, published_vote):
        response = client.get(url)
        body = response.content.decode("utf-8", errors="replace")
        assert not PHONE.search(body), (url, PHONE.search(body))
        assert not EMAIL.search(body), (url, EMAIL.search(body))
        assert not any(name in body for name in NAMES), url
        seen += response.status_code == 200
    # The pages were really there: the item page carries the approved comment, the result its candidates.
    assert seen >= 8
    assert "路修得很好" in client.get(reverse("portal:item", args=[world.item.pk])).content.decode()


def test_staff_pages_show_phones_masked(world: Any) -> None:
    rate_by_phone(world, "13800001234", "希望加快进度")
    client = Client()
    client.force_login(world.office)
    page = client.get(reverse("feedback:moderation")).content.decode()
    assert "希望加快进度" in page and "138****1234" in page and "13800001234" not in page


def test_a_late_vote_on_the_page_is_refused_with_a_message(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2, quorum=1)
    voter = deputies(world.plan.region, 1)[0]
    voting.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    client = Client()
    client.force_login(voter)
    response = client.post(reverse("voting:ballot", args=[event.pk]), {"choices": ids(event, 1, 2)})
    assert response.status_code == 409
    assert str(_("This vote is closed; nothing can change any more.")) in response.content.decode()
    assert not Ballot.objects.filter(event=event).exists()
