"""`flush` empties every table, the audit trail included: allow it past the append-only triggers.

Emptying a whole database is a deliberate operator act (and what test teardown does); the chain head is
emptied with it, so a fresh chain starts from the genesis hash.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from minsheng.audit.services import purge_permitted


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with purge_permitted(options["database"]):
            super().handle(**options)
