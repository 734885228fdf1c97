from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks: base models and service errors."""

    name = "minsheng.core"
    label = "core"
    verbose_name = _("Core")
