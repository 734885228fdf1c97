from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks: base models, service errors and the navigation registry."""

    name = "minsheng.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from minsheng.core.nav import NavEntry, nav_register

        # Django admin admits staff accounts only; the link is shown to exactly those.
        nav_register(
            NavEntry(
                key="admin",
                label=_("Administration"),
                url_name="admin:index",
                visible=lambda user: bool(user.is_staff),
                order=200,
            )
        )
