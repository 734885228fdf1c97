from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    """Lists in and out: upload → parse → preview → commit, and export."""

    name = "minsheng.interchange"
    label = "interchange"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, PlanStep, nav_register, plan_step_register
        from minsheng.interchange.policies import can_import
        from minsheng.interchange.steps import import_state

        nav_register(
            NavEntry(
                key="import",
                label=_("Import"),
                url_name="interchange:import_upload",
                visible=can_import,
                order=70,
                current=("interchange",),
            )
        )
        plan_step_register(PlanStep(key="import", label=_("Import"), order=10, state=import_state))
