"""ORM or parameterised SQL only: ruff's S608 (SQL built from strings), S610 (`extra()`) and S611 (`RawSQL`)
find nothing beyond the reviewed queries, whose only formatted parts are quoted table and column names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Reviewed: each formats only table and column names from the models' `_meta`, quoted by
# `connection.ops.quote_name`, and binds every value as a parameter:
# - the recursive region query (the region id is a parameter; read with the user, a column reference);
# - the signed-in user's roles and unread count, read as subqueries with the user (accounts.backends,
#   notifications.selectors.unread_sql; the role names are parameters; no value is formatted in);
# - an object's children in one statement (core.children: table and column names and the columns' cast
#   types from `_meta`; the parent's id is a parameter).
REVIEWED = {
    ("src/minsheng/core/children.py", "S608"),
    ("src/minsheng/orgs/selectors.py", "S608"),
    ("src/minsheng/accounts/backends.py", "S608"),
    ("src/minsheng/accounts/backends.py", "S611"),
    ("src/minsheng/notifications/selectors.py", "S608"),
}


def test_no_sql_built_from_strings():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--select", "S608,S610,S611", "--output-format", "json", "--exit-zero", "src"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = {(str(Path(f["filename"]).relative_to(ROOT)), f["code"]) for f in json.loads(result.stdout)}
    assert found <= REVIEWED, found - REVIEWED
