"""`Idempotency-Key` on the API: a replayed POST makes one row and gets the same answer."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.authtoken.models import Token

from minsheng.core.models import IdempotencyKey
from minsheng.progress.models import ProgressReport
from progress.factories import World, build_world

pytestmark = pytest.mark.django_db


def _body(world: World, value: int = 8) -> str:
    target = world.item.targets.get()
    return json.dumps(
        {
            "item": world.item.pk,
            "period": world.period(3).pk,
            "target_values": [{"target": target.pk, "value": value}],
            "progress": "完成管网改造",
        }
    )


def _post(world: World, key: str | None, body: str) -> Any:
    token = Token.objects.get_or_create(user=world.reporter)[0].key
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post("/api/reports/", body, content_type="application/json", **headers)


def test_a_replay_gets_the_same_answer_and_makes_no_second_row(world):
    first = _post(world, "k-2024-03", _body(world))
    again = _post(world, "k-2024-03", _body(world))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ProgressReport.objects.count() == 1


def test_the_same_key_for_another_request_is_a_422(world):
    _post(world, "k1", _body(world))
    other = _post(world, "k1", _body(world, value=9))
    assert other.status_code == 422
    assert ProgressReport.objects.get().target_values.get().value == 8


def test_without_a_key_nothing_changes(world):
    assert _post(world, None, _body(world)).status_code == 201
    assert _post(world, None, _body(world)).status_code in (400, 409)  # the report exists already
    assert not IdempotencyKey.objects.exists()


def test_keys_of_different_clients_do_not_meet(world):
    _post(world, "shared", _body(world))
    other = Client().post(
        "/api/reports/",
        _body(world),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=world.office)[0].key}",
        HTTP_IDEMPOTENCY_KEY="shared",
    )
    assert "Idempotent-Replayed" not in other


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_replays_make_one_row(district):
    if connection.vendor == "sqlite":
        pytest.skip("threads cannot share SQLite's in-memory test database")
    world = build_world(district)
    body = _body(world)
    Token.objects.get_or_create(user=world.reporter)
    codes: list[int] = []

    def post() -> None:
        try:
            codes.append(_post(world, "burst", body).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ProgressReport.objects.count() == 1
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}
