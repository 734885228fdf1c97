"""`make lint` runs pip-audit when PyPI's vulnerability database answers, else says why it skipped.

pip-audit asks https://pypi.org/pypi/<name>/<version>/json per package; a mirror without that endpoint (or
no network) would make every package "not found", which is not an audit. Probe with Django first.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from importlib.metadata import version
from pathlib import Path

PROBE = f"https://pypi.org/pypi/django/{version('django')}/json"


def main() -> int:
    try:
        with urllib.request.urlopen(PROBE, timeout=10) as response:
            reachable = b'"vulnerabilities"' in response.read()
    except OSError as exc:
        print(f"pip-audit skipped: the vulnerability database is not reachable ({PROBE}: {exc})")
        return 0
    if not reachable:
        print(f"pip-audit skipped: {PROBE} does not list vulnerabilities (a mirror?)")
        return 0
    pip_audit = Path(sys.executable).with_name("pip-audit")
    return subprocess.call([str(pip_audit), "--skip-editable", "--progress-spinner", "off", "--strict"])


if __name__ == "__main__":
    sys.exit(main())
