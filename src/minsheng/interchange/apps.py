from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    """Lists in and out: upload → parse → preview → commit, and export."""

    name = "minsheng.interchange"
    label = "interchange"
    verbose_name = _("Import and export")
