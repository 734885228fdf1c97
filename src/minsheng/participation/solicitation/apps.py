from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolicitationConfig(AppConfig):
    """征集: candidate projects proposed by the public and by units, screened by the office."""

    name = "minsheng.participation.solicitation"
    label = "solicitation"
    verbose_name = _("Project solicitation")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.participation.solicitation.policies import can_manage_solicitations

        nav_register(
            NavEntry(
                key="solicitation",
                label=_("Project solicitation"),
                url_name="solicitation:manage",
                visible=can_manage_solicitations,
                order=70,
                current=("solicitation",),
            )
        )
