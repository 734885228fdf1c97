from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Expected progress by schedule (序时进度) and the status lights computed from approved reports."""

    name = "minsheng.alerts"
    label = "alerts"
    verbose_name = _("Status and warnings")

    def ready(self) -> None:
        # Stored lights follow every change that moves a light (alerts.signals).
        from django.db.models.signals import post_migrate

        from minsheng.alerts import signals
        from minsheng.alerts.maintenance import after_migrate

        signals.connect()
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="alerts-after-migrate")
