"""ORM or parameterised SQL only: ruff's S608 (SQL built from strings), S610 (`extra()`) and S611 (`RawSQL`)
find nothing beyond the one reviewed query, whose only formatted part is a quoted table name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Reviewed: the recursive region query formats `connection.ops.quote_name(Region._meta.db_table)` only;
# the region id is a bound parameter.
REVIEWED = {("src/minsheng/orgs/selectors.py", "S608")}


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
