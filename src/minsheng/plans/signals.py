"""Events of the plan's life that apps above `plans` act on (they connect in their `AppConfig.ready`).

`plan_published(sender=Plan, plan=..., acting_user=...)` is sent inside the publishing transaction, so
whatever a receiver writes (e.g. the reporting periods) commits or rolls back with the publication.
Receivers write through their own services, which write their own audit rows.

`plan_imported(sender=Plan, plan=..., acting_user=..., created=...)` is sent by `interchange` inside the
transaction of an import that changed the plan (a new plan or a re-import with differences), after its
rows are written; e.g. `funds` takes the planned money of new items from the list's 投资 column.
"""

from __future__ import annotations

from django.dispatch import Signal

plan_published = Signal()
plan_imported = Signal()
