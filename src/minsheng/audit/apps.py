from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_purge_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The SQLite delete trigger asks `minsheng_audit_purge()`: true only inside `purge_permitted`.

    The sqlite3 shell lacks the function, so a DELETE typed there fails as well.
    """
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "minsheng_audit_purge", 0, lambda: int(getattr(connection, "minsheng_audit_purge", False))
    )


class AuditConfig(AppConfig):
    """Audit trail: who changed what, when, before → after."""

    name = "minsheng.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_purge_function, dispatch_uid="minsheng_audit_purge")
        from minsheng.audit import checks  # noqa: F401  (registers the retention check)
