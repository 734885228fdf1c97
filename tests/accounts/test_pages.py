"""The office's account, unit and region pages: everything it did in Django admin, in its region only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from factories import UnitAliasFactory, UnitFactory, UserFactory
from minsheng.accounts.models import User
from minsheng.audit.models import AuditEvent
from minsheng.orgs.models import Region, Unit, UnitAlias

pytestmark = pytest.mark.django_db
GOOD = "Lanterns-over-the-river-9"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def liyang_reporter(other_district):
    return UserFactory(
        username="ly_reporter", role="reporter", unit=other_district.units.get(), region=other_district
    )


def test_office_lists_only_its_regions_accounts(office, other_office, liyang_reporter, district):
    mine = UserFactory(username="jt_reviewer", role="reviewer", region=district)
    page = as_user(office).get(reverse("accounts:user_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.username in html and "ly_reporter" not in html and "liyang_office" not in html


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("accounts:user_edit", "get", None),
        ("accounts:user_edit", "post", {"roles": ["reporter"]}),
        ("accounts:user_active", "post", {"active": "0"}),
        ("accounts:user_password", "post", {"password1": GOOD, "password2": GOOD}),
        ("accounts:user_second_factor_reset", "post", {}),
    ],
)
def test_office_cannot_touch_another_districts_account(office, liyang_reporter, name, method, data):
    before = User.objects.get(pk=liyang_reporter.pk)
    client = as_user(office)
    url = reverse(name, args=[liyang_reporter.pk])
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 404
    after = User.objects.get(pk=liyang_reporter.pk)
    assert (after.is_active, after.password, after.region_id) == (
        before.is_active,
        before.password,
        before.region_id,
    )
    assert not AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(liyang_reporter.pk)
    ).exists()


def test_office_cannot_touch_another_districts_units(office, other_district):
    unit = other_district.units.get()
    alias = UnitAliasFactory(unit=unit, name="溧阳教育局")
    client = as_user(office)
    assert client.get(reverse("orgs:unit_edit", args=[unit.pk])).status_code == 403
    assert client.post(reverse("orgs:unit_edit", args=[unit.pk]), {"name": "改名"}).status_code == 403
    assert client.post(reverse("orgs:alias_remove", args=[alias.pk])).status_code == 403
    response = client.post(
        reverse("orgs:unit_list"), {"name": "新单位", "region": other_district.pk, "kind": "department"}
    )
    assert response.status_code == 200 and "region" in response.context["form"].errors  # not a choice
    assert (
        Unit.objects.get(pk=unit.pk).name == "溧阳市教育局" and UnitAlias.objects.filter(pk=alias.pk).exists()
    )
    assert "溧阳市教育局" not in client.get(reverse("orgs:unit_list")).content.decode()


def test_office_cannot_give_a_unit_or_region_outside_its_scope(office, other_district, district):
    reporter = UserFactory(
        username="jt_rep", role="reporter", unit=UnitFactory(region=district), region=district
    )
    client = as_user(office)
    response = client.post(
        reverse("accounts:user_edit", args=[reporter.pk]),
        {"roles": ["reporter"], "unit": other_district.units.get().pk, "region": other_district.pk},
    )
    assert response.status_code == 200
    assert {"unit", "region"} <= set(response.context["form"].errors)
    assert User.objects.get(pk=reporter.pk).region == district


def test_office_creates_an_account_in_its_region(office, district):
    unit = district.units.first()
    response = as_user(office).post(
        reverse("accounts:user_create"),
        {"username": "new_rep", "roles": ["reporter"], "unit": unit.pk, "region": "", "password": GOOD},
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_rep")
    assert user.unit == unit and user.region == district and not user.is_staff and user.check_password(GOOD)
    assert AuditEvent.objects.filter(action="create", object_id=str(user.pk), actor=office).exists()


def test_office_cannot_create_administrators(office, district):
    client = as_user(office)
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert "system_admin" not in dict(form.fields["roles"].choices)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "boss", "roles": ["system_admin"], "region": district.pk, "password": GOOD},
    )
    assert response.status_code == 200 and "roles" in response.context["form"].errors
    assert not User.objects.filter(username="boss").exists()


def test_weak_first_password_is_refused_with_the_reason(office, district):
    response = as_user(office).post(
        reverse("accounts:user_create"),
        {"username": "weak", "roles": ["leader"], "region": district.pk, "password": "password"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["password"])
    assert not User.objects.filter(username="weak").exists()


def test_office_deactivates_resets_password_and_changes_role(office, district):
    user = UserFactory(username="jt_leader", role="leader", region=district)
    client = as_user(office)
    assert (
        client.post(
            reverse("accounts:user_password", args=[user.pk]), {"password1": GOOD, "password2": GOOD}
        ).status_code
        == 302
    )
    assert User.objects.get(pk=user.pk).check_password(GOOD)
    assert (
        client.post(
            reverse("accounts:user_edit", args=[user.pk]), {"roles": ["reviewer"], "region": district.pk}
        ).status_code
        == 302
    )
    assert {g.name for g in User.objects.get(pk=user.pk).groups.all()} == {"reviewer"}
    assert client.post(reverse("accounts:user_active", args=[user.pk]), {"active": "0"}).status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
    # The deactivated account cannot sign in any more.
    assert Client().post(reverse("login"), {"username": "jt_leader", "password": GOOD}).status_code == 200


def test_office_keeps_units_rename_and_aliases(office, district):
    client = as_user(office)
    response = client.post(
        reverse("orgs:unit_list"), {"name": "区数据局", "region": district.pk, "kind": "department"}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="区数据局")
    assert (
        client.post(reverse("orgs:unit_edit", args=[unit.pk]), {"name": "区大数据管理局"}).status_code == 302
    )
    unit.refresh_from_db()
    assert unit.name == "区大数据管理局"
    assert set(unit.aliases.values_list("name", flat=True)) == {"区数据局"}  # the old name still matches
    assert client.post(reverse("orgs:unit_edit", args=[unit.pk]), {"alias": "大数据局"}).status_code == 302
    alias = unit.aliases.get(name="大数据局")
    assert client.post(reverse("orgs:alias_remove", args=[alias.pk])).status_code == 302
    assert set(unit.aliases.values_list("name", flat=True)) == {"区数据局"}
    assert AuditEvent.objects.filter(
        object_type="orgs.unit", object_id=str(unit.pk), action="update"
    ).exists()


def test_duplicate_unit_name_is_a_form_error(office, district):
    existing = district.units.first()
    response = as_user(office).post(
        reverse("orgs:unit_list"), {"name": existing.name, "region": district.pk, "kind": "town"}
    )
    assert response.status_code == 200 and "already has a unit" in str(response.context["form"].errors)


def test_city_office_creates_a_district_but_a_district_office_cannot_add_to_the_city(district, office):
    city = district.parent
    city_office = UserFactory(username="cz_office", role="office", region=city)
    response = as_user(city_office).post(
        reverse("orgs:region_list"), {"name": "新北区", "parent": city.pk, "code": "320411"}
    )
    assert response.status_code == 302
    created = Region.objects.get(code="320411")
    assert created.parent == city and created.level == "district"
    response = as_user(office).post(
        reverse("orgs:region_list"), {"name": "武进区", "parent": city.pk, "code": ""}
    )
    assert response.status_code == 400 and "parent" in response.context["form"].errors
    assert not Region.objects.filter(name="武进区").exists()
    # Within its own district it adds a town.
    assert (
        as_user(office)
        .post(reverse("orgs:region_list"), {"name": "薛埠镇", "parent": district.pk})
        .status_code
        == 302
    )
    assert Region.objects.get(name="薛埠镇").level == "town"


def test_city_office_sees_its_districts_accounts(district, other_district, liyang_reporter):
    city_office = UserFactory(username="cz_office", role="office", region=district.parent)
    html = as_user(city_office).get(reverse("accounts:user_list")).content.decode()
    assert "ly_reporter" in html


@pytest.mark.parametrize(
    "role", ["reviewer", "reporter", "leader", "deputy", "security_admin", "audit_admin"]
)
def test_other_roles_get_403_on_the_management_pages(district, role):
    user = UserFactory(role=role, region=district, unit=UnitFactory(region=district))
    client = as_user(user)
    for name in ("accounts:user_list", "accounts:user_create", "orgs:unit_list", "orgs:region_list"):
        assert client.get(reverse(name)).status_code == 403, name


def test_system_administrator_manages_every_region_and_administrators(
    district, other_district, liyang_reporter
):
    from minsheng.accounts.services import user_upsert

    admin = user_upsert(acting_user=None, username="wang.sys", role="system_admin", password=GOOD)
    client = as_user(admin)
    assert "ly_reporter" in client.get(reverse("accounts:user_list")).content.decode()
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "zhou.audit", "roles": ["audit_admin"], "password": GOOD},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "two.hats", "roles": ["security_admin", "audit_admin"], "password": GOOD},
    )
    assert response.status_code == 200 and "different people" in str(response.context["form"].errors)


def test_office_sees_no_administrator_accounts(office, district):
    from minsheng.accounts.services import user_upsert

    sec = user_upsert(
        acting_user=None, username="sec.admin", role="security_admin", password=GOOD, region=district
    )
    client = as_user(office)
    assert "sec.admin" not in client.get(reverse("accounts:user_list")).content.decode()
    assert client.post(reverse("accounts:user_active", args=[sec.pk]), {"active": "0"}).status_code == 404


def test_navigation_links_the_pages_for_the_office(office):
    html = as_user(office).get(reverse("plans:plan_list")).content.decode()
    assert reverse("accounts:user_list") in html
    assert reverse("admin:index") not in html


def test_an_office_without_a_region_manages_nothing(district, liyang_reporter):
    loose = UserFactory(username="loose_office", role="office")
    client = as_user(loose)
    assert "ly_reporter" not in client.get(reverse("accounts:user_list")).content.decode()
    assert client.get(reverse("accounts:user_edit", args=[liyang_reporter.pk])).status_code == 404
    assert client.get(reverse("orgs:unit_edit", args=[liyang_reporter.unit_id])).status_code == 403


def test_an_empty_region_is_a_form_error_not_a_wider_account(office, district):
    user = UserFactory(username="jt_rev", role="reviewer", region=district)
    response = as_user(office).post(
        reverse("accounts:user_edit", args=[user.pk]), {"roles": ["reviewer"], "region": ""}
    )
    assert response.status_code == 200 and "region you manage" in str(
        response.context["form"].errors["region"]
    )
    assert User.objects.get(pk=user.pk).region == district
