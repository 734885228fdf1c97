"""Django admin: the system administrator only, the management host only, every change audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from factories import UnitFactory, UserFactory
from minsheng.accounts.admin import AuditedAdminMixin
from minsheng.accounts.services import user_upsert
from minsheng.audit.models import AuditEvent
from minsheng.orgs.models import Unit

pytestmark = pytest.mark.django_db
GOOD = "Lanterns-over-the-river-9"


@pytest.fixture
def sysadmin(db):
    return user_upsert(acting_user=None, username="wang.sys", role="system_admin", password=GOOD)


def _get(user, url, **extra):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url, **extra)


@pytest.mark.parametrize(
    "role", ["office", "reviewer", "reporter", "leader", "deputy", "security_admin", "audit_admin"]
)
def test_non_administrators_get_404_at_admin(district, role):
    user = UserFactory(role=role, region=district, unit=UnitFactory(region=district))
    urls = [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:orgs_unit_changelist"),
    ]
    for url in urls:
        assert _get(user, url).status_code == 404, url


def test_even_a_staff_flag_does_not_open_admin_without_the_role(district):
    user = UserFactory(role="office", region=district, is_staff=True)
    assert _get(user, reverse("admin:index")).status_code == 404


def test_anonymous_admin_requests_go_to_the_apps_own_sign_in(db):
    response = _get(None, reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # Admin's own login form (no lockout, no second factor) is not reachable either.
    response = _get(None, reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_system_administrator_uses_admin_on_the_management_host(settings, sysadmin):
    settings.ALLOWED_HOSTS = ["minsheng.example.gov.cn", "manage.internal"]
    settings.MINSHENG_ADMIN_HOSTS = ["manage.internal"]
    assert _get(sysadmin, reverse("admin:index"), HTTP_HOST="manage.internal").status_code == 200
    assert _get(sysadmin, reverse("admin:index"), HTTP_HOST="minsheng.example.gov.cn").status_code == 404
    assert _get(None, reverse("admin:login"), HTTP_HOST="minsheng.example.gov.cn").status_code == 404


def test_every_registered_admin_is_audited():
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedAdminMixin), model


def test_a_change_made_in_admin_is_audited(district, sysadmin):
    unit = UnitFactory(name="区教育局", region=district)
    client = Client()
    client.force_login(sysadmin)
    url = reverse("admin:orgs_unit_change", args=[unit.pk])
    response = client.post(
        url,
        {
            "name": "区教育体育局",
            "region": district.pk,
            "kind": "department",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Unit.objects.get(pk=unit.pk).name == "区教育体育局"
    event = AuditEvent.objects.get(object_type="orgs.unit", object_id=str(unit.pk), action="update")
    assert event.actor == sysadmin and event.message.startswith("admin:") and "Name" in event.message


def test_a_deletion_in_admin_is_audited(district, sysadmin):
    unit = UnitFactory(name="撤销单位", region=district)
    client = Client()
    client.force_login(sysadmin)
    response = client.post(reverse("admin:orgs_unit_delete", args=[unit.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="orgs.unit", object_id=str(unit.pk), action="delete"
    ).exists()


def test_the_system_administrator_cannot_make_a_superuser_in_admin(district, sysadmin):
    target = UserFactory(username="li", role="office", region=district)
    client = Client()
    client.force_login(sysadmin)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk]))
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content


def test_only_the_system_administrator_gets_the_admin_link(district, sysadmin):
    page = _get(sysadmin, reverse("accounts:user_list"))
    assert reverse("admin:index") in page.content.decode()
    staff_office = UserFactory(role="office", region=district, is_staff=True)
    page = _get(staff_office, reverse("plans:plan_list"))
    assert reverse("admin:index") not in page.content.decode()
