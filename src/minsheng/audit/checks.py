"""System checks for the audit trail: retention may not drop below 180 days (网络安全法 Art. 21)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

MINIMUM_RETENTION_DAYS = 180


def retention_days() -> int:
    """Days audit rows stay in the database before `audit-archive` moves them to an archive file."""
    return int(getattr(settings, "MINSHENG_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))


@register()
def check_audit_retention(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if retention_days() < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"MINSHENG_AUDIT_RETENTION_DAYS is {retention_days()}; audit rows must be kept at least "
                f"{MINIMUM_RETENTION_DAYS} days.",
                id="minsheng.audit.E001",
            )
        ]
    return []
