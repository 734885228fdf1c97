"""Hypothesis over the POST endpoints of the HTML pages: whatever the fields hold, never a 500.

Every URL pattern outside the API and Django admin is posted to, with its ids taken from a small world
(a published plan, its item, periods, reports), by the office and by a reporter; the field names are
those of the project's forms (with and without their prefixes) plus the raw names views read.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from progress.factories import World, approved_report, filled_report

FORM_MODULES = ["accounts", "bulletins", "interchange", "orgs", "plans", "progress", "supervision"]
RAW_NAMES = [
    "action",
    "form",
    "target",
    "monthly",
    "value",
    "decision",
    "comment",
    "expected_version",
    "next",
    "progress",
    "problems",
    "next_steps",
    "text",
    "reason",
    "confirm",
    "plan",
    "period",
    "unit",
]
NASTY = [
    "",
    "abc",
    "-1",
    "0",
    "1.5",
    "1e999",
    "NaN",
    "2024-13-45",
    "9" * 30,
    "-" + "9" * 30,
    "<script>x</script>",
    "=HYPERLINK(1)",
    "a\x00b",
    "ok",
    "approve",
    "return",
    "submit",
    "save",
    "schedule",
    "2024-06-30",
]


def _form_field_names() -> list[str]:
    names: set[str] = set(RAW_NAMES)
    for app in FORM_MODULES:
        module = importlib.import_module(f"minsheng.{app}.forms")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names |= set(getattr(value, "base_fields", {}))
    return sorted(names)


def _post_patterns(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/", "i18n/")):
                continue
            found += _post_patterns(entry.url_patterns, route)
        else:
            found.append((route, entry))
    return found


ROUTES = [route for route, _ in _post_patterns(get_resolver().url_patterns)]
FIELDS = _form_field_names()
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=12), st.integers(-(2**70), 2**70).map(str))


def _fill(route: str, world: World, report: Any) -> str | None:
    """A concrete path: every converter gets a real id of the right kind (or any id for `pk`)."""
    ids = {
        "plan_id": world.plan.pk,
        "item_id": world.item.pk,
        "period_id": report.period.pk,
        "pk": report.pk,
        "fmt": "csv",
        "variant": "public",
        "size": "thumb",
    }
    path = route.replace("^", "").replace("$", "")
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        name = path[start + 1 : end].split(":")[-1]
        if name not in ids:
            return None
        path = path[:start] + str(ids[name]) + path[end + 1 :]
    return "/" + path


@pytest.fixture
def posted_world(world: World) -> tuple[World, Any]:
    approved_report(world, world.item, world.period(2), value="6")
    return world, filled_report(world, world.item, world.period(3))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "reporter"])
@pytest.mark.parametrize("route", ROUTES)
def test_form_posts_never_give_a_server_error(client, posted_world, route, who):
    world, report = posted_world
    path = _fill(route, world, report)
    if path is None:
        pytest.skip(f"no id for {route}")
    client.force_login(getattr(world, who))
    client.raise_request_exception = False
    prefixes = ["", f"item-{world.item.pk}-", f"target-{world.item.targets.get().pk}-"]

    @given(
        data=st.dictionaries(
            st.builds(lambda p, f: p + f, st.sampled_from(prefixes), st.sampled_from(FIELDS)),
            VALUES,
            max_size=8,
        )
    )
    @hypothesis_settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def post(data: dict[str, str]) -> None:
        response = client.post(path, data)
        assert response.status_code < 500, (path, data)

    post()
