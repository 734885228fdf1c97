"""`minsheng synth`: a province of different districts for load tests, with its lights stored."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.alerts.models import Light, LightKind
from minsheng.plans.models import Item, Plan
from minsheng.progress.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_districts_differ_and_their_lights_are_stored() -> None:
    out = io.StringIO()
    call_command("synth", "--districts", "4", "--year", "2024", stdout=out)
    assert "4 districts added" in out.getvalue()
    plans = list(Plan.objects.filter(region__parent__name="合成市"))
    assert len(plans) == 4
    sizes = {Item.objects.filter(project__plan=p).count() for p in plans}
    assert len(sizes) > 1  # not copies
    statuses = set(ProgressReport.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "returned"} <= statuses
    assert Light.objects.filter(kind=LightKind.PLAN).count() == 4
    lights = set(Light.objects.filter(kind=LightKind.ITEM).values_list("status", flat=True))
    assert len(lights) >= 3  # lagging, on track, done …
    call_command("synth", "--districts", "1", "--months", "5", "--year", "2024", stdout=io.StringIO())
    assert Plan.objects.filter(region__parent__name="合成市").count() == 5


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(CommandError, match="--months"):
        call_command("synth", "--districts", "1", "--months", "13", stdout=io.StringIO())
