from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """视察 and 询问: deputies inspect items and question their units during the year."""

    name = "minsheng.participation.inspections"
    label = "inspections"
    verbose_name = _("Inspections and questions")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.participation.inspections.policies import answers_questions, uses_inspections

        nav_register(
            NavEntry(
                key="inspections",
                label=_("Inspections and questions"),
                url_name="inspections:index",
                visible=uses_inspections,
                order=71,
                current=("inspections:index", "inspections:inspection_new", "inspections:inspection_detail"),
            )
        )
        nav_register(
            NavEntry(
                key="questions",
                label=_("Questions to answer"),
                url_name="inspections:questions",
                visible=answers_questions,
                order=71,
                current=("inspections:questions", "inspections:question_detail"),
            )
        )
