from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and e-mail reminders."""

    name = "minsheng.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
