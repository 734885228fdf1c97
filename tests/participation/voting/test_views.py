"""The vote pages: a deputy's ballot, the office's event page, public results; another district."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from factories import RegionFactory, UserFactory
from minsheng.participation.voting import services
from minsheng.participation.voting.models import Ballot

from .factories import after_window, deputies, ids, open_event

pytestmark = pytest.mark.django_db


def test_a_deputy_votes_on_the_page_once(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2)
    client = Client()
    client.force_login(world.deputy)
    assert reverse("voting:ballot", args=[event.pk]) in client.get(reverse("voting:mine")).content.decode()
    url = reverse("voting:ballot", args=[event.pk])
    too_many = client.post(url, {"choices": [str(i) for i in ids(event, 1, 2, 3)]})
    assert too_many.status_code == 400 and Ballot.objects.count() == 0
    assert client.post(url, {"choices": [str(i) for i in ids(event, 1, 2)]}).status_code == 302
    assert Ballot.objects.count() == 1
    again = client.post(url, {"choices": [str(i) for i in ids(event, 3, 4)]})
    assert again.status_code == 409 and Ballot.objects.count() == 1


def test_a_deputy_of_another_district_sees_nothing(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2, quorum=1)
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    client = Client()
    client.force_login(UserFactory(username="dep_liyang", role="deputy", region=elsewhere))
    assert client.get(reverse("voting:ballot", args=[event.pk])).status_code == 404
    assert (
        client.post(reverse("voting:ballot", args=[event.pk]), {"choices": ids(event, 1)}).status_code == 404
    )
    assert event.title not in client.get(reverse("voting:mine")).content.decode()
    client.force_login(UserFactory(username="office_liyang", role="office", region=elsewhere))
    assert client.get(reverse("voting:event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("voting:paper_tally", args=[event.pk])).status_code == 404
    assert event.title not in client.get(reverse("voting:manage")).content.decode()
    assert Ballot.objects.count() == 0


def test_results_are_public_once_published_and_linked_from_the_home_page(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2, quorum=1)
    for voter in deputies(world.plan.region, 3):
        services.ballot_cast(acting_user=voter, event=event, choices=ids(event, 1, 2))
    event = services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    public = Client()
    assert public.get(reverse("voting:public_result", args=[event.pk])).status_code == 404
    link = reverse("voting:public_result", args=[event.pk])
    assert link not in public.get(reverse("home")).content.decode()
    services.vote_results_publish(acting_user=world.office, event=event)
    page = public.get(reverse("voting:public_result", args=[event.pk])).content.decode()
    assert world.plan.region.name in page
    home = public.get(reverse("home")).content.decode()
    assert link in home
    anchor = home[home.index(link) :].split("</a>")[0]
    assert "票决" in anchor and "2025" in anchor


def test_the_office_page_shows_disagreeing_paper_counts(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=2, choose_n=1, quorum=1)
    paper = deputies(world.plan.region, 2, prefix="paper")
    services.paper_voters_record(acting_user=world.office, event=event, voters=paper)
    clerk2 = UserFactory(username="clerk2", role="office", region=world.plan.region)
    a, b = ids(event, 1, 2)
    services.paper_tally_enter(acting_user=world.office, event=event, ballots=2, counts={a: 2, b: 0})
    services.paper_tally_enter(acting_user=clerk2, event=event, ballots=2, counts={a: 1, b: 1})
    client = Client()
    client.force_login(world.office)
    page = client.get(reverse("voting:event_detail", args=[event.pk])).content.decode()
    assert "clerk2" in page and 'role="alert"' in page
    response = client.post(reverse("voting:event_close", args=[event.pk]), follow=True)
    assert event.candidates.filter(votes__isnull=False).count() == 0
    assert response.status_code == 200


def test_result_and_event_pages_cost_the_same_queries_for_more_candidates(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = open_event(world.plan.region, world.office, candidates=3, choose_n=1, quorum=1)
    services.ballot_cast(acting_user=world.deputy, event=small, choices=ids(small, 1))
    small = services.vote_event_close(acting_user=world.office, event=small, now=after_window(small))
    services.vote_results_publish(acting_user=world.office, event=small)
    from participation.solicitation.factories import with_candidates

    solicitation, _ = with_candidates(world.plan.region, world.office, 12, title="第二次征集")
    big = services.vote_event_create(
        acting_user=world.office,
        solicitation=solicitation,
        title="大票决",
        rule="at_most",
        choose_n=5,
        opens_at=small.opens_at,
        closes_at=small.closes_at,
        quorum=1,
        now=small.opens_at,
    )
    services.ballot_cast(acting_user=world.deputy, event=big, choices=ids(big, 1, 2), now=small.opens_at)
    big = services.vote_event_close(acting_user=world.office, event=big, now=after_window(big))
    services.vote_results_publish(acting_user=world.office, event=big)
    office = Client()
    office.force_login(world.office)

    def cost(client: Client, name: str, event: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[event.pk])).status_code == 200
        return len(queries)

    assert cost(Client(), "voting:public_result", small) == cost(Client(), "voting:public_result", big)
    assert cost(office, "voting:event_detail", small) == cost(office, "voting:event_detail", big)
