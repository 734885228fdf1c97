"""Schemathesis over the whole OpenAPI schema, signed in as the office: no generated input gives a 500.

Bounded to a few examples per operation so the suite stays quick; `scripts/fuzz_api.py` runs the same
over the demo data with ≥ 10,000 requests (figures in docs/security.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token

from progress.factories import World, approved_report

APP = get_wsgi_application()
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection after each WSGI request; the test client stops that, and so
    must a raw WSGI call, or the test's transaction (PostgreSQL) would go with it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(world: World) -> str:
    approved_report(world, world.item, world.period(2), value="6")
    return Token.objects.get_or_create(user=world.office)[0].key


@schema.parametrize()
@hypothesis_settings(
    max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
@pytest.mark.django_db
def test_no_input_gives_a_server_error(case: Any, office_token: str) -> None:
    response = case.call(app=APP, headers={"Authorization": f"Token {office_token}"})
    assert response.status_code < 500, (
        case.method,
        case.formatted_path,
        case.query,
        case.body,
        response.text[:300],
    )
