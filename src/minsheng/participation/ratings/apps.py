from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """满意度测评 and 整改: deputies rate each project at year end; unsatisfactory ones are rectified."""

    name = "minsheng.participation.ratings"
    label = "ratings"
    verbose_name = _("Satisfaction rating")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.participation.ratings.policies import uses_ratings, uses_rectification

        nav_register(
            NavEntry(
                key="ratings",
                label=_("Satisfaction rating"),
                url_name="ratings:index",
                visible=uses_ratings,
                order=72,
                current=("ratings:index", "ratings:event_new", "ratings:event_detail"),
            )
        )
        nav_register(
            NavEntry(
                key="rectification",
                label=_("Rectification"),
                url_name="ratings:task_list",
                visible=uses_rectification,
                order=73,
                current=("ratings:task_list", "ratings:task_detail"),
            )
        )
