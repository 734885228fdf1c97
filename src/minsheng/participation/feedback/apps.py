from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """公众评价: the public's rating of each item on the portal, and the office's comment moderation."""

    name = "minsheng.participation.feedback"
    label = "feedback"
    verbose_name = _("Public ratings")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.participation.feedback.policies import can_moderate_any
        from minsheng.participation.feedback.selectors import pending_count

        nav_register(
            NavEntry(
                key="feedback_moderation",
                label=_("Comment moderation"),
                url_name="feedback:moderation",
                visible=can_moderate_any,
                order=72,
                current=("feedback",),
                badge=lambda request: pending_count(request.user),
            )
        )
