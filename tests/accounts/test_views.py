"""After signing in, each role lands on the page it works from."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factories import PASSWORD, UnitFactory, UserFactory


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("office", "plans:plan_list"),
        ("leader", "dashboard:overview"),
        ("reviewer", "progress:queue"),
        ("reporter", "progress:inbox"),
        ("deputy", "plans:plan_list"),
    ],
)
@pytest.mark.django_db
def test_sign_in_lands_on_the_roles_own_page(client, role, landing):
    unit = UnitFactory() if role == "reporter" else None
    user = UserFactory(role=role, unit=unit)
    page = client.get(reverse("login"))
    assert page.status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=False)
    assert response.status_code == 302
    start = client.get(response["Location"])
    assert start.status_code == 302
    assert start["Location"] == reverse(landing)


@pytest.mark.django_db
def test_start_needs_sign_in(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
