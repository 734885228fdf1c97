"""The second factor: with MINSHENG_TOTP_REQUIRED, office, reviewers and administrators reach nothing
until they confirm a TOTP code; codes and backup codes work once. Off in the demo and test settings."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.conftest import sign_in
from factories import PASSWORD, UnitFactory, UserFactory
from minsheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _totp_on(settings):
    settings.MINSHENG_TOTP_REQUIRED = True


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(client: Client) -> tuple[TOTPDevice, list[str]]:
    """Go through the set-up page as a person would; returns the device and the backup codes shown."""
    page = client.get(reverse("accounts:totp_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=page.context["user"].username, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert secret in page.content.decode().replace(" ", "")
    response = client.post(reverse("accounts:totp_enrol"), {"code": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>(\w+)</code>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


@pytest.mark.parametrize("role", ["office", "reviewer", "system_admin", "security_admin", "audit_admin"])
def test_privileged_roles_reach_no_page_before_the_second_factor(district, role):
    UserFactory(username="p1", role=role, region=district)
    client = Client()
    assert sign_in(client, "p1").status_code == 302
    for url in (reverse("plans:plan_list"), reverse("start"), reverse("accounts:user_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:totp_enrol")
        ), url
    assert client.get(reverse("api:plan-list")).status_code == 403


@pytest.mark.parametrize("role", ["reporter", "leader", "deputy"])
def test_other_roles_need_no_second_factor(district, role):
    UserFactory(username="p2", role=role, region=district, unit=UnitFactory(region=district))
    client = Client()
    sign_in(client, "p2")
    assert client.get(reverse("plans:plan_list")).status_code == 200


def test_enrol_then_sign_in_with_a_code(office):
    client = Client()
    sign_in(client, "office1")
    device, _codes = enrolled(client)
    assert client.get(reverse("plans:plan_list")).status_code == 200  # verified by the enrolment
    client.post(reverse("logout"))
    client = Client()
    sign_in(client, "office1")
    response = client.get(reverse("plans:plan_list"))
    assert response["Location"].startswith(reverse("accounts:totp_verify"))
    response = client.post(reverse("accounts:totp_verify"), {"code": code_for(device, 1), "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert client.get(reverse("plans:plan_list")).status_code == 200
    assert AuditEvent.objects.filter(
        action="login", actor=office, message__startswith="second factor"
    ).exists()


def test_a_code_works_once(office):
    client = Client()
    sign_in(client, "office1")
    device, _codes = enrolled(client)
    used = code_for(device)  # the code the enrolment just used
    client = Client()
    sign_in(client, "office1")
    response = client.post(reverse("accounts:totp_verify"), {"code": used})
    assert response.status_code == 200 and "used already" in str(response.context["form"].errors)
    assert client.get(reverse("plans:plan_list")).status_code == 302


def test_a_code_far_off_the_clock_is_refused(office):
    client = Client()
    sign_in(client, "office1")
    device, _codes = enrolled(client)
    client = Client()
    sign_in(client, "office1")
    response = client.post(reverse("accounts:totp_verify"), {"code": code_for(device, 20)})
    assert response.status_code == 200
    assert client.get(reverse("plans:plan_list")).status_code == 302


def test_backup_codes_are_single_use(office):
    client = Client()
    sign_in(client, "office1")
    _device, codes = enrolled(client)
    for attempt in range(2):
        other = Client()
        sign_in(other, "office1")
        response = other.post(reverse("accounts:totp_verify"), {"code": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 200
            assert other.get(reverse("plans:plan_list")).status_code == 302


def test_wrong_codes_count_towards_the_lockout(office):
    client = Client()
    sign_in(client, "office1")
    enrolled(client)
    client = Client()
    sign_in(client, "office1")
    for _ in range(5):
        response = client.post(reverse("accounts:totp_verify"), {"code": "000000"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), "office1").status_code == 200  # the account is locked now


def test_api_token_needs_the_code_for_privileged_roles(office):
    client = Client()
    sign_in(client, "office1")
    device, _codes = enrolled(client)
    url = reverse("api:token")
    without = Client().post(
        url, {"username": "office1", "password": PASSWORD}, content_type="application/json"
    )
    assert without.status_code == 400 and "token" not in without.json()
    ok = Client().post(
        url,
        {"username": "office1", "password": PASSWORD, "otp": code_for(device, 1)},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["token"]


def test_setting_off_lets_the_office_in_with_a_password(settings, office):
    settings.MINSHENG_TOTP_REQUIRED = False
    client = Client()
    sign_in(client, "office1")
    assert client.get(reverse("plans:plan_list")).status_code == 200


def test_production_settings_turn_it_on_and_close_admin():
    import os
    import subprocess
    import sys

    env = {**os.environ, "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "minsheng.example.gov.cn"}
    for name in ("MINSHENG_TOTP_REQUIRED", "MINSHENG_ADMIN_HOSTS", "MINSHENG_MLPS"):
        env.pop(name, None)
    code = "import minsheng.settings.production as p; print(p.MINSHENG_TOTP_REQUIRED, p.MINSHENG_ADMIN_HOSTS, p.MINSHENG_MLPS)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "[]", "True"]


def _every_route() -> list[str]:
    """Every URL pattern of the project with each path parameter set to 1."""
    import re as _re

    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver: URLResolver, prefix: str = "") -> list[str]:
        routes = []
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                routes += walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                routes.append(route)
        return routes

    urls = set()
    for route in walk(get_resolver()):
        if route.startswith("^") or "(?P" in route:
            continue  # admin's and DRF's regex routes: admin has its own rule, the API is covered below
        urls.add("/" + _re.sub(r"<[^>]+>", "1", route))
    return sorted(urls)


def test_no_url_is_reachable_without_the_second_factor(office):
    """Signed in with the password only, the office gets set-up, sign-out and language switch; every other
    page redirects to set-up, the API answers 403 and Django admin 404."""
    client = Client()
    sign_in(client, "office1")
    open_prefixes = (
        "/accounts/second-factor/",
        "/accounts/password/",
        "/accounts/logout/",
        "/i18n/",
        "/accounts/login/",
    )
    checked = 0
    for url in _every_route():
        if url.startswith(open_prefixes):
            continue
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 403, url
        elif url.startswith("/admin/"):
            assert response.status_code == 404, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:totp_enrol")), url
        checked += 1
    assert checked > 50
