"""`minsheng accounts-expire` and the MLPS password rules (three character classes, 90-day expiry)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.conftest import sign_in
from factories import PASSWORD, UnitFactory, UserFactory
from minsheng.accounts.models import User
from minsheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
GOOD = "Lanterns-over-the-river-9"


def _expire() -> str:
    out = io.StringIO()
    call_command("accounts-expire", stdout=out)
    return out.getvalue()


def test_accounts_idle_for_90_days_are_disabled_and_audited(district):
    now = timezone.now()
    idle = UserFactory(
        username="idle", role="reviewer", region=district, last_login=now - dt.timedelta(days=91)
    )
    never = UserFactory(username="never", role="leader", region=district)
    User.objects.filter(pk=never.pk).update(date_joined=now - dt.timedelta(days=100))
    recent = UserFactory(
        username="recent", role="reviewer", region=district, last_login=now - dt.timedelta(days=89)
    )
    breakglass = UserFactory(username="bg", is_superuser=True, last_login=now - dt.timedelta(days=400))
    out = _expire()
    assert "2 account(s)" in out and "idle" in out and "never" in out
    states = dict(User.objects.values_list("username", "is_active"))
    assert states == {"idle": False, "never": False, "recent": True, "bg": True}
    events = AuditEvent.objects.filter(
        action="update", object_type="accounts.user", message="idle for 90 days"
    )
    assert {e.object_id for e in events} == {str(idle.pk), str(never.pk)}
    assert sign_in(Client(), "idle").status_code == 200  # refused now
    assert recent.is_active and breakglass.is_superuser


def test_a_second_run_changes_nothing(district):
    UserFactory(
        username="idle", role="reviewer", region=district, last_login=timezone.now() - dt.timedelta(days=91)
    )
    _expire()
    count = AuditEvent.objects.count()
    assert "0 account(s)" in _expire()
    assert AuditEvent.objects.count() == count


def test_reactivation_starts_a_new_idle_period(district, office):
    from minsheng.accounts.services import user_set_active

    user = UserFactory(
        username="idle", role="reviewer", region=district, last_login=timezone.now() - dt.timedelta(days=91)
    )
    _expire()
    user_set_active(acting_user=office, user=User.objects.get(pk=user.pk), active=True)
    _expire()
    assert User.objects.get(pk=user.pk).is_active


@pytest.mark.parametrize(
    "password", ["lanterns-over-the-river", "LANTERNSOVERRIVER9", "lanternsovertheriver9"]
)
def test_mlps_wants_three_character_classes(settings, password):
    settings.MINSHENG_MLPS = True
    with pytest.raises(ValidationError, match="at least 3 of"):
        validate_password(password)


@pytest.mark.parametrize("password", ["Password1", "12345678"])
def test_common_passwords_are_refused_always(settings, password):
    settings.MINSHENG_MLPS = True
    with pytest.raises(ValidationError):
        validate_password(password)


def test_mixed_and_long_passwords_pass(settings):
    settings.MINSHENG_MLPS = True
    validate_password(GOOD)
    validate_password("Ab1-" + "river lanterns " * 6)  # 94 characters: no upper limit


def test_mlps_off_keeps_only_the_basic_rules(settings):
    settings.MINSHENG_MLPS = False
    validate_password("lanterns-over-the-river")


def _aged(user: User, days: int) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))


def test_day_91_staff_must_change_the_password(settings, office):
    settings.MINSHENG_MLPS = True
    _aged(office, 91)
    client = Client()
    sign_in(client, "office1")
    response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:password_change")
    )
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "password1": GOOD, "password2": GOOD, "next": "/plans/"},
    )
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert client.get(reverse("plans:plan_list")).status_code == 200  # still signed in, no redirect
    assert User.objects.get(pk=office.pk).check_password(GOOD)


def test_the_new_password_must_follow_the_rules(settings, office):
    settings.MINSHENG_MLPS = True
    _aged(office, 91)
    client = Client()
    sign_in(client, "office1")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "password1": "riverlanterns", "password2": "riverlanterns"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "at least 3 of" in str(response.context["form"].errors)
    assert client.get(reverse("plans:plan_list")).status_code == 302


def test_day_89_or_flag_off_no_redirect(settings, office, district):
    settings.MINSHENG_MLPS = True
    _aged(office, 89)
    client = Client()
    sign_in(client, "office1")
    assert client.get(reverse("plans:plan_list")).status_code == 200
    settings.MINSHENG_MLPS = False
    _aged(office, 200)
    assert client.get(reverse("plans:plan_list")).status_code == 200


def test_deputies_are_not_staff_and_keep_their_password(settings, district):
    settings.MINSHENG_MLPS = True
    deputy = UserFactory(username="dep", role="deputy", region=district)
    _aged(deputy, 200)
    client = Client()
    sign_in(client, "dep")
    assert client.get(reverse("plans:plan_list")).status_code == 200


def test_reporters_are_staff_for_expiry(settings, district):
    settings.MINSHENG_MLPS = True
    reporter = UserFactory(
        username="rep", role="reporter", region=district, unit=UnitFactory(region=district)
    )
    _aged(reporter, 91)
    client = Client()
    sign_in(client, "rep")
    assert client.get(reverse("progress:inbox"))["Location"].startswith(reverse("accounts:password_change"))
