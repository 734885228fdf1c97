"""The navigation's 年终 entry: the office, and the reviewers, leaders and deputies who read the year-end
page and its completion report; not reporters."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENTRY = 'href="/yearend/"'


@pytest.mark.parametrize("role", ["office", "reviewer", "leader", "deputy"])
def test_readers_of_the_year_end_have_an_entry_that_leads_to_their_plan(client, world, role):
    client.force_login(getattr(world, role))
    home = client.get(reverse("yearend:index"))
    assert home.status_code == 200
    html = home.content.decode()
    assert ENTRY in html
    assert reverse("yearend:plan", args=[world.plan.pk]) in html


def test_a_reporter_has_no_entry(client, world):
    client.force_login(world.reporter)
    html = client.get(reverse("progress:timeline", args=[world.item.pk])).content.decode()
    assert ENTRY not in html
    assert client.get(reverse("yearend:index")).status_code == 403
