from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """督办: supervision notices on lagging items and the lead units' replies."""

    name = "minsheng.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.supervision.policies import can_list_notices

        nav_register(
            NavEntry(
                key="notices",
                label=_("Supervision notices"),
                url_name="supervision:notice_list",
                visible=can_list_notices,
                order=50,
                current=("supervision",),
            )
        )
