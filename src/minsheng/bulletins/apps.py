from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "minsheng.bulletins"
    verbose_name = _("Bulletins")

    def ready(self) -> None:
        from minsheng.bulletins.policies import can_list_bulletins
        from minsheng.core.nav import NavEntry, nav_register

        nav_register(
            NavEntry(
                key="bulletins",
                label=_("Bulletins"),
                url_name="bulletins:index",
                visible=can_list_bulletins,
                order=60,
                current=("bulletins",),
            )
        )
