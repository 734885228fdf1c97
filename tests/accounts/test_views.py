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
        ("deputy", "dashboard:overview"),
        ("system_admin", "accounts:user_list"),
        ("security_admin", "accounts:lock_list"),
        ("audit_admin", "accounts:audit_trail"),
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


@pytest.mark.django_db
def test_audit_administrator_reads_the_trail_and_nothing_else(client):
    from minsheng.audit.models import AuditEvent

    auditor = UserFactory(role="audit_admin")
    client.post(reverse("login"), {"username": auditor.username, "password": PASSWORD})
    page = client.get(reverse("accounts:audit_trail"))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=auditor).exists()
    assert auditor.username in page.content.decode()
    for name in ("accounts:user_list", "accounts:lock_list", "orgs:unit_list"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 404
