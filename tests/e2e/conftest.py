"""Browser tests: Playwright (Python, sync API) driving Debian's chromium against pytest-django's live server.

Run with `pytest -m e2e tests/e2e`. Set MINSHENG_SCREENSHOTS=1 to refresh docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: run `python scripts/ensure_chromium.py` (needs apt and root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    # The sync API runs an event loop in this thread; Django's ORM refuses that unless told otherwise.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots/ when MINSHENG_SCREENSHOTS=1, else a temporary folder."""
    if os.environ.get("MINSHENG_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


def sign_in(page: Any, base: str, username: str, password: str, next_url: str = "/") -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def docx_to_png(docx: Path, png: Path) -> bool:
    """Render the first page of a Word file (LibreOffice → PDF → PNG with pdfplumber); False when unavailable."""
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return False
    out = docx.parent
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
        check=True,
        capture_output=True,
        timeout=120,
        env=dict(os.environ, HOME=str(out)),
    )
    pdf = docx.with_suffix(".pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(png.with_suffix(""))], check=True
        )
        return True
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        document.pages[0].to_image(resolution=80).save(png)
    return True
