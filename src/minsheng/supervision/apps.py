from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """督办: supervision notices on lagging items and the lead units' replies."""

    name = "minsheng.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
