"""The preview's correction steps on Plan JSON (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from minsheng.interchange.services.edits import EditRefused, apply_edit


def item(text: str, *units: str) -> dict[str, Any]:
    return {"text": text, "lead_units": list(units), "partner_units": [], "targets": [], "milestones": []}


def listing() -> dict[str, Any]:
    return {
        "projects": [
            {
                "no": 1,
                "name": "一、教育",
                "alias": None,
                "items": [item("学校空调25所。", "区教育局"), item("食堂3个。")],
            },
            {"no": 2, "name": "医疗", "alias": None, "items": [item("卫生中心2个。")]},
            {"no": 3, "name": "养老", "alias": None, "items": [item("床位200张。"), item("助餐点15个。")]},
        ]
    }


def names(plan: dict[str, Any]) -> list[tuple[int, str, str | None]]:
    return [(p["no"], p["name"], p.get("category")) for p in plan["projects"]]


def test_a_project_read_as_a_category_heads_the_following_projects_and_its_items_become_projects():
    plan, summary = apply_edit(listing(), "project_to_category", {"p": "0"})
    assert names(plan) == [
        (1, "学校空调25所。", "一、教育"),
        (2, "食堂3个。", "一、教育"),
        (3, "医疗", "一、教育"),
        (4, "养老", "一、教育"),
    ]
    assert plan["projects"][0]["items"][0]["lead_units"] == ["区教育局"]
    assert "一、教育" in summary


def test_a_category_read_as_one_project_takes_its_projects_as_items():
    plan, _ = apply_edit(listing(), "project_to_category", {"p": "0"})
    back, _ = apply_edit(plan, "category_to_project", {"p": "1"})
    assert names(back) == [(1, "一、教育", None)]
    assert [i["text"] for i in back["projects"][0]["items"]] == [
        "学校空调25所。",
        "食堂3个。",
        "医疗。卫生中心2个。",
        "养老。床位200张。",
        "助餐点15个。",
    ]


def test_items_read_as_projects_and_projects_split_and_merged():
    plan, _ = apply_edit(listing(), "items_to_projects", {"p": "2"})
    assert names(plan)[2:] == [(3, "床位200张。", None), (4, "助餐点15个。", None)]
    plan, _ = apply_edit(plan, "project_merge_next", {"p": "2"})
    assert names(plan)[2:] == [(3, "床位200张。", None)]
    assert len(plan["projects"][2]["items"]) == 2
    plan, _ = apply_edit(plan, "project_split", {"p": "2", "i": "1", "name": "助餐"})
    assert names(plan)[2:] == [(3, "床位200张。", None), (4, "助餐", None)]


def test_an_item_moves_to_another_project_but_never_leaves_one_empty():
    plan, _ = apply_edit(listing(), "item_move", {"p": "0", "i": "1", "to": "2"})
    assert [i["text"] for i in plan["projects"][1]["items"]] == ["卫生中心2个。", "食堂3个。"]
    with pytest.raises(EditRefused) as refused:
        apply_edit(listing(), "item_move", {"p": "1", "i": "0", "to": "3"})
    assert refused.value.place == "p1"


def test_targets_and_milestones_are_added_removed_and_a_number_marked_not_a_target_stays_out():
    plan, _ = apply_edit(
        listing(), "item_edit", {"p": "2", "i": "0", "text": "新增养老床位200张，其中护理型床位60张。"}
    )
    assert [t["value"] for t in plan["projects"][2]["items"][0]["targets"]] == [200, 60]
    plan, _ = apply_edit(plan, "target_not", {"p": "2", "i": "0", "t": "1"})
    plan, _ = apply_edit(
        plan, "item_edit", {"p": "2", "i": "0", "text": "新增养老床位200张，其中护理型床位60张，年内完成。"}
    )
    assert [t["value"] for t in plan["projects"][2]["items"][0]["targets"]] == [200]
    plan, _ = apply_edit(
        plan, "milestone_add", {"p": "1", "i": "0", "subject": "卫生中心", "state": "投入使用"}
    )
    assert plan["projects"][1]["items"][0]["milestones"][-1]["state"] == "投入使用"
    plan, _ = apply_edit(plan, "milestone_delete", {"p": "1", "i": "0", "m": "0"})
    assert plan["projects"][1]["items"][0]["milestones"] == []


@pytest.mark.parametrize(
    ("op", "args", "place"),
    [
        ("project_edit", {"p": "1", "no": "3", "name": "医疗"}, "p1"),
        ("target_add", {"p": "0", "i": "0", "value": ""}, "p0-i0"),
        ("project_merge_next", {"p": "2"}, "p2"),
        ("item_split", {"p": "0", "i": "0", "at": "不存在的字"}, "p0-i0"),
        ("milestone_add", {"p": "0", "i": "0", "subject": "只有对象"}, "p0-i0"),
    ],
)
def test_invalid_steps_are_refused_at_their_place_and_change_nothing(op, args, place):
    plan = listing()
    with pytest.raises(EditRefused) as refused:
        apply_edit(plan, op, args)
    assert refused.value.place == place
    assert plan == listing()
