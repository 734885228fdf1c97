"""What the audit migrations share: SQL written per database (the triggers that keep the audit table
append-only and its chain head moving)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def run_for_vendor(schema_editor: Any, statements: Mapping[str, Sequence[str]]) -> None:
    """Run the statements written for this database's vendor (``"sqlite"``, ``"postgresql"``); none for
    another."""
    for statement in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement, params=None)
