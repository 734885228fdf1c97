from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """Money of the items (资金): planned investment, funds in place and paid, the fund light."""

    name = "minsheng.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.funds import api, report, services, signals
        from minsheng.funds.policies import uses_funds
        from minsheng.plans.signals import plan_imported, plan_published

        signals.connect()
        report.register()  # fields on the report form, rows in the sheet (progress.addons)
        api.register()  # the items API's `funds`, the report API's funds_in_place / funds_paid
        plan_published.connect(services.planned_on_publish, dispatch_uid="funds.planned_on_publish")
        plan_imported.connect(services.planned_on_import, dispatch_uid="funds.planned_on_import")
        nav_register(
            NavEntry(
                key="funds",
                label=_("Funds"),
                url_name="funds:index",
                visible=uses_funds,
                order=45,
                current=("funds",),
            )
        )
