from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and e-mail reminders."""

    name = "minsheng.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register, signed_in
        from minsheng.notifications.selectors import unread_count_cached

        nav_register(
            NavEntry(
                key="notifications",
                label=_("Notifications"),
                url_name="notifications:notification_list",
                visible=signed_in,
                order=90,
                current=("notifications",),
                badge=unread_count_cached,
            )
        )
