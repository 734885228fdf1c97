from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """Reporting periods, progress reports, review, evidence, extensions, item outcomes, snapshots."""

    name = "minsheng.progress"
    label = "progress"
    verbose_name = _("Progress reporting")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, PlanStep, nav_register, plan_step_register
        from minsheng.plans.signals import plan_published
        from minsheng.progress import policies, services, steps

        # A published plan can be reported on at once: its periods come with the publication.
        plan_published.connect(services.periods_on_publish, dispatch_uid="progress.periods_on_publish")

        nav_register(
            NavEntry(
                key="my_items",
                label=_("My items"),
                url_name="progress:inbox",
                visible=policies.uses_inbox,
                order=30,
                current=("progress:inbox", "progress:report"),
            )
        )
        nav_register(
            NavEntry(
                key="reporting",
                label=_("Reporting periods"),
                url_name="progress:inbox",
                visible=policies.uses_workbench,
                order=31,
                current=(
                    "progress:inbox",
                    "progress:settings",
                    "progress:sheet_upload",
                    "progress:extensions",
                ),
            )
        )
        nav_register(
            NavEntry(
                key="review",
                label=_("Review queue"),
                url_name="progress:queue",
                visible=policies.uses_queue,
                order=40,
                current=("progress:queue",),
            )
        )
        plan_step_register(PlanStep(key="periods", label=_("Periods"), order=40, state=steps.periods_state))
        plan_step_register(
            PlanStep(key="accounts", label=_("Accounts"), order=50, state=steps.accounts_state)
        )
        plan_step_register(
            PlanStep(key="reporting", label=_("Reporting"), order=60, state=steps.reporting_state)
        )
