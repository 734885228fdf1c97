from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks: base models, service errors and the navigation registry.

    (The Django admin link is registered by `accounts`, which decides who may use admin.)
    """

    name = "minsheng.core"
    label = "core"
    verbose_name = _("Core")
