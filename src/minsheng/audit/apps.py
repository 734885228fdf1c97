from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail: who changed what, when, before → after."""

    name = "minsheng.audit"
    label = "audit"
    verbose_name = _("Audit")
