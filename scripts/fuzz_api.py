"""Schemathesis over the whole REST API on the demo data: many requests, then a table of status codes.

    .venv/bin/python scripts/fuzz_api.py [--examples 350]

Builds the demo (Jintan 2024, four months of reports) in a throw-away SQLite database, signs in as the
office with an API token and sends `--examples` generated requests per operation (valid and invalid
inputs) through the WSGI app. Exit status 1 if any response is a 5xx. docs/security.md records a run.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=350, help="generated requests per operation")
    args = parser.parse_args(argv)
    os.environ["MINSHENG_HOME"] = tempfile.mkdtemp(prefix="minsheng-fuzz-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    os.environ.setdefault("MINSHENG_RATE_LIMIT", "0")  # one client, thousands of requests
    os.environ.setdefault("MINSHENG_DEMO_PASSWORD", "fuzz-demo-password-2024")
    import django

    django.setup()
    import schemathesis
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from rest_framework.authtoken.models import Token

    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import User

    logging.disable(logging.WARNING)  # one "Not Found" line per request would drown the table
    settings.MINSHENG_API_SIGN_IN_RATE = None  # the fuzzer is one client sending thousands of requests
    call_command("demo", stdout=io.StringIO())
    office = User.objects.filter(groups__name=Role.OFFICE).order_by("username").first()
    assert office is not None
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=office)[0].key}"}
    app = get_wsgi_application()
    raw = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(raw)
    codes: collections.Counter[int] = collections.Counter()
    errors: list[str] = []
    start = time.perf_counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=args.examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            response = case.call(app=app, headers=headers)
            codes[response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:200]}")

        run()
    seconds = time.perf_counter() - start
    total = sum(codes.values())
    print(f"{total} requests over {operations} operations in {seconds:.0f} s")
    print("| status | requests |\n|---|---|")
    for code, count in sorted(codes.items()):
        print(f"| {code} | {count} |")
    for line in errors[:20]:
        print("5xx:", line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
