from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearEndConfig(AppConfig):
    name = "minsheng.yearend"
    label = "yearend"
    verbose_name = _("Year end")

    def ready(self) -> None:
        from minsheng.alerts.selectors import final_results_register
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.yearend.lights import corrected_statuses
        from minsheng.yearend.policies import uses_year_end

        final_results_register(corrected_statuses)  # a corrected final result wins on every page

        nav_register(
            NavEntry(
                key="yearend",
                label=_("Year end"),
                url_name="yearend:index",
                visible=uses_year_end,
                order=65,
                current=("yearend",),
            )
        )
