from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """Regions and the units (departments, towns, companies) that carry out the projects."""

    name = "minsheng.orgs"
    label = "orgs"
    verbose_name = _("Organisations")
