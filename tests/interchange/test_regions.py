"""Which region and title an upload gets: the list's own when the field is empty; new districts on request."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories import PASSWORD, RegionFactory, UserFactory
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.services import default_title
from minsheng.orgs.models import Region
from minsheng.parsing import Plan as ParsedPlan

pytestmark = pytest.mark.django_db

LIST = """{region}2025年民生实事项目清单

一、优学
1.为全区25所小学普通教室安装空调。（责任单位：区教育局）
2.新建标准化食堂3个。（责任单位：区教育局）
"""


def post(client: Any, user: Any, region_name: str, **fields: Any) -> Any:
    assert client.login(username=user.username, password=PASSWORD)
    data = LIST.format(region=region_name).encode()
    form = {"file": SimpleUploadedFile("list.txt", data), "region": "", "year": "", "title": "", **fields}
    return client.post(reverse("interchange:import_upload"), form)


def test_the_upload_form_is_not_prefilled_and_an_empty_region_takes_the_lists(client, district):
    city = district.parent
    liyang = RegionFactory(name="溧阳市", code="320481", level="district", parent=city)
    city_office = UserFactory(username="city-office", role="office", region=city)
    assert client.login(username=city_office.username, password=PASSWORD)
    page = client.get(reverse("interchange:import_upload"))
    assert page.context["form"]["region"].value() in (None, "")
    assert reverse("orgs:region_list") in page.content.decode()  # where a city office adds a district
    response = post(client, city_office, "常州市溧阳市")
    assert response.status_code == 302
    assert ImportBatch.objects.get().region == liyang


def test_a_city_office_creates_a_new_district_on_request(client, district):
    city = district.parent
    city_office = UserFactory(username="city-office", role="office", region=city)
    refused = post(client, city_office, "常州市天宁区")
    assert refused.status_code == 200 and "天宁区" in refused.context["form"].errors["region"][0]
    assert not Region.objects.filter(name="天宁区").exists()
    response = post(client, city_office, "常州市天宁区", create_region="on")
    assert response.status_code == 302
    created = Region.objects.get(name="天宁区")
    assert created.parent == city and ImportBatch.objects.get().region == created


def test_a_district_office_cannot_create_or_use_another_district(client, district):
    office = UserFactory(username="jt-office", role="office", region=district)
    response = post(client, office, "", region="江苏省/常州市/天宁区", create_region="on")
    assert response.status_code == 200 and response.context["form"].errors["region"]
    assert not Region.objects.filter(name="天宁区").exists() and not ImportBatch.objects.exists()


def test_a_notice_heading_is_not_proposed_as_the_title(district):
    notice = ParsedPlan(title="常州市金坛区第十八届人民代表大会第四次会议公告(第4号)")
    assert default_title(parsed=notice, region=district, year=2024) == "2024年常州市金坛区民生实事项目清单"
    own = ParsedPlan(title="2024年金坛区为民办实事项目")
    assert default_title(parsed=own, region=district, year=2024) == "2024年金坛区为民办实事项目"
