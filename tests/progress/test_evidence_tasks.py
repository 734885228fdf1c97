"""A photo's clean copy and thumbnail are made by the task runner (progress.tasks): the report shows
"preparing…" until they exist, a failure is recorded and shown, nothing is half-saved, and sending the
same file again retries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minsheng.progress import services
from minsheng.progress.choices import EvidenceState
from minsheng.progress.models import Evidence
from progress.factories import World, filled_report, jpeg_with_gps

# Queued tasks are kept, not run: what a database backend does until a worker picks them up.
DEFERRED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def report(world: World) -> Any:
    return filled_report(world, world.item, world.period(3))


def _send(world: World, report: Any, name: str, data: bytes) -> Evidence:
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return services.evidence_add(acting_user=world.reporter, report=report, upload=upload)


def _page(world: World) -> str:
    client = Client()
    client.force_login(world.reporter)
    response = client.get(f"/progress/items/{world.item.pk}/periods/{world.period(3).pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_queued_photo_shows_preparing_then_its_copies(world: World, report: Any, settings: Any) -> None:
    settings.TASKS = DEFERRED
    settings.LANGUAGE_CODE = "en"
    evidence = _send(world, report, "现场.jpg", jpeg_with_gps())
    assert evidence.state == EvidenceState.PROCESSING
    assert not evidence.public_copy and not evidence.thumbnail
    assert len(media_files(settings)) == 1  # the original only
    client = Client()
    client.force_login(world.reporter)
    assert client.get(f"/progress/evidence/{evidence.pk}/thumb/").status_code == 404
    assert "preparing the photo" in _page(world)

    done = services.evidence_copies_make(evidence_id=evidence.pk)  # what the worker runs
    assert done is not None and done.state == EvidenceState.READY
    assert done.public_copy and done.thumbnail
    assert len(media_files(settings)) == 3
    assert client.get(f"/progress/evidence/{evidence.pk}/thumb/").status_code == 200
    assert "preparing the photo" not in _page(world)
    # A second run (a duplicate task) changes nothing.
    assert services.evidence_copies_make(evidence_id=evidence.pk).state == EvidenceState.READY  # type: ignore[union-attr]
    assert len(media_files(settings)) == 3


def test_a_photo_that_cannot_be_prepared_records_the_error_and_leaves_no_copy(
    world: World, report: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    good = jpeg_with_gps((400, 300))
    broken = good[: len(good) // 2]  # a readable header, the picture cut off
    evidence = _send(world, report, "半张.jpg", broken)  # immediate backend: the task ran
    assert evidence.state == EvidenceState.FAILED
    assert "damaged" in evidence.error
    assert not evidence.public_copy and not evidence.thumbnail
    assert len(media_files(settings)) == 1  # the original, kept for the office; no half-made copy
    page = _page(world)
    assert "could not be prepared" in page and "Send the same file again" in page

    # Sending the same file again retries (here it fails the same way, and says so again).
    again = _send(world, report, "半张.jpg", broken)
    assert again.pk == evidence.pk and again.state == EvidenceState.FAILED
    assert Evidence.objects.filter(report=report).count() == 1
    assert len(media_files(settings)) == 1


def test_a_retry_after_the_cause_is_fixed_makes_the_copies(world: World, report: Any, settings: Any) -> None:
    settings.TASKS = DEFERRED
    data = jpeg_with_gps()
    evidence = _send(world, report, "现场.jpg", data)
    # The worker could not read the stored original (say, the object store was down): recorded.
    Evidence.objects.filter(pk=evidence.pk).update(state=EvidenceState.FAILED, error="OSError: store down")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    retried = _send(world, report, "现场.jpg", data)
    assert retried.pk == evidence.pk
    assert retried.state == EvidenceState.READY and retried.error == ""
    assert retried.public_copy and retried.thumbnail


def test_the_review_queue_names_a_photo_still_being_prepared(
    world: World, report: Any, settings: Any
) -> None:
    settings.TASKS = DEFERRED
    settings.LANGUAGE_CODE = "en"
    _send(world, report, "现场.jpg", jpeg_with_gps())
    services.report_submit(acting_user=world.reporter, report=report)
    client = Client()
    client.force_login(world.reviewer)
    page = client.get(f"/progress/review/?plan={world.plan.pk}").content.decode()
    assert "现场.jpg" in page and "being prepared" in page
