"""Time the warm review queue and reporter inbox in-process (issue 11, third round; docs/benchmarks.md).

Run against a COPY of a `minsheng synth` database (it adds three users, as bench/loadtest_prepare.py does):

    source /tmp/p100/env.sh   # MINSHENG_HOME, DJANGO_SETTINGS_MODULE=loadtest_settings, PYTHONPATH
    MINSHENG_HOME=/tmp/copy .venv/bin/python bench/queue_inbox_inprocess.py [requests=20] [profile]

Pages: the queue of the reviewer of the first plan's district and of a reviewer of the whole city
(synth-9901), and the inbox of a reporter of that plan's first lead unit. Each page is requested once to
fill the shared cache, once to count its queries, then `requests` times: the median is printed.
"""

from __future__ import annotations

import statistics
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from minsheng.accounts.models import User  # noqa: E402
from minsheng.accounts.services import user_upsert  # noqa: E402
from minsheng.orgs.models import Region  # noqa: E402
from minsheng.plans.choices import UnitRole  # noqa: E402
from minsheng.plans.models import ItemUnit, Plan  # noqa: E402

PASSWORD = "Load-test-2024!"


def _user(username: str, role: str, region: Region, unit: object = None) -> User:
    found = User.objects.filter(username=username).first()
    return found or user_upsert(
        acting_user=None, username=username, role=role, region=region, unit=unit, password=PASSWORD
    )


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    profile = len(sys.argv) > 2
    city = Region.objects.get(code="synth-9901")
    plan = Plan.objects.filter(region__parent=city).order_by("pk").first()
    assert plan is not None
    lead = ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).order_by("pk").first()
    assert lead is not None
    pages = [
        (
            "queue (city reviewer)",
            f"/progress/review/?plan={plan.pk}",
            _user("loadcityreviewer", "reviewer", city),
        ),
        ("queue", f"/progress/review/?plan={plan.pk}", _user("loadreviewer", "reviewer", plan.region)),
        ("inbox", f"/progress/?plan={plan.pk}", _user("loadreporter", "reporter", plan.region, lead.unit)),
    ]
    for name, url, user in pages:
        client = Client()
        client.force_login(user)
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        queries = len(ctx.captured_queries)  # read now: the next request clears the log
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{name}: median {statistics.median(times):.1f} ms, {queries} queries, {len(first.content)} bytes"
        )


if __name__ == "__main__":
    main()
