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
        from minsheng.alerts.labels import light_colour, light_word
        from minsheng.alerts.lights import item_lights
        from minsheng.alerts.maintenance import after_migrate
        from minsheng.alerts.selectors import item_statuses
        from minsheng.alerts.services import period_close, periods_close_due
        from minsheng.alerts.status import Status
        from minsheng.progress import providers

        signals.connect()
        # progress shows lights and closes periods without importing alerts (no cycle).
        providers.register(
            providers.Provider(
                item_lights=item_lights,
                item_statuses=item_statuses,
                light_values=tuple(s.value for s in Status),
                period_close=period_close,
                periods_close_due=periods_close_due,
                light_word=light_word,
                light_colour=light_colour,
            )
        )
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="alerts-after-migrate")
