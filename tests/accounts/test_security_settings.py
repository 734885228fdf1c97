"""The security administrator edits the sign-in and session rules on a page; every change is audited
before → after, and the code that applies the rules follows the page (the Django settings are defaults)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.conftest import sign_in
from factories import PASSWORD, UserFactory
from minsheng.accounts.models import SecuritySettings, SignInLock
from minsheng.accounts.security_policy import security_policy, security_policy_forget
from minsheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

FORM = {
    "password_min_length": "12",
    "password_max_age_days": "60",
    "sign_in_failures": "3",
    "sign_in_window_minutes": "10",
    "sign_in_lock_minutes": "20",
    "session_idle_minutes": "10",
    "session_max_hours": "8",
    "totp_required": "",
}


@pytest.fixture(autouse=True)
def _read_the_database() -> Any:
    security_policy_forget()  # this module's tests save the row: read it, not the suite's assumption
    yield
    security_policy_forget(assume_no_row=True)


@pytest.fixture
def secadmin(district: Any) -> Any:
    return UserFactory(username="secadmin1", role="security_admin")


def save(user: Any, **changes: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(reverse("accounts:security_settings"), {**FORM, **changes})


def test_defaults_come_from_the_django_settings(settings: Any, secadmin: Any) -> None:
    settings.MINSHENG_SIGN_IN_FAILURES = 7
    assert security_policy().sign_in_failures == 7
    client = Client()
    client.force_login(secadmin)
    page = client.get(reverse("accounts:security_settings"))
    assert page.status_code == 200 and page.context["form"].initial["sign_in_failures"] == 7


def test_the_security_administrator_saves_and_each_change_is_audited(secadmin: Any) -> None:
    response = save(secadmin)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:lock_list")
    row = SecuritySettings.objects.get()
    assert (row.sign_in_failures, row.session_max_hours, row.updated_by) == (3, 8, secadmin)
    event = AuditEvent.objects.get(object_type="accounts.securitysettings")
    assert event.actor == secadmin and event.action == "update"
    assert event.before["sign_in_failures"] == 5 and event.after["sign_in_failures"] == 3
    assert event.before["password_min_length"] == 8 and event.after["password_min_length"] == 12
    # Only what changed is in the row: the TOTP flag stayed off.
    assert "totp_required" not in event.after
    page = Client()
    page.force_login(secadmin)
    assert "Set on this page." in page.get(reverse("accounts:lock_list")).content.decode()


def test_out_of_range_values_are_refused_with_the_field_named(secadmin: Any) -> None:
    response = save(secadmin, sign_in_failures="50", session_idle_minutes="abc")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "sign_in_failures" in errors and "session_idle_minutes" in errors
    assert not SecuritySettings.objects.exists() and not AuditEvent.objects.exists()


def test_idle_longer_than_the_session_is_refused(secadmin: Any) -> None:
    response = save(secadmin, session_idle_minutes="240", session_max_hours="2")
    assert "session_idle_minutes" in response.context["form"].errors
    assert not SecuritySettings.objects.exists()


@pytest.mark.parametrize("role", ["office", "system_admin", "audit_admin", "reviewer"])
def test_nobody_else_may_change_them(district: Any, role: str) -> None:
    user = UserFactory(username=f"u_{role}", role=role, region=district if role == "office" else None)
    assert save(user).status_code == 403
    assert not SecuritySettings.objects.exists()


def test_the_lockout_follows_the_page(secadmin: Any, office: Any) -> None:
    save(secadmin)  # 3 failures lock for 20 minutes
    client = Client()
    for _ in range(3):
        sign_in(client, "office1", "wrong password")
    lock = SignInLock.objects.get(kind="account", key="office1")
    assert 19 * 60 < (lock.until - lock.since).total_seconds() <= 20 * 60
    assert "Wait 20 minutes" in sign_in(client, "office1").content.decode()


def test_the_password_length_follows_the_page(secadmin: Any, office: Any) -> None:
    save(secadmin)  # at least 12 characters
    client = Client()
    client.force_login(office)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "password1": "Short1!x9", "password2": "Short1!x9"},
    )
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()


def test_the_idle_timeout_follows_the_page(secadmin: Any, office: Any) -> None:
    save(secadmin)  # 10 idle minutes
    client = Client()
    client.force_login(office)
    assert client.get(reverse("plans:plan_list")).status_code == 200
    session = client.session
    session["minsheng_seen"] = time.time() - 11 * 60
    session.save()
    assert client.get(reverse("plans:plan_list")).status_code == 302


def test_the_second_factor_follows_the_page(secadmin: Any, office: Any) -> None:
    save(secadmin, totp_required="on")
    client = Client()
    client.force_login(office)
    response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 302 and "second-factor" in response["Location"]


def test_another_worker_follows_within_the_memo_time(settings: Any, secadmin: Any) -> None:
    settings.MINSHENG_SECURITY_SETTINGS_SECONDS = 0
    assert security_policy().sign_in_failures == 5
    # Another worker saved: this one has not forgotten its memo, but the memo time is over.
    SecuritySettings.objects.create(
        pk=1,
        password_min_length=8,
        password_max_age_days=90,
        sign_in_failures=4,
        sign_in_window_minutes=15,
        sign_in_lock_minutes=15,
        session_idle_minutes=30,
        session_max_hours=12,
        totp_required=False,
    )
    assert security_policy().sign_in_failures == 4
