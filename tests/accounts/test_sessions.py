"""Sessions end after 30 idle minutes or 12 hours; API tokens expire, and end at sign-out and deactivation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.conftest import sign_in
from factories import PASSWORD
from minsheng.accounts.middleware import SEEN, STARTED
from minsheng.accounts.services import user_set_active
from minsheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _shift(client: Client, key: str, seconds: float) -> None:
    """Move a session timestamp into the past: what the clock would show `seconds` later."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_new_session_key_at_sign_in(office):
    client = Client()
    session = client.session  # an anonymous session, as a visitor who browsed first has
    session["seen"] = True
    session.save()
    before = client.cookies["sessionid"].value
    sign_in(client, "office1")
    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_idle_for_31_minutes_signs_out(office):
    client = Client()
    sign_in(client, "office1")
    assert client.get(reverse("plans:plan_list")).status_code == 200
    _shift(client, SEEN, 31 * 60)
    response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="logout", actor=office, message="session idle").exists()


def test_29_idle_minutes_keep_the_session(office):
    client = Client()
    sign_in(client, "office1")
    _shift(client, SEEN, 29 * 60)
    assert client.get(reverse("plans:plan_list")).status_code == 200


def test_twelve_hours_end_even_an_active_session(office):
    client = Client()
    sign_in(client, "office1")
    _shift(client, STARTED, 12 * 3600 + 60)
    response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sign_out_ends_the_session_on_the_server(office):
    client = Client()
    sign_in(client, "office1")
    key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gets the sign-in page.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse("plans:plan_list")).status_code == 302


def _token(username: str = "office1") -> str:
    response = Client().post(
        reverse("api:token"), {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def _api(token: str) -> int:
    return Client().get(reverse("api:plan-list"), HTTP_AUTHORIZATION=f"Token {token}").status_code


def test_token_expires_after_eight_hours(office):
    token = _token()
    assert _api(token) == 200
    Token.objects.filter(key=token).update(created=timezone.now() - dt.timedelta(hours=8, minutes=1))
    assert _api(token) == 401
    assert not Token.objects.filter(key=token).exists()
    assert _token() != token  # a new sign-in issues a new token


def test_token_lifetime_is_a_setting(settings, office):
    settings.MINSHENG_API_TOKEN_HOURS = 1
    token = _token()
    Token.objects.filter(key=token).update(created=timezone.now() - dt.timedelta(minutes=61))
    assert _api(token) == 401


def test_sign_out_deletes_the_api_token(office):
    token = _token()
    client = Client()
    sign_in(client, "office1")
    client.post(reverse("logout"))
    assert _api(token) == 401


def test_deactivation_ends_tokens_and_sessions(office, district):
    token = _token()
    client = Client()
    sign_in(client, "office1")
    user_set_active(acting_user=None, user=office, active=False)
    assert _api(token) == 401
    assert client.get(reverse("plans:plan_list")).status_code == 302
    assert sign_in(Client(), "office1").status_code == 200  # refused


def test_security_administrator_ends_someones_sessions(office, district):
    from minsheng.accounts.services import user_upsert

    sec = user_upsert(
        acting_user=None, username="sec.admin", role="security_admin", password="Lanterns-over-the-river-9"
    )
    token = _token()
    victim = Client()
    sign_in(victim, "office1")
    admin = Client()
    admin.force_login(sec)
    page = admin.get(reverse("accounts:lock_list"))
    assert page.status_code == 200 and "office1" in page.content.decode()
    assert "Failed sign-ins before a lock" in page.content.decode()  # the rules in force (editable)
    assert admin.post(reverse("accounts:sessions_end", args=[office.pk])).status_code == 302
    assert victim.get(reverse("plans:plan_list")).status_code == 302
    assert _api(token) == 401
    assert AuditEvent.objects.filter(action="logout", actor=sec, object_id=str(office.pk)).exists()
    # Signing in again works: only the sessions that existed were ended.
    fresh = Client()
    sign_in(fresh, "office1")
    assert fresh.get(reverse("plans:plan_list")).status_code == 200


def test_only_the_security_administrator_ends_sessions(office, district):
    client = Client()
    client.force_login(office)
    assert client.post(reverse("accounts:sessions_end", args=[office.pk])).status_code == 403
    assert client.get(reverse("accounts:lock_list")).status_code == 403


def test_security_administrator_lifts_a_lock(office):
    from minsheng.accounts.models import SignInLock
    from minsheng.accounts.services import user_upsert

    for _ in range(5):
        sign_in(Client(), "office1", "wrong")
    sec = user_upsert(
        acting_user=None, username="sec.admin", role="security_admin", password="Lanterns-over-the-river-9"
    )
    admin = Client()
    admin.force_login(sec)
    lock = SignInLock.objects.get(kind="account")
    assert "office1" in admin.get(reverse("accounts:lock_list")).content.decode()
    assert admin.post(reverse("accounts:lock_lift", args=[lock.pk])).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="10.9.9.9"), "office1").status_code == 302
