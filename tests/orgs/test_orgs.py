"""Regions and units: names, paths, aliases, group words."""

from __future__ import annotations

import pytest

from factories import RegionFactory, UnitAliasFactory, UnitFactory
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import (
    UnitResolver,
    group_members,
    guess_unit_kind,
    is_group_word,
    region_display_name,
    region_find,
    split_region_name,
)
from minsheng.orgs.services import region_ensure


@pytest.mark.parametrize(
    "name",
    [
        "各镇（街道）",
        "各镇(街道)",
        "相关镇(街道)",
        "相关镇（街道）",
        "各乡镇",
        "各街道",
        "沿线各镇",
        "有关镇街道",
    ],
)
def test_group_words(name):
    assert is_group_word(name)
    assert guess_unit_kind(name) == "group"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("金城镇", "town"),
        ("东城街道", "town"),
        ("区卫健局", "department"),
        ("区残联", "department"),
        ("团区委", "department"),
        ("供电公司", "company"),
        ("金坛建设", "company"),
        ("各有关部门", "other"),
    ],
)
def test_unit_kind_from_name(name, kind):
    assert guess_unit_kind(name) == kind


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("常州市金坛区", ["常州市", "金坛区"]),
        ("江苏省常州市金坛区金城镇", ["江苏省", "常州市", "金坛区", "金城镇"]),
        ("淮安市淮安区", ["淮安市", "淮安区"]),
        ("宁海县", ["宁海县"]),
    ],
)
def test_split_region_name(text, parts):
    assert split_region_name(text) == parts


def test_region_find_by_code_name_path_and_run_together_name(district):
    assert region_find("320413") == district
    assert region_find("金坛区") == district
    assert region_find("江苏省/常州市/金坛区") == district
    assert region_find("常州市金坛区") == district
    assert region_find("江苏省常州市金坛区") == district
    assert region_display_name(district) == "常州市金坛区"
    assert region_find("溧阳市") is None


def test_region_ensure_creates_missing_levels_under_existing_parent(district):
    town = region_ensure(acting_user=None, text="江苏省/常州市/金坛区/薛埠镇")
    assert town.parent == district and town.level == "town" and town.name == "薛埠镇"
    assert region_ensure(acting_user=None, text="江苏省/常州市/金坛区/薛埠镇") == town
    city = region_ensure(acting_user=None, text="浙江省/宁波市/宁海县")
    assert [city.level, city.parent.level, city.parent.parent.level] == ["district", "city", "province"]
    assert Region.objects.filter(name="浙江省").count() == 1


def test_region_ensure_refuses_unknown_bare_name(db):
    with pytest.raises(ValidationFailed, match="full path"):
        region_ensure(acting_user=None, text="金坛区")
    assert not Region.objects.exists()


def test_resolver_matches_name_alias_and_prefers_nearer_region(district):
    city = district.parent
    city_unit = UnitFactory(name="市公安局", region=city)
    district_health = UnitFactory(name="区卫生健康局", region=district)
    UnitAliasFactory(unit=district_health, name="区卫健局")
    resolver = UnitResolver(district)
    assert resolver.resolve("市公安局").unit_id == city_unit.pk
    assert resolver.resolve("区卫生健康局").unit_id == district_health.pk
    # Half- and full-width brackets and spaces do not matter.
    group = UnitFactory(name="各镇（街道）", region=district, kind="group")
    assert resolver.resolve("各镇 (街道)").unit_id is None  # not loaded yet
    assert UnitResolver(district).resolve("各镇 (街道)").unit_id == group.pk
    assert resolver.resolve("新单位").is_new


def test_alias_resolution(district):
    health = UnitFactory(name="区卫生健康局", region=district)
    UnitAliasFactory(unit=health, name="区卫健局")
    match = UnitResolver(district).resolve("区卫健局")
    assert (match.unit_id, match.via, match.unit_name) == (health.pk, "alias", "区卫生健康局")


def test_group_members_are_the_towns_of_the_region(district):
    group = UnitFactory(name="各镇（街道）", region=district, kind="group")
    other = RegionFactory(name="溧阳市", code="320481")
    UnitFactory(name="别镇", region=other, kind="town")
    UnitFactory(name="区教育局", region=district)
    assert sorted(group_members(group).values_list("name", flat=True)) == ["儒林镇", "金城镇"]
    department = UnitFactory(name="区民政局", region=district)
    assert not group_members(department).exists()
