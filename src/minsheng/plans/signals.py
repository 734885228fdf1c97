"""Events of the plan's life that apps above `plans` act on (they connect in their `AppConfig.ready`).

`plan_published(sender=Plan, plan=..., acting_user=...)` is sent inside the publishing transaction, so
whatever a receiver writes (e.g. the reporting periods) commits or rolls back with the publication.
Receivers write through their own services, which write their own audit rows.
"""

from __future__ import annotations

from django.dispatch import Signal

plan_published = Signal()
