from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "minsheng.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.dashboard.policies import can_use_dashboard

        nav_register(
            NavEntry(
                key="dashboard",
                label=_("Dashboard"),
                url_name="dashboard:overview",
                visible=can_use_dashboard,
                order=20,
                current=("dashboard",),
            )
        )
