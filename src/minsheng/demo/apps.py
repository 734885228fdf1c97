from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The one-command demo: Jintan 2024 list, demo accounts, dev server."""

    name = "minsheng.demo"
    label = "demo"
    verbose_name = _("Demo")
