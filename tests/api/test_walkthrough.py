"""docs/api.md's Python walk-through, run as written against the API (token authentication)."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

from django.test import Client

from factories import PASSWORD
from minsheng.progress.models import ProgressReport
from progress.factories import World

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def doc_blocks() -> list[str]:
    """The Python blocks the doc marks as tested, in order (reporter's, then reviewer's)."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"<!-- tested:[^>]*-->\s*```python\n(.*?)```", text, flags=re.S)


def http_call(client: Client) -> Any:
    """The doc's `call` helper, over Django's test client instead of urllib."""

    def call(method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
        response = client.generic(
            method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )
        assert response.status_code < 400, (method, path, response.status_code, response.content.decode())
        return response.json()

    return call


def run_block(code: str, **names: Any) -> dict[str, Any]:
    namespace: dict[str, Any] = {"urllib": urllib, "json": json, **names}
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace


def test_doc_has_the_two_doc_blocks() -> None:
    assert len(doc_blocks()) == 2


def test_a_month_of_reporting_through_the_api(world: World, capsys: Any) -> None:
    second = world.add_item(targets=2, milestones=1)
    reporter_block, reviewer_block = doc_blocks()
    call = http_call(Client())
    numbers = {"改造老旧小区管网20公里": 8, "改造管网10公里": 4, "改造管网20公里": 5}

    done = run_block(
        reporter_block,
        call=call,
        USERNAME=world.reporter.username,
        PASSWORD=PASSWORD,
        YEAR=2024,
        MONTH=1,
        UNIT=world.lead.name,
        NUMBERS=numbers,
        STATES={"体育馆": "in_progress"},
    )
    assert len(done["submitted"]) == 2
    reports = ProgressReport.objects.filter(period=world.period(1)).order_by("item__position")
    assert [r.status for r in reports] == ["submitted", "submitted"]
    assert {v.target.quote: v.value for v in reports[1].target_values.select_related("target")} == {
        "改造管网10公里": 4,
        "改造管网20公里": 5,
    }

    # Running the script again changes nothing: the reports are already submitted.
    again = run_block(
        reporter_block,
        **{
            k: done[k] for k in ("call", "USERNAME", "PASSWORD", "YEAR", "MONTH", "UNIT", "NUMBERS", "STATES")
        },
    )
    assert again["submitted"] == []

    run_block(
        reviewer_block, call=call, USERNAME=world.reviewer.username, PASSWORD=PASSWORD, PLAN_ID=world.plan.pk
    )
    assert set(ProgressReport.objects.filter(period=world.period(1)).values_list("status", flat=True)) == {
        "approved"
    }

    # The approved values now show in the lights (as of the end of January).
    token = call("POST", "/api/auth/token/", {"username": world.leader.username, "password": PASSWORD})[
        "token"
    ]
    lights = call("GET", f"/api/items/?plan={world.plan.pk}&on=2024-01-31", token=token)["results"]
    by_id = {item["id"]: item for item in lights}
    first = by_id[world.item.pk]
    assert first["targets"][0]["reached"] == 8
    assert first["status"] == "on_track"
    assert 0 < first["completion"] < 1
    assert by_id[second.pk]["targets"][0]["reached"] == 4
    assert "reports submitted for 2024-01" in capsys.readouterr().out
