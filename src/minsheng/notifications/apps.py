from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and e-mail reminders."""

    name = "minsheng.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from minsheng.accounts.backends import user_field_register
        from minsheng.alerts.lights import lights_stored
        from minsheng.core.nav import NavEntry, nav_register, signed_in
        from minsheng.notifications.policies import can_list_webhooks
        from minsheng.notifications.selectors import UNREAD_FIELD, unread_count_cached, unread_sql
        from minsheng.notifications.services import red_lights_on_store

        lights_stored.connect(red_lights_on_store, dispatch_uid="notifications.red_lights")
        user_field_register(UNREAD_FIELD, unread_sql)

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
        nav_register(
            NavEntry(
                key="robots",
                label=_("Group robots"),
                url_name="notifications:robot_list",
                visible=can_list_webhooks,
                order=149,
                current=("notifications:robot_list", "notifications:robot_edit"),
            )
        )
