from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who sign in, and their roles."""

    name = "minsheng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
