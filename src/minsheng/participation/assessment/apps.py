from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """考核: each lead unit's year-end score from on-time reporting, completion, 督办, satisfaction, 整改."""

    name = "minsheng.participation.assessment"
    label = "assessment"
    verbose_name = _("Unit assessment")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.participation.assessment.policies import can_list_assessments

        nav_register(
            NavEntry(
                key="assessment",
                label=_("Assessment"),
                url_name="assessment:index",
                visible=can_list_assessments,
                order=74,
                current=("assessment",),
            )
        )
