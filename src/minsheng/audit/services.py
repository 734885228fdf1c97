"""Write audit rows. Services call `audit_record` inside their own transaction (never via signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from minsheng.audit.choices import Action
from minsheng.audit.middleware import current_request_id
from minsheng.audit.models import AuditEvent

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.plans.models import Plan

SYSTEM_ACTOR = "system"


def audit_record(
    *,
    actor: User | None,
    action: Action | str,
    obj: models.Model | None = None,
    plan: Plan | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Write one audit row: who (`actor`, None for the system), did what to which object, before → after."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR,
        request_id=current_request_id.get(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        plan=plan,
        before=before,
        after=after,
        message=message,
    )
