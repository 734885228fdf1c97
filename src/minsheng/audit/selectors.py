"""Read audit rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q, QuerySet

from minsheng.audit.models import AuditEvent


def events_about(objects: Iterable[models.Model]) -> QuerySet[AuditEvent]:
    """Audit rows about any of `objects` (matched by model label and primary key), newest first."""
    ids: dict[str, list[str]] = {}
    for obj in objects:
        ids.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    about = Q(pk__in=[])
    for object_type, object_ids in ids.items():
        about |= Q(object_type=object_type, object_id__in=object_ids)
    return AuditEvent.objects.filter(about).order_by("-time", "-pk")
