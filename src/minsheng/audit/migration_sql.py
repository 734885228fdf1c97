"""What the audit migrations share: SQL written per database (the triggers that keep the audit table
append-only and its chain head moving)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import migrations


def _run_for_vendor(schema_editor: Any, statements: Mapping[str, Sequence[str]]) -> None:
    """Run the statements written for this database's vendor (``"sqlite"``, ``"postgresql"``); none for
    another."""
    for statement in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement, params=None)


def run_sql_for_vendor(
    forward: Mapping[str, Sequence[str]], backward: Mapping[str, Sequence[str]]
) -> migrations.RunPython:
    """A migration operation running `forward`'s statements for the database's vendor, and `backward`'s
    when it is unapplied."""

    def apply(apps: Any, schema_editor: Any) -> None:
        _run_for_vendor(schema_editor, forward)

    def revert(apps: Any, schema_editor: Any) -> None:
        _run_for_vendor(schema_editor, backward)

    return migrations.RunPython(apply, revert)
