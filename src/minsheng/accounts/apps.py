from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who sign in, and their roles."""

    name = "minsheng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from minsheng.accounts import (
            checks,  # noqa: F401  (registers the production check)
            policies,
        )
        from minsheng.accounts.admin import audit_every_admin
        from minsheng.accounts.middleware import session_started
        from minsheng.core.nav import NavEntry, nav_register

        user_logged_in.connect(session_started, dispatch_uid="minsheng.accounts.session_started")
        # Admin modules are loaded by django.contrib.admin's ready(), which runs before this one.
        audit_every_admin(admin.site)
        pages = (
            # key, label, URL name, who sees it, the URL names that mark it current
            (
                "accounts",
                _("Accounts"),
                "accounts:user_list",
                policies.can_manage_accounts,
                ("accounts:user_list", "accounts:user_create", "accounts:user_edit", "orgs"),
            ),
            (
                "locks",
                _("Sign-in locks"),
                "accounts:lock_list",
                policies.can_manage_sign_in_locks,
                ("accounts:lock_list", "accounts:security_settings"),
            ),
            (
                "audit_trail",
                _("Audit trail"),
                "accounts:audit_trail",
                policies.can_read_audit_trail,
                ("accounts:audit_trail",),
            ),
            # Django admin: the system administrator only (it answers 404 to everyone else).
            ("admin", _("Administration"), "admin:index", policies.can_use_django_admin, ()),
        )
        for order, (key, label, url_name, visible, current) in enumerate(pages, start=150):
            nav_register(
                NavEntry(
                    key=key, label=label, url_name=url_name, visible=visible, order=order, current=current
                )
            )
