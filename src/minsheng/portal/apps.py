from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "minsheng.portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        # Stored public pages go out of date on publish (a plan saved), on whatever moves a light
        # (approval, return, period closed, target edit, ending: alerts.signals), and whenever stored
        # lights are rebuilt (the daily tick) — portal.cache.
        from django.db.models.signals import post_delete, post_save

        from minsheng.alerts.lights import lights_stored
        from minsheng.orgs.models import Region
        from minsheng.plans.models import Plan, Project
        from minsheng.portal.cache import changed_on_commit, portal_changed

        def lights_moved(sender: Any, **kwargs: Any) -> None:
            portal_changed()

        def changed(sender: Any, **kwargs: Any) -> None:
            changed_on_commit()

        lights_stored.connect(lights_moved, dispatch_uid="portal-lights-moved", weak=False)
        # Region: its footer (主办单位) is on every page of the region.
        for model in (Plan, Project, Region):
            post_save.connect(
                changed, sender=model, dispatch_uid=f"portal-{model.__name__}-saved", weak=False
            )
            post_delete.connect(
                changed, sender=model, dispatch_uid=f"portal-{model.__name__}-gone", weak=False
            )
