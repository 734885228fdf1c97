"""Inspections (视察) and questions (询问): who may record, photo checks, answers, the item's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from factories import PASSWORD, RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.notifications.models import Notification
from minsheng.participation.inspections import services
from minsheng.participation.inspections.models import Inspection, InspectionPhoto, Question
from progress.factories import jpeg_with_gps

pytestmark = pytest.mark.django_db


def photo(name="visit.jpg", data=None):
    return SimpleUploadedFile(name, data or jpeg_with_gps(), content_type="image/jpeg")


def record(world, **extra):
    args = {
        "acting_user": world.deputy,
        "plan": world.plan,
        "visited_on": timezone.localdate(),
        "items": [world.item],
        "findings": "现场施工有序，管网已铺设过半。",
    }
    return services.inspection_record(**{**args, **extra})


def test_a_deputy_records_an_inspection_with_a_clean_photo(world):
    inspection = record(world, photos=[photo()])
    stored = InspectionPhoto.objects.get(inspection=inspection)
    public = stored.public_copy.read()
    assert b"PhoneCam" not in public and b"PhoneCam" in stored.original.read()
    with Image.open(stored.public_copy.path) as image:
        assert not image.getexif()
    assert list(inspection.items.all()) == [world.item]
    assert AuditEvent.objects.filter(message="deputy recorded an inspection").count() == 1


def test_bad_input_is_refused_and_stores_nothing(world, district, settings):
    with pytest.raises(ValidationFailed, match="future"):
        record(world, visited_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationFailed, match="findings"):
        record(world, findings="  ")
    with pytest.raises(ValidationFailed, match="at least one item"):
        record(world, items=[])
    with pytest.raises(ValidationFailed, match="script"):
        record(world, photos=[photo(), photo("evil.jpg", b"\xff\xd8\xff<script>alert(1)</script>")])
    settings.MINSHENG_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationFailed, match="limit"):
        record(world, photos=[photo()])
    assert not Inspection.objects.exists() and not InspectionPhoto.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_only_deputies_of_the_region_record_and_ask(world, district):
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    stranger = UserFactory(username="ly-deputy", role="deputy", region=elsewhere)
    for user in (stranger, world.reporter, world.office, world.leader):
        with pytest.raises(NotAllowed):
            record(world, acting_user=user)
        with pytest.raises(NotAllowed):
            services.question_ask(acting_user=user, item=world.item, unit=world.lead, text="?")
    assert not Inspection.objects.exists() and not Question.objects.exists()


def test_a_question_goes_to_a_unit_of_the_item_which_answers_once(world):
    with pytest.raises(ValidationFailed, match="lead or partner"):
        services.question_ask(acting_user=world.deputy, item=world.item, unit=world.other, text="何时完工？")
    question = services.question_ask(
        acting_user=world.deputy, item=world.item, unit=world.lead, text="何时完工？"
    )
    assert Notification.objects.filter(
        user=world.reporter, link__endswith=f"/questions/{question.pk}/"
    ).exists()
    with pytest.raises(NotAllowed):
        services.question_answer(acting_user=world.partner_reporter, question=question, text="不是我们")
    services.question_answer(acting_user=world.reporter, question=question, text="预计11月底完工。")
    question.refresh_from_db()
    assert question.answered and question.answered_by == world.reporter
    assert Notification.objects.filter(
        user=world.deputy, link__endswith=f"/questions/{question.pk}/"
    ).exists()
    with pytest.raises(Conflict):
        services.question_answer(acting_user=world.reporter, question=question, text="再答")


def test_both_appear_on_the_item_timeline_and_public_only_when_marked(client, world):
    inspection = record(world, photos=[photo()])
    question = services.question_ask(
        acting_user=world.deputy, item=world.item, unit=world.lead, text="何时完工？"
    )
    services.question_answer(acting_user=world.reporter, question=question, text="预计11月底完工。")
    client.login(username=world.leader.username, password=PASSWORD)
    page = client.get(reverse("progress:timeline", args=[world.item.pk])).content.decode()
    assert "现场施工有序" in page and "何时完工？" in page and "预计11月底完工。" in page
    client.logout()
    portal = reverse("portal:item", args=[world.item.pk])
    thumb = reverse("inspections:photo", args=[inspection.photos.get().pk, "thumb"])
    assert "现场施工有序" not in client.get(portal).content.decode()
    assert client.get(thumb).status_code == 404
    services.inspection_set_public(acting_user=world.office, inspection=inspection, public=True)
    assert "现场施工有序" in client.get(portal).content.decode()
    assert "何时完工？" not in client.get(portal).content.decode()  # questions stay internal
    assert client.get(thumb).status_code == 200
    original = reverse("inspections:photo", args=[inspection.photos.get().pk, "original"])
    assert client.get(original).status_code == 404
    with pytest.raises(NotAllowed):
        services.inspection_set_public(acting_user=world.deputy, inspection=inspection, public=False)


def test_a_deputy_of_another_district_sees_nothing(client, world, district):
    inspection = record(world, photos=[photo()])
    question = services.question_ask(
        acting_user=world.deputy, item=world.item, unit=world.lead, text="何时完工？"
    )
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    UserFactory(username="ly-deputy", role="deputy", region=elsewhere)
    client.login(username="ly-deputy", password=PASSWORD)
    for url in (
        reverse("inspections:inspection_detail", args=[inspection.pk]),
        reverse("inspections:question_detail", args=[question.pk]),
        reverse("inspections:photo", args=[inspection.photos.get().pk, "thumb"]),
        reverse("inspections:inspection_new", args=[world.plan.pk]),
        reverse("inspections:question_new", args=[world.item.pk]),
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("inspections:index")).content.decode()
    assert "现场施工有序" not in listing and "何时完工？" not in listing


def post_inspection(client, world, upload):
    """The deputy's inspection form, sent with today's date, the world's item and one photo."""
    return client.post(
        reverse("inspections:inspection_new", args=[world.plan.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "items": [world.item.pk],
            "findings": "路面已修复",
            "photos": [upload],
        },
    )


def test_the_deputy_records_and_the_unit_answers_through_the_pages(client, world):
    client.login(username=world.deputy.username, password=PASSWORD)
    response = post_inspection(client, world, photo())
    assert response.status_code == 302
    assert Inspection.objects.get().photos.count() == 1
    response = client.post(
        reverse("inspections:question_new", args=[world.item.pk]),
        {"unit": world.lead.pk, "text": "资金是否到位？"},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    client.logout()
    client.login(username=world.reporter.username, password=PASSWORD)
    inbox = client.get(reverse("inspections:questions")).content.decode()
    assert "资金是否到位？" in inbox
    response = client.post(
        reverse("inspections:question_answer", args=[question.pk]), {"answer": "已拨付80%"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "已拨付80%"


def test_a_bad_photo_on_the_page_is_a_400_with_the_file_name(client, world):
    client.login(username=world.deputy.username, password=PASSWORD)
    response = post_inspection(client, world, photo("notes.jpg", b"just text, not a photo"))
    assert response.status_code == 400
    assert "notes.jpg" in response.content.decode()
    assert not Inspection.objects.exists()
