"""Page benchmarks behind docs/benchmarks.md (`make bench`).

Builds the demo (the Jintan 2024 list with four months of reports) in a throw-away SQLite database, then
times the pages people open most, through Django's test client (no network, one process), and counts their
SQL queries. Prints a Markdown table of median times over several requests.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    home = tempfile.mkdtemp(prefix="minsheng-bench-")
    os.environ["MINSHENG_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    os.environ.setdefault("MINSHENG_DEMO_PASSWORD", "bench-demo-password-2024")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    from minsheng.plans.models import Plan

    start = time.perf_counter()
    call_command("demo", stdout=io.StringIO())  # the account listing is not wanted here
    setup = time.perf_counter() - start
    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import User

    plan = Plan.objects.get()
    reporter = User.objects.filter(groups__name=Role.REPORTER).order_by("username").first()
    pages = [
        ("public portal `/`", None, "/"),
        ("public plan page", None, f"/public/plans/{plan.pk}/"),
        ("plan detail (office)", "office", f"/plans/{plan.pk}/"),
        ("dashboard (leader)", "leader", f"/dashboard/?plan={plan.pk}"),
        ("review queue (reviewer)", "reviewer", "/progress/review/"),
        ("reporter inbox (a unit reporter)", reporter.username if reporter else "?", "/progress/"),
        ("API items with status", "office", f"/api/items/?plan={plan.pk}"),
    ]
    print(f"Demo set up in {setup:.1f} s (migrate, import, accounts, 4 months of reports).\n")
    print("| page | median | queries |")
    print("| --- | ---: | ---: |")
    password = os.environ["MINSHENG_DEMO_PASSWORD"]
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver"]):
        for label, user, url in pages:
            client = Client()
            if user and not client.login(username=user, password=password):
                print(f"| {label} | cannot sign in as {user} | |")
                continue
            response = client.get(url)
            if response.status_code != 200:
                print(f"| {label} | HTTP {response.status_code} | |")
                continue
            reset_queries()
            client.get(url)
            queries = len(connection.queries)
            times = []
            for _ in range(15):
                t0 = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - t0)
            print(f"| {label} | {statistics.median(times) * 1000:.1f} ms | {queries} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
