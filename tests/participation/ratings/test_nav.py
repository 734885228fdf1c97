"""Navigation: deputies get 视察/询问 and 满意度测评, the office 满意度测评 and 整改, reporters 询问待答 and 整改."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ("inspections:index", "inspections:questions", "ratings:index", "ratings:task_list")


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("deputy", {"inspections:index", "ratings:index"}),
        ("office", {"inspections:index", "ratings:index", "ratings:task_list"}),
        ("reporter", {"inspections:questions", "ratings:task_list"}),
        ("leader", set()),
        ("reviewer", set()),
    ],
)
def test_each_role_gets_its_entries(client, district, role, shown):
    unit = UnitFactory(region=district) if role == "reporter" else None
    client.force_login(UserFactory(role=role, region=district, unit=unit))
    html = client.get(reverse("plans:plan_list")).content.decode()
    for name in PAGES:
        assert (f'href="{reverse(name)}"' in html) == (name in shown), name
    if role == "deputy":
        assert "满意度测评" in html and "视察与询问" in html
