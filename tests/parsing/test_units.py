"""Unit lists: splitting a cell or line into unit names, and spotting misspelt names."""

from __future__ import annotations

import pytest

from minsheng.parsing.units import edit_distance_at_most_one, looks_like_unit, split_units, suspicious_units


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("区教育局", ["区教育局"]),
        ("各镇（街道）\n金坛建设", ["各镇（街道）", "金坛建设"]),
        ("各镇（街道）    供电公司     \n港华燃气", ["各镇（街道）", "供电公司", "港华燃气"]),
        ("縣民政局 各相關鄉鎮街道", ["縣民政局", "各相關鄉鎮街道"]),
        ("住建局、凤城镇。", ["住建局", "凤城镇"]),
        ("县发改局，县财政局,县审计局；县统计局", ["县发改局", "县财政局", "县审计局", "县统计局"]),
        ("縣住建局　縣自然資源局", ["縣住建局", "縣自然資源局"]),
        ("各镇（街道、园区）、区财政局", ["各镇（街道、园区）", "区财政局"]),
        ("", []),
        ("无", []),
        ("/", []),
    ],
)
def test_split_units(cell: str, units: list[str]) -> None:
    assert split_units(cell) == units


def test_edit_distance_at_most_one() -> None:
    assert edit_distance_at_most_one("区农业农村局", "区农业农材局")
    assert edit_distance_at_most_one("区教育局", "区教育育局")
    assert not edit_distance_at_most_one("区教育局", "区教育局")
    assert not edit_distance_at_most_one("区卫健局", "区住建局")  # two characters differ


def test_a_name_used_once_next_to_a_frequent_near_twin_is_suspicious() -> None:
    lists = [
        ["区农业农村局"],
        ["区农业农村局", "各镇（街道）"],
        ["区农业农材局"],
        ["区住建局"],
        ["区建住局"],
        ["区住建局"],
    ]
    found = dict(suspicious_units(lists))
    assert found == {"区农业农材局": "区农业农村局", "区建住局": "区住建局"}


def test_real_distinct_units_are_not_reported() -> None:
    # Short names one character apart are different bodies; a level prefix names another body;
    # traditional and simplified writings of one name are the same name.
    lists = [
        ["区民政局"],
        ["区民政局"],
        ["区财政局"],
        ["住建局"],
        ["住建局"],
        ["县住建局"],
        ["縣教育局"],
        ["县教育局"],
        ["县教育局"],
    ]
    assert suspicious_units(lists) == []


@pytest.mark.parametrize(
    "name", ["区教育局", "县城投集团", "各镇（街道）", "金坛公安分局", "消防救援大队", "区委人才办"]
)
def test_looks_like_unit(name: str) -> None:
    assert looks_like_unit(name)


@pytest.mark.parametrize("name", ["完成", "建成投用", "2023.01-2023.12"])
def test_does_not_look_like_unit(name: str) -> None:
    assert not looks_like_unit(name)
