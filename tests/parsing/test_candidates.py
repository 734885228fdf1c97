"""The structure finder: candidate readings scored against each other (layout/candidates.py), the marker
families that only a candidate reading recognises, unnumbered lists, and the confidence it reports."""

from __future__ import annotations

import pytest

from minsheng.parsing import ParseError, parse_text
from minsheng.parsing.blocks import Paragraph
from minsheng.parsing.layout.candidates import Reading, score_reading
from minsheng.parsing.layout.lists import heading_reads_as_project, marker_families
from minsheng.parsing.model import Item, Project


@pytest.mark.parametrize(
    ("marker", "text"),
    [
        (
            "一是",
            "2019年，市政府为民兴办3件实事：\n一是新建学校2所。\n二是新增床位300张。\n三是改造道路5公里。\n",
        ),
        (
            "number and space",
            "确定以下3项为民生实事项目:\n1 新建学校2所;\n2 新增床位300张;\n3 改造道路5公里。\n",
        ),
        ("full-width stop", "一、教育\n1。新建学校2所。\n2。新增床位300张。\n3。改造道路5公里。\n"),
        (
            "number alone",
            "2020年三件民生实事\n1\n\n新建学校2所。\n2\n\n新增床位300张。\n3\n\n改造道路5公里。\n",
        ),
    ],
)
def test_marker_families_read_only_as_a_candidate(marker: str, text: str) -> None:
    plan = parse_text(text)
    assert [p.no for p in plan.projects] == [1, 2, 3], marker
    assert [i.text.rstrip("。;") for p in plan.projects for i in p.items] == [
        "新建学校2所",
        "新增床位300张",
        "改造道路5公里",
    ]
    assert [t.value for p in plan.projects for i in p.items for t in i.targets] == [2, 300, 5]


def test_a_number_and_space_inside_text_is_not_a_marker() -> None:
    """`10 所` in the middle of a line is a quantity; a `1 ` reading is tried only at line starts."""
    plan = parse_text("1.新建学校 10 所。\n2.新增床位300张。\n")
    assert [p.no for p in plan.projects] == [1, 2]
    assert plan.projects[0].items[0].targets[0].value == 10


def test_unnumbered_names_one_per_line_under_a_list_title() -> None:
    plan = parse_text(
        "2020年全市10点重点民生实事项目\n(按得票多少排序)\n中小学校舍建设工程项目\n城市人居环境提升项目\n"
        "老旧小区改造项目\n民生无小事，枝叶总关情。市人民代表大会将始终把维护群众利益作为履职的出发点和落脚点。\n"
        "来源:新沂市人大\n"
    )
    assert [(p.no, p.name) for p in plan.projects] == [
        (1, "中小学校舍建设工程项目"),
        (2, "城市人居环境提升项目"),
        (3, "老旧小区改造项目"),
    ]
    assert plan.region == "新沂市"  # from the source line at the end


def test_inline_name_and_content_entries() -> None:
    plan = parse_text(
        "这三大民生实事项目分别是:低保暖心工程,为辖区431户低保对象投保;交通惠民工程,新建停车位200个以上;"
        "城镇美化工程:建成口袋公园5个以上。"
    )
    assert [(p.no, p.name, p.items[0].text) for p in plan.projects] == [
        (1, "低保暖心工程", "为辖区431户低保对象投保;"),
        (2, "交通惠民工程", "新建停车位200个以上;"),
        (3, "城镇美化工程", "建成口袋公园5个以上。"),
    ]


def test_inline_names_may_hold_a_bracketed_aside() -> None:
    plan = parse_text(
        "新(改、扩)建一批中小学校,实施新(改、扩)建中小学校5家;中小学校清廉阳光厨房建设,对28所中小学校食堂安装"
        "数字化验收平台;新(改)建村卫生室,新(改)建村卫生室80家。"
    )
    assert [p.name for p in plan.projects] == [
        "新(改、扩)建一批中小学校",
        "中小学校清廉阳光厨房建设",
        "新(改)建村卫生室",
    ]
    assert plan.projects[2].items[0].text == "新(改)建村卫生室80家。"


def test_headings_with_a_single_sub_item_each_are_projects() -> None:
    """一、名称 over one （一）content each: a bracketed aside inside 新(改)建 still reads as works."""
    plan = parse_text(
        "2024年民生实事任务分解方案\n一、新(改、扩)建一批中小学校\n（一）实施新(改、扩)建中小学校5家。\n责任单位：区教体局\n"
        "二、中小学校清廉阳光厨房建设\n（一）对28所中小学校食堂安装数字化验收平台。\n责任单位：区教体局\n"
        "三、新(改)建村卫生室\n（一）新(改)建村卫生室80家。\n责任单位：区卫健局\n"
    )
    assert [(p.name, p.category, len(p.items)) for p in plan.projects] == [
        ("新(改、扩)建一批中小学校", None, 1),
        ("中小学校清廉阳光厨房建设", None, 1),
        ("新(改)建村卫生室", None, 1),
    ]


def test_a_bare_figure_is_never_a_project_name() -> None:
    plan = parse_text(
        "民生实事项目完成情况\n一、新增城镇就业\n（一）8950人\n责任单位：区人社局\n二、减少义务教育大班额\n（一）51个\n"
        "责任单位：区教育局\n三、农村及城镇低保适龄妇女“两癌”免费检查\n（一）2500人\n责任单位：区卫健局\n"
    )
    assert [p.name for p in plan.projects] == [
        "新增城镇就业",
        "减少义务教育大班额",
        "农村及城镇低保适龄妇女“两癌”免费检查",
    ]
    assert [p.items[0].text for p in plan.projects] == ["8950人", "51个", "2500人"]


def test_a_letter_without_a_list_is_still_refused() -> None:
    with pytest.raises(ParseError, match="no list of projects found"):
        parse_text(
            "关于召开例会的通知\n各科室：\n定于3月5日上午9时召开例会。\n特此通知。\n区政府办公室\n2024年2月28日\n"
        )


def test_outer_headings_that_read_as_projects_hold_their_items() -> None:
    """一、name over (一) items restarting under each heading: projects with items (spec, two levels)."""
    plan = parse_text(
        "计划如下:\n一、实施公交服务便民工程\n(一)新购置公交车200辆\n(二)新建改造100个公交站台\n"
        "二、进一步缓解停车难问题\n新增公共停车泊位7000个\n"
    )
    assert [(p.no, p.name, [i.text for i in p.items]) for p in plan.projects] == [
        (1, "实施公交服务便民工程", ["新购置公交车200辆", "新建改造100个公交站台"]),
        (2, "进一步缓解停车难问题", ["新增公共停车泊位7000个"]),
    ]


def test_category_words_over_continuous_numbering_are_categories() -> None:
    plan = parse_text(
        "一、交通出行\n1。打通断头路20条。\n2。新改建农村公路200公里。\n二、市容环境\n3。整治道路60条。\n"
    )
    assert [(p.no, p.category) for p in plan.projects] == [(1, "交通出行"), (2, "交通出行"), (3, "市容环境")]


@pytest.mark.parametrize(
    ("heading", "project"),
    [
        ("优学金沙（常有优学）", True),
        ("实施公交服务便民工程", True),
        ("教育类", False),
        ("交通出行", False),
        ("民生保障（3件）", False),
    ],
)
def test_heading_words(heading: str, project: bool) -> None:
    assert heading_reads_as_project(heading) is project


def test_marker_families_present() -> None:
    paragraphs = [
        Paragraph(text=t, location=f"line {n}")
        for n, t in enumerate(["一是甲乙丙。", "二是丁戊己。", "1 新建学校"])
    ]
    assert {"shi"} <= marker_families(paragraphs)


def _reading(numbers: list[int], *, numbered: bool = True) -> Reading:
    projects = [Project(no=n, name=f"项目{n}", items=[Item(text=f"新建学校{n}所。")]) for n in numbers]
    return Reading(kind="test", projects=projects, numbers=numbers, numbered=numbered)


def test_continuous_numbering_from_one_scores_higher_than_a_gap_or_a_late_start() -> None:
    continuous = score_reading(_reading([1, 2, 3, 4]), None)
    assert continuous > score_reading(_reading([1, 2, 7, 8]), None)
    assert continuous > score_reading(_reading([3, 4, 5, 6]), None)
    assert continuous > score_reading(_reading([1, 2, 3, 4], numbered=False), None)


def test_the_announced_count_is_evidence() -> None:
    assert score_reading(_reading([1, 2, 3]), 3) > score_reading(_reading([1, 2, 3]), None)
    over = _reading([1, 2, 3, 4, 5])
    score_reading(over, 3)
    assert "more entries than announced" in over.notes


def test_confidence_is_high_on_a_clean_list_and_lower_with_a_gap() -> None:
    clean = parse_text("2024年某区民生实事项目\n1.新建学校2所。\n2.新增床位300张。\n3.改造道路5公里。\n")
    assert clean.confidence.level == "high" and clean.confidence.reasons == []
    gap = parse_text("2024年某区民生实事项目\n1.新建学校2所。\n2.新增床位300张。\n5.改造道路5公里。\n")
    assert gap.confidence.level in ("medium", "low")
    assert any("numbering gap" in r for r in gap.confidence.reasons)
    assert gap.to_dict()["confidence"]["level"] == gap.confidence.level


def test_an_entry_without_units_in_a_list_with_units_is_less_sure() -> None:
    plan = parse_text(
        "1.新建学校2所。（牵头单位：区教育局）\n2.新增床位300张。（牵头单位：区民政局）\n3.改造道路5公里。\n"
        "4.新建公园2个。（牵头单位：区住建局）\n"
    )
    unsure = [p.no for p in plan.projects if p.confidence.level != "high"]
    assert unsure == [3]
    assert "entry without units" in plan.projects[2].confidence.reasons
