from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The annual list: plan, projects, items, units, targets, milestones."""

    name = "minsheng.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, PlanStep, nav_register, plan_step_register, signed_in
        from minsheng.plans import steps

        nav_register(
            NavEntry(
                key="plans",
                label=_("Plans"),
                url_name="plans:plan_list",
                visible=signed_in,
                order=10,
                current=("plans",),
            )
        )
        plan_step_register(PlanStep(key="check", label=_("Check"), order=20, state=steps.check_state))
        plan_step_register(PlanStep(key="publish", label=_("Publish"), order=30, state=steps.publish_state))
