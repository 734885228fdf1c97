from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "minsheng.portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        # Stored public pages go out of date on publish (a plan saved), approval and return (a report
        # leaving draft), a period closed, and whenever stored lights are rebuilt (portal.cache).
        from django.db.models.signals import post_delete, post_save

        from minsheng.alerts.lights import lights_stored
        from minsheng.plans.models import Plan
        from minsheng.portal.cache import changed_on_commit, portal_changed
        from minsheng.progress.choices import ReportStatus
        from minsheng.progress.models import Period, ProgressReport

        def lights_moved(sender: Any, **kwargs: Any) -> None:
            portal_changed()

        def saved(sender: Any, instance: Any, **kwargs: Any) -> None:
            if sender is ProgressReport and instance.status == ReportStatus.DRAFT:
                return
            changed_on_commit()

        lights_stored.connect(lights_moved, dispatch_uid="portal-lights-moved", weak=False)
        for model in (Plan, ProgressReport, Period):
            post_save.connect(saved, sender=model, dispatch_uid=f"portal-{model.__name__}-saved", weak=False)
            post_delete.connect(saved, sender=model, dispatch_uid=f"portal-{model.__name__}-gone", weak=False)
