"""Sign-in: lockout per account and per address kept in the database, one answer for unknown names,
every attempt audited; the same for the API token sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.conftest import sign_in
from factories import PASSWORD, UserFactory
from minsheng.accounts.models import SignInFailure, SignInLock
from minsheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_five_failures_lock_the_account_even_for_the_right_password(office):
    client = Client()
    for _ in range(5):
        response = sign_in(client, "office1", "wrong password")
        assert response.status_code == 200
    response = sign_in(client, "office1")
    assert response.status_code == 200  # the form again, not a redirect
    assert "Too many failed sign-ins" in _errors(response)
    assert "_auth_user_id" not in client.session
    # Another address, same account: still locked.
    response = sign_in(Client(REMOTE_ADDR="10.0.0.9"), "office1")
    assert response.status_code == 200 and "Too many failed sign-ins" in _errors(response)


def test_lock_ends_after_fifteen_minutes(office):
    client = Client()
    for _ in range(5):
        sign_in(client, "office1", "wrong password")
    lock = SignInLock.objects.get(kind="account", key="office1")
    assert dt.timedelta(minutes=14) < lock.until - timezone.now() <= dt.timedelta(minutes=15)
    # The lock and the failures are in the past: what a clock 16 minutes on would see.
    SignInLock.objects.update(until=timezone.now() - dt.timedelta(seconds=1))
    SignInFailure.objects.update(time=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(client, "office1").status_code == 302


def test_four_failures_do_not_lock_and_success_forgets_them(office):
    client = Client()
    for _ in range(4):
        sign_in(client, "office1", "wrong password")
    assert sign_in(client, "office1").status_code == 302
    assert not SignInLock.objects.exists()
    assert not SignInFailure.objects.filter(username="office1").exists()


def test_unknown_user_gets_the_same_answer(office):
    known = sign_in(Client(), "office1", "wrong password")
    unknown = sign_in(Client(REMOTE_ADDR="10.0.0.2"), "nobody-here", "wrong password")
    assert _errors(known) == _errors(unknown)
    assert known.status_code == unknown.status_code == 200
    for _ in range(5):
        locked_unknown = sign_in(Client(REMOTE_ADDR="10.0.0.3"), "nobody-here", "wrong password")
    for _ in range(4):
        sign_in(Client(REMOTE_ADDR="10.0.0.4"), "office1", "wrong password")
    locked_known = sign_in(Client(REMOTE_ADDR="10.0.0.4"), "office1", "wrong password")
    assert _errors(locked_known) == _errors(locked_unknown)


def test_one_address_trying_many_names_is_locked(district):
    UserFactory(username="target", role="reviewer", region=district)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        sign_in(client, name, "guess")
    response = sign_in(client, "target")
    assert "Too many failed sign-ins" in _errors(response)
    assert SignInLock.objects.filter(kind="address", key="203.0.113.7").exists()
    # The account itself is not locked: from elsewhere it signs in.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.1"), "target").status_code == 302


def test_sign_in_events_are_audited_with_address_and_outcome(office):
    client = Client(REMOTE_ADDR="192.0.2.10")
    sign_in(client, "office1", "wrong password")
    sign_in(client, "office1")
    client.post(reverse("logout"))
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.object_repr == "office1" and failed.address == "192.0.2.10" and failed.outcome == "failure"
    login = AuditEvent.objects.get(action="login")
    assert login.actor == office and login.address == "192.0.2.10" and login.role == "office"
    assert AuditEvent.objects.filter(action="logout", actor=office).exists()


def test_a_lockout_is_audited(office):
    client = Client(REMOTE_ADDR="192.0.2.11")
    for _ in range(5):
        sign_in(client, "office1", "wrong password")
    lock_event = AuditEvent.objects.get(
        action="login_failed", outcome="denied", object_type="accounts.signinlock"
    )
    assert lock_event.object_repr == "account:office1, address:192.0.2.11"  # the fifth failure: one row
    assert AuditEvent.objects.filter(action="login_failed", outcome="failure").count() == 4
    sign_in(client, "office1")
    assert (
        AuditEvent.objects.filter(action="login_failed", outcome="denied", message="web: locked").count() == 1
    )


def test_failures_are_counted_across_workers_in_the_database(office):
    """Two clients stand for two workers: the count lives in one table, not in a process."""
    for i in range(5):
        sign_in(Client(REMOTE_ADDR=f"10.1.0.{i}"), "OFFICE1", "wrong password")
    assert SignInFailure.objects.filter(username="office1").count() == 5
    assert SignInLock.objects.filter(kind="account", key="office1").exists()


# API token sign-in


def _token(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("api:token"),
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def test_api_token_sign_in_locks_after_five_failures(office):
    client = Client()
    for _ in range(4):
        assert _token(client, "office1", "wrong").status_code == 400
    assert _token(client, "office1", "wrong").status_code == 403  # the fifth failure locks
    response = _token(client, "office1")
    assert response.status_code == 403 and "Too many failed sign-ins" in response.json()["detail"]
    assert "token" not in response.json()


def test_api_unknown_user_gets_the_same_answer(office):
    known = _token(Client(), "office1", "wrong")
    unknown = _token(Client(REMOTE_ADDR="10.0.0.2"), "nobody-here", "wrong")
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()


def test_api_sign_in_is_audited(office):
    _token(Client(REMOTE_ADDR="192.0.2.20"), "office1", "wrong")
    response = _token(Client(REMOTE_ADDR="192.0.2.20"), "office1")
    assert response.status_code == 200 and response.json()["token"]
    assert AuditEvent.objects.filter(action="login_failed", message__startswith="api token").count() == 1
    assert AuditEvent.objects.filter(action="login", actor=office, address="192.0.2.20").exists()


@pytest.mark.parametrize("body", ['["office1", "x"]', '"office1"', "{}", '{"username": "office1"}'])
def test_api_malformed_sign_in_is_a_400(office, body):
    response = Client().post(reverse("api:token"), body, content_type="application/json")
    assert response.status_code == 400


def test_failures_older_than_a_day_are_dropped(office):
    SignInFailure.objects.create(
        username="someone", address="10.0.0.1", time=timezone.now() - dt.timedelta(days=2)
    )
    sign_in(Client(), "office1", "wrong password")
    assert list(SignInFailure.objects.values_list("username", flat=True)) == ["office1"]


def test_passwords_never_reach_the_audit_trail_or_the_logs(office, caplog):
    guess = "S3cret-Guess-4711"
    with caplog.at_level("DEBUG"):
        sign_in(Client(), "office1", guess)
        _token(Client(), "office1", guess)
        sign_in(Client(), "office1")
    rows = " ".join(f"{e.object_repr} {e.message} {e.before} {e.after}" for e in AuditEvent.objects.all())
    assert guess not in rows and PASSWORD not in rows
    assert guess not in caplog.text and PASSWORD not in caplog.text


def test_production_hashes_passwords_with_pbkdf2_or_argon2():
    import os
    import subprocess
    import sys

    env = {**os.environ, "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "minsheng.example.gov.cn"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'minsheng.settings.production'; django.setup();"
        "from django.contrib.auth.hashers import make_password; print(make_password('Lanterns-9-x').split('$')[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() in {"pbkdf2_sha256", "argon2"}
