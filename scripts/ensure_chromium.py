"""Make sure Debian's chromium (and a CJK font) are present for the browser and PDF tests.

Playwright's own browser download does not work in locked-down networks, so the e2e tests drive the
system chromium (/usr/bin/chromium). This script installs it with apt when it is missing and we are
root; otherwise it says so, and the e2e tests skip with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# The browser, and a CJK font that renders Chinese in screenshots and in the test PDFs.
NEEDED = {
    "chromium": "/usr/bin/chromium",
    "fonts-wqy-zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}


def main() -> int:
    missing = [package for package, path in NEEDED.items() if not os.path.exists(path)]
    if not missing:
        return 0
    if not shutil.which("apt-get") or os.geteuid() != 0:
        print(
            f"{', '.join(missing)} missing and cannot be installed (needs root and apt-get): tests needing them skip"
        )
        return 0
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print(f"installing {', '.join(missing)} with apt-get for the browser and PDF tests …")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=False, env=env
    )
    if result.returncode != 0:
        print(f"apt-get could not install {', '.join(missing)}: tests needing them skip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
