"""Make sure Debian's chromium is present for the Playwright browser tests.

Playwright's own browser download does not work in locked-down networks, so the e2e tests drive the
system chromium (/usr/bin/chromium). This script installs it with apt when it is missing and we are
root; otherwise it says so, and the e2e tests skip with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

PACKAGES = ["chromium", "fonts-wqy-zenhei"]  # the font renders Chinese in screenshots


def main() -> int:
    if shutil.which("chromium") or os.path.exists("/usr/bin/chromium"):
        return 0
    if not shutil.which("apt-get") or os.geteuid() != 0:
        print(
            "chromium not found and cannot install it (needs root and apt-get): browser tests will be skipped"
        )
        return 0
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("installing chromium with apt-get for the browser tests …")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES], check=False, env=env
    )
    if result.returncode != 0:
        print("apt-get could not install chromium: browser tests will be skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
