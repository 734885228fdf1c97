"""三权分立: three administrators, never two on one account; only the system administrator is staff;
`minsheng check` refuses everyday superusers, stray staff and demo accounts in production."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from factories import UserFactory
from minsheng.accounts.admin import AccountChangeForm
from minsheng.accounts.models import User
from minsheng.accounts.services import role_groups_ensure, user_save, user_upsert
from minsheng.core.exceptions import NotAllowed, ValidationFailed

pytestmark = pytest.mark.django_db
GOOD = "Lanterns-over-the-river-9"


@pytest.mark.parametrize(
    "roles",
    [
        ["system_admin", "security_admin"],
        ["system_admin", "audit_admin"],
        ["security_admin", "audit_admin"],
        ["system_admin", "security_admin", "audit_admin"],
    ],
)
def test_two_administrator_roles_are_refused(roles):
    with pytest.raises(ValidationFailed, match="three administrators must be different people"):
        user_save(acting_user=None, user=None, username="boss", roles=roles, password=GOOD)
    assert not User.objects.filter(username="boss").exists()


def test_an_administrator_role_cannot_be_added_to_another():
    user = user_save(acting_user=None, user=None, username="sec", roles=["security_admin"], password=GOOD)
    with pytest.raises(ValidationFailed, match="cannot be both"):
        user_save(acting_user=None, user=user, roles=["security_admin", "audit_admin"])
    assert {g.name for g in User.objects.get(pk=user.pk).groups.all()} == {"security_admin"}


def test_admin_form_refuses_two_administrator_roles():
    groups = role_groups_ensure()
    user = UserFactory(username="mixed")
    form = AccountChangeForm(
        instance=user,
        data={
            "username": "mixed",
            "groups": [groups["system_admin"].pk, groups["audit_admin"].pk],
            "date_joined": "2026-01-01 00:00:00",
            "is_active": "on",
            "password_changed_at": "2026-01-01 00:00:00",
        },
    )
    assert not form.is_valid()
    assert "two administrator roles" in str(form.errors["groups"])


def test_office_may_not_make_administrators(district, office):
    with pytest.raises(NotAllowed, match="may not give the role"):
        user_save(
            acting_user=office,
            user=None,
            username="x",
            roles=["system_admin"],
            region=district,
            password=GOOD,
        )
    assert not User.objects.filter(username="x").exists()


def _check_ids(settings) -> set[str]:
    settings.MINSHENG_PRODUCTION = True
    try:
        call_command("check")
    except SystemCheckError as exc:
        return {code for code in ("E001", "E002", "E003", "E004") if f"accounts.{code}" in str(exc)}
    return set()


def test_check_passes_on_a_clean_production_database(settings, district):
    user_upsert(acting_user=None, username="wang.sys", role="system_admin", password=GOOD)
    user_upsert(acting_user=None, username="li.office", role="office", password=GOOD, region=district)
    User.objects.create_superuser("breakglass-7f3", password=GOOD)  # no roles: allowed
    assert _check_ids(settings) == set()


def test_check_is_quiet_outside_production(settings, district):
    UserFactory(username="admin", is_superuser=True, is_staff=True, role="office")
    settings.MINSHENG_PRODUCTION = False
    call_command("check")  # the demo and development keep their accounts without an error


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: UserFactory(username="zhao", role="office", is_superuser=True), "E001"),
        (lambda: UserFactory(username="qian", role="office", is_staff=True), "E002"),
        (lambda: UserFactory(username="admin", role="reviewer"), "E003"),
        (lambda: UserFactory(username="reporter12", role="reporter"), "E003"),
        (lambda: UserFactory(username="office", role="office"), "E003"),
    ],
)
def test_check_fails_in_production(settings, district, make, code):
    make()
    assert code in _check_ids(settings)


def test_check_finds_two_administrator_roles_made_behind_the_service(settings):
    groups = role_groups_ensure()
    user = UserFactory(username="sun")
    user.groups.add(groups["system_admin"], groups["audit_admin"])
    assert "E004" in _check_ids(settings)


def test_minsheng_check_fails_on_a_production_database_with_demo_accounts(tmp_path):
    """The real command, with production settings, on a migrated database holding the demo's `office`."""
    import os
    import subprocess
    import sys

    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "MINSHENG_HOME": str(tmp_path),
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "minsheng.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }

    def minsheng(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "minsheng", *args, "--settings=minsheng.settings.production"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    assert minsheng("migrate", "-v", "0").returncode == 0
    assert minsheng("check").returncode == 0
    added = minsheng("adduser", "office", "--role", "office", "--password", GOOD)
    assert added.returncode == 0, added.stderr
    result = minsheng("check")
    assert result.returncode != 0
    assert "accounts.E003" in result.stderr and "'office'" in result.stderr
