from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who sign in, and their roles."""

    name = "minsheng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from minsheng.accounts import (
            checks,  # noqa: F401  (registers the production check)
            policies,
        )
        from minsheng.accounts.admin import audit_every_admin
        from minsheng.core.nav import NavEntry, nav_register

        # Admin modules are loaded by django.contrib.admin's ready(), which runs before this one.
        audit_every_admin(admin.site)
        nav_register(
            NavEntry(
                key="accounts",
                label=_("Accounts"),
                url_name="accounts:user_list",
                visible=policies.can_manage_accounts,
                order=150,
                current=("accounts:user_list", "accounts:user_create", "accounts:user_edit", "orgs"),
            )
        )
        nav_register(
            NavEntry(
                key="locks",
                label=_("Sign-in locks"),
                url_name="accounts:lock_list",
                visible=policies.can_manage_sign_in_locks,
                order=151,
                current=("accounts:lock_list",),
            )
        )
        nav_register(
            NavEntry(
                key="audit_trail",
                label=_("Audit trail"),
                url_name="accounts:audit_trail",
                visible=policies.can_read_audit_trail,
                order=152,
                current=("accounts:audit_trail",),
            )
        )
