"""The layout step: documents in every layout turned into projects, items and units."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.parsing import ParseError, parse_text
from minsheng.parsing.blocks import Cell, Document, Paragraph, Row, Table
from minsheng.parsing.layout import build_plan
from minsheng.parsing.readers.text import document_from_text
from minsheng.parsing.targets import Extraction


def _table(*rows: list[str], location: str = "table 1") -> Table:
    return Table(
        rows=[
            Row(cells=[Cell(t) for t in r], location=f"{location}, row {i + 1}") for i, r in enumerate(rows)
        ],
        location=location,
    )


def _units(plan) -> list[tuple[list[str], list[str]]]:  # type: ignore[no-untyped-def]
    return [(i.lead_units, i.partner_units) for p in plan.projects for i in p.items]


# --- tables ---------------------------------------------------------------------------------------


def test_table_columns_in_any_order_with_synonyms_and_extra_columns() -> None:
    doc = Document(
        blocks=[
            Paragraph("2024年东湖区民生实事项目表", "line 1"),
            _table(
                ["牵头单位", "实事项目", "完成时限", "序号", "目标任务", "协办单位", "总投资（万元）"],
                ["区教育局", "新建学校", "2024年底", "1", "新建小学2所。", "区住建局、区财政局", "3000"],
            ),
        ]
    )
    plan = build_plan(doc)
    (project,) = plan.projects
    assert (project.no, project.name) == (1, "新建学校")
    (item,) = project.items
    assert item.text == "新建小学2所。"
    assert (item.lead_units, item.partner_units) == (["区教育局"], ["区住建局", "区财政局"])
    assert item.extra == {"deadline": "2024年底", "total_investment_wanyuan": 3000}
    assert (plan.region, plan.year, plan.title) == ("东湖区", 2024, "2024年东湖区民生实事项目表")


def test_continuation_rows_inherit_units_unless_they_name_their_own() -> None:
    doc = Document(
        blocks=[
            _table(
                ["序号", "项目名称", "主要内容", "责任单位", "配合单位"],
                ["1", "优学金沙\n（常有优学）", "内容一。", "区教育局", "各镇（街道）\n金坛建设"],
                ["", "", "内容二。", "", ""],
                ["", "", "内容三。", "区文旅局\n长管办", ""],
                ["2", "平安金沙", "内容四。", "区住建局", "各镇（街道）    供电公司"],
            )
        ]
    )
    plan = build_plan(doc)
    assert [(p.no, p.name, p.alias, len(p.items)) for p in plan.projects] == [
        (1, "优学金沙", "常有优学", 3),
        (2, "平安金沙", None, 1),
    ]
    assert _units(plan) == [
        (["区教育局"], ["各镇（街道）", "金坛建设"]),
        (["区教育局"], ["各镇（街道）", "金坛建设"]),
        (["区文旅局", "长管办"], []),
        (["区住建局"], ["各镇（街道）", "供电公司"]),
    ]


def test_vertically_merged_cells_from_word_or_excel() -> None:
    header = Row(cells=[Cell(t) for t in ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]])
    rows = [
        Row(cells=[Cell("1"), Cell("健康金沙"), Cell("内容一。"), Cell("区卫健局"), Cell("各镇")]),
        Row(
            cells=[
                Cell("1", True),
                Cell("健康金沙", True),
                Cell("内容二。"),
                Cell("区卫健局", True),
                Cell(""),
            ]
        ),
    ]
    plan = build_plan(Document(blocks=[Table(rows=[header, *rows])]))
    (project,) = plan.projects
    assert [i.text for i in project.items] == ["内容一。", "内容二。"]
    assert _units(plan) == [(["区卫健局"], ["各镇"]), (["区卫健局"], [])]


def test_repeated_header_rows_category_rows_and_several_tables() -> None:
    header = ["序號", "項目名稱", "建設內容", "責任單位"]
    doc = Document(
        blocks=[
            _table(header, ["一、教育類", "", "", ""], ["1", "甲工程★", "新建學校1所。", "縣教育局"], header),
            _table(
                header,
                ["二、衛生類", "", "", ""],
                ["2", "乙工程", "新建醫院1所。", "縣衛健局"],
                location="table 2",
            ),
        ]
    )
    plan = build_plan(doc)
    assert [(p.no, p.name, p.category, p.starred) for p in plan.projects] == [
        (1, "甲工程", "教育類", True),
        (2, "乙工程", "衛生類", False),
    ]


def test_category_headings_written_above_each_table() -> None:
    header = ["序号", "项目名称", "建设内容", "责任单位"]
    doc = Document(
        blocks=[
            Paragraph("2019年民生实事项目"),
            Paragraph("一、教育文体类（2件）"),
            _table(
                header, ["1", "甲", "新建学校1所。", "区教育局"], ["2", "乙", "新建场馆1座。", "区文体局"]
            ),
            Paragraph("二、城乡建设类（1件）"),
            _table(header, ["3", "丙", "改造道路2条。", "区住建局"], location="table 2"),
            # continued on the next page without a heading: the category goes on
            _table(["4", "丁", "改造小区3个。", "区住建局"], location="table 3"),
        ]
    )
    assert [(p.no, p.category) for p in build_plan(doc).projects] == [
        (1, "教育文体类"),
        (2, "教育文体类"),
        (3, "城乡建设类"),
        (4, "城乡建设类"),
    ]


def test_a_table_continued_on_the_next_page_without_its_header() -> None:
    header = ["序号", "项目名称", "主要内容", "责任单位"]
    doc = Document(
        blocks=[
            _table(header, ["1", "甲", "内容一。", "区教育局"]),
            _table(["2", "乙", "内容二。", "区民政局"], location="table 2"),
        ]
    )
    assert [(p.no, p.name) for p in build_plan(doc).projects] == [(1, "甲"), (2, "乙")]


def test_a_row_continued_at_the_top_of_the_next_page_joins_the_last_project() -> None:
    header = ["序号", "项目名称", "主要内容", "责任单位"]
    doc = Document(
        blocks=[
            _table(header, ["1", "甲", "内容一。", "区教育局"]),
            _table(["", "", "内容二。", ""], ["2", "乙", "内容三。", "区民政局"], location="table 2"),
        ]
    )
    plan = build_plan(doc)
    assert [(p.no, p.name, [i.text for i in p.items]) for p in plan.projects] == [
        (1, "甲", ["内容一。", "内容二。"]),
        (2, "乙", ["内容三。"]),
    ]
    assert plan.projects[0].items[1].lead_units == ["区教育局"]


def test_category_rows_numbered_in_chinese_and_spreadsheet_serials() -> None:
    doc = Document(
        blocks=[
            _table(
                ["序号", "项目名称", "主要内容", "责任单位"],
                ["一", "教育类", "", ""],
                ["1.0", "甲工程", "新建学校1所。", "县教育局"],
                ["（二）", "卫生类", "", ""],
                ["2", "乙工程", "新建医院1所。", "县卫健局"],
            )
        ]
    )
    plan = build_plan(doc)
    assert [(p.no, p.name, p.category) for p in plan.projects] == [
        (1, "甲工程", "教育类"),
        (2, "乙工程", "卫生类"),
    ]


def test_names_carrying_their_number_and_names_repeated_on_each_row() -> None:
    doc = Document(
        blocks=[
            _table(
                ["实事项目", "主要内容", "责任单位"],
                ["1.优学金沙（常有优学）", "内容一。", "区教育局"],
                ["1.优学金沙（常有优学）", "内容二。", "区教育局"],
                ["2、健康金沙", "内容三。", "区卫健局"],
            )
        ]
    )
    plan = build_plan(doc)
    assert [(p.no, p.name, p.alias, len(p.items)) for p in plan.projects] == [
        (1, "优学金沙", "常有优学", 2),
        (2, "健康金沙", None, 1),
    ]


def test_two_line_header_with_a_data_row_missing_an_empty_column() -> None:
    text = (
        "序號 | 項目名稱 | 建設規模及內容 | 總投資 | 建設起止年限 | 至2021年底累計完成投資 | 2022年工作計劃 | 項目建設階段(1-12月份) | 責任單位 | 政策處理 單位 | |||\n"
        "投資 | 工程主要形象進度 | 完成 投資 | % | 主要形象進度 | ||||||||\n"
        "1 | 護眼燈光工程★ | 對全縣70所中小學校進行護眼燈光提升 | 1800 | 2022 | 1800 | 建成 | 1800 | 100 | 完成 | 縣教育局 | ||\n"
    )
    plan = parse_text(text)
    (project,) = plan.projects
    (item,) = project.items
    assert (project.name, project.starred) == ("護眼燈光工程", True)
    assert (item.lead_units, item.partner_units) == (["縣教育局"], [])
    assert item.extra["build_period"] == "2022"
    assert item.extra["total_investment_wanyuan"] == 1800
    assert item.extra["progress"] == "完成"
    assert plan.year == 2022 and plan.region is None


def test_a_table_cut_off_mid_row_keeps_the_whole_rows() -> None:
    text = "\t序号\n\t项目名称\n\t主要内容\n\t责任单位\n\n\t1\n\t甲\n\t新建学校1所。\n\t区教育局\n\n\t2\n\t乙\n\t新增绿地\n"
    plan = parse_text(text, name="cut.txt")
    assert [p.name for p in plan.projects] == ["甲"]
    assert plan.truncated
    assert [(w.code, w.location) for w in plan.warnings if w.code == "truncated"] == [
        ("truncated", "line 11")
    ]


# --- numbered lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1.", "2."),
        ("1、", "2、"),
        ("１．", "２．"),
        ("（1）", "（2）"),
        ("(1)", "(2)"),
        ("一、", "二、"),
        ("第一项", "第二项"),
        ("第一項　", "第二項　"),
        ("①", "②"),
    ],
)
def test_numbered_entries_in_every_marker_style(first: str, second: str) -> None:
    plan = parse_text(
        f"{first}建设城市书房。新建城市书房4家。\n{second}改造农村危房。完成农村危房改造150户。\n"
    )
    assert [(p.no, p.name, p.items[0].text) for p in plan.projects] == [
        (1, "建设城市书房", "新建城市书房4家。"),
        (2, "改造农村危房", "完成农村危房改造150户。"),
    ]


def test_entry_name_rule_without_a_separate_title() -> None:
    plan = parse_text(
        "1.动建含光人行隧道工程。\n"
        "2.引入社会资金2亿元,建成1所九年制学校。\n"
        "3.实施东城花园建设工程,占地132亩。新建地下停车场。\n"
    )
    assert [(p.name, p.items[0].text) for p in plan.projects] == [
        ("动建含光人行隧道工程", "动建含光人行隧道工程。"),
        ("引入社会资金2亿元,建成1所九年制学校", "引入社会资金2亿元,建成1所九年制学校。"),
        (
            "实施东城花园建设工程,占地132亩。新建地下停车场",
            "实施东城花园建设工程,占地132亩。新建地下停车场。",
        ),
    ]
    assert all(p.alias is None for p in plan.projects)


def test_title_on_its_own_line_and_unit_lines() -> None:
    plan = parse_text(
        "1、新建城东小学（优学工程）\n新建城东小学1所，新增学位1620个。\n责任单位：县教育局；配合单位：县住建局、城东街道\n"
        "2、改善农村学校食堂\n改造提升农村学校食堂12所。\n主办单位:县教育局,协办单位:县市场监管局。\n"
    )
    assert [(p.name, p.alias, p.items[0].text) for p in plan.projects] == [
        ("新建城东小学", "优学工程", "新建城东小学1所，新增学位1620个。"),
        ("改善农村学校食堂", None, "改造提升农村学校食堂12所。"),
    ]
    assert _units(plan) == [(["县教育局"], ["县住建局", "城东街道"]), (["县教育局"], ["县市场监管局"])]


def test_units_in_brackets_and_at_the_end_of_the_entry() -> None:
    plan = parse_text(
        "1.新增普惠托位。新增托位500个。（牵头单位:区卫健委；配合单位：区教育局、各街道）\n"
        "2.开展就业帮扶。新增就业5000人。（牵头单位：市人社局）\n"
        "3.整治背街小巷。整治背街小巷28条。责任单位：区城管局；配合单位：各街道\n"
    )
    assert [p.items[0].text for p in plan.projects] == [
        "新增托位500个。",
        "新增就业5000人。",
        "整治背街小巷28条。",
    ]
    assert _units(plan) == [
        (["区卫健委"], ["区教育局", "各街道"]),
        (["市人社局"], []),
        (["区城管局"], ["各街道"]),
    ]


@pytest.mark.parametrize(
    ("heading_one", "heading_two", "categories"),
    [
        ("一、教育类（1件）", "二、养老类（1件）", ["教育类", "养老类"]),
        ("（一）老有所享", "（二）幼有善育", ["老有所享", "幼有善育"]),
        (
            "一、“优化教育资源布局”类,共1项",
            "二、“优化公共卫生服务”类,共1项",
            ["“优化教育资源布局”类", "“优化公共卫生服务”类"],
        ),
    ],
)
def test_category_headings_group_the_entries(
    heading_one: str, heading_two: str, categories: list[str]
) -> None:
    plan = parse_text(f"{heading_one}\n1.新建学校2所。\n{heading_two}\n2.新建养老院1家。\n")
    assert [(p.no, p.category) for p in plan.projects] == [(1, categories[0]), (2, categories[1])]


def test_numbering_restarting_in_each_category_is_renumbered() -> None:
    plan = parse_text("一、教育类\n1.新建学校2所。\n2.新建幼儿园1所。\n二、养老类\n1.新建养老院1家。\n")
    assert [(p.no, p.category) for p in plan.projects] == [(1, "教育类"), (2, "教育类"), (3, "养老类")]


def test_three_levels_category_project_and_items() -> None:
    plan = parse_text(
        "一、教育类\n（一）优学工程\n1.新建学校2所。\n2.新建幼儿园1所。\n（二）食堂工程\n1.改造食堂12个。\n"
    )
    assert [(p.no, p.name, p.category, [i.text for i in p.items]) for p in plan.projects] == [
        (1, "优学工程", "教育类", ["新建学校2所。", "新建幼儿园1所。"]),
        (2, "食堂工程", "教育类", ["改造食堂12个。"]),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "会议确定的十件实事分别是：（1）新建幼儿园4所；（2）新增公交线路5条；（3）新建城市书房3家。",
        "這三件實事是:1.新修基本農田10萬畝。2.改造農村危舊房1320戶。3.新增城鎮就業2300人。",
        # a closing sentence about the whole list ends it, also inside the paragraph
        "共3項：第一項，新建學校３所。第二項，新增學位２７００個。第三項，新建球場２片。"
        "區政府將把各項任務分解到責任部門，確保年底前全部完成。",
    ],
)
def test_a_whole_list_inline_in_one_paragraph(paragraph: str) -> None:
    plan = parse_text(paragraph)
    assert [p.no for p in plan.projects] == [1, 2, 3]
    assert all(p.items[0].targets for p in plan.projects)
    assert not any("完成" in p.name + p.items[0].text for p in plan.projects)


def test_sub_points_inside_an_entry_stay_in_its_text() -> None:
    plan = parse_text("1.提升养老服务。包括：(1)新建养老院1家；(2)新增床位100张。\n2.新建学校2所。\n")
    assert [p.no for p in plan.projects] == [1, 2]
    assert plan.projects[0].items[0].text == "包括：(1)新建养老院1家；(2)新增床位100张。"


def test_an_entry_cut_off_mid_sentence_is_dropped_and_reported() -> None:
    plan = parse_text("1.新建学校2所。\n2.新建幼儿园1所。\n3.新增城市绿地面", name="cut.txt")
    assert [p.no for p in plan.projects] == [1, 2]
    assert plan.truncated
    (warning,) = [w for w in plan.warnings if w.code == "truncated"]
    assert warning.location == "line 3"


def test_an_entry_cut_off_in_its_unit_line_is_dropped() -> None:
    plan = parse_text(
        "(1)建设民俗公园。\n主办单位:住建局,协办单位:凤城镇。\n(2)修复路网。\n主办单位:县城投公司,协办单位:凤城镇。\n"
        "(3)改造提升东路。\n主办单位:县城投公司,协办"
    )
    assert [p.no for p in plan.projects] == [1, 2]
    assert plan.truncated


def test_a_closing_paragraph_about_the_whole_list_ends_it() -> None:
    plan = parse_text(
        "1.新建学校3所。\n2.新增学位2700个。\n区政府将把上述任务分解到责任部门，确保年底前全部完成。\n"
    )
    assert [p.no for p in plan.projects] == [1, 2]
    assert plan.projects[-1].items[0].text == "新增学位2700个。"


def test_a_sentence_after_the_first_one_in_an_entry_stays_in_it_unless_it_closes_the_list() -> None:
    plan = parse_text(
        "1.新建学校3所，新增学位900个。确保年底前全部完成。\n2.新建幼儿园1所，新增学位270个。\n"
    )
    assert [i.text for p in plan.projects for i in p.items] == [
        "新建学校3所，新增学位900个。确保年底前全部完成。",
        "新建幼儿园1所，新增学位270个。",
    ]


def test_signature_lines_after_the_list_are_not_part_of_the_last_entry() -> None:
    plan = parse_text("1.新建学校2所。\n2.新建幼儿园1所。\n\n新河县人民政府\n2024年2月8日\n")
    assert plan.projects[-1].items[0].text == "新建幼儿园1所。"


# --- title, region, year ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "region", "year", "title"),
    [
        (
            ["附件", "2024年常州市金坛区民生实事项目清单"],
            "常州市金坛区",
            2024,
            "2024年常州市金坛区民生实事项目清单",
        ),
        (
            [
                "江山市人民政府关于公布2023年市政府民生实事项目实施计划的通知",
                "各乡、镇人民政府:",
                "2023年市政府民生实事项目实施计划表",
            ],
            "江山市",
            2023,
            "2023年市政府民生实事项目实施计划表",
        ),
        (["大西北網訊 1月20日,榆中縣第十七屆人民代表大會召開第五次會議。"], "榆中縣", None, None),
        (["清河区2023年为民办实事项目安排"], "清河区", 2023, "清河区2023年为民办实事项目安排"),
        # news words before the name are not part of it; names that begin like a preposition stay whole
        (["記者日前從思明區政府獲悉，共2項："], "思明區", None, None),
        (["近日从广州市从化区政府获悉，共2项："], "广州市从化区", None, None),
        (["记者从江苏省常州市金坛区政府获悉，共2项："], "江苏省常州市金坛区", None, None),
        (["从化区人民政府关于2项工作的说明。"], "从化区", None, None),
        (["自流井区人民政府关于2项工作的说明。"], "自流井区", None, None),
        (["于都县人民政府关于2项工作的说明。"], "于都县", None, None),
    ],
)
def test_title_region_and_year_from_the_lines_before_the_list(
    lines: list[str], region: str, year: int | None, title: str | None
) -> None:
    plan = parse_text("\n".join([*lines, "1.新建学校2所。", "2.新建幼儿园1所。"]))
    assert (plan.region, plan.year, plan.title) == (region, year, title)


def test_an_introduction_announcing_more_projects_than_found_is_reported() -> None:
    plan = parse_text(
        "以下10个项目为2020年度政府民生实事项目:\n一、推进工程。新建学校2所。\n二、畅通循环。新增车位6000个。\n"
    )
    assert plan.truncated
    assert any(w.code == "count" and "10" in w.message for w in plan.warnings)


# --- warnings -------------------------------------------------------------------------------------------


def test_an_item_without_a_lead_unit_is_reported_where_units_are_given() -> None:
    doc = Document(
        blocks=[
            _table(
                ["序号", "项目名称", "主要内容", "责任单位"],
                ["1", "甲", "新建学校2所。", "区教育局"],
                ["2", "乙", "新建幼儿园1所。", ""],
            )
        ]
    )
    plan = build_plan(doc)
    assert [(w.code, w.location) for w in plan.warnings] == [("no_lead_unit", "table 1, row 3")]


def test_a_list_without_unit_columns_has_no_unit_warnings() -> None:
    plan = parse_text("1.新建学校2所。\n2.新建幼儿园1所。\n")
    assert not [w for w in plan.warnings if w.code == "no_lead_unit"]


def test_a_misspelt_unit_is_reported() -> None:
    rows = [["序号", "项目名称", "主要内容", "责任单位"]]
    rows += [[str(n), f"项目{n}", "新建学校2所。", "区农业农村局"] for n in range(1, 4)]
    rows += [["4", "项目4", "新建学校2所。", "区农业农材局"]]
    plan = build_plan(Document(blocks=[_table(*rows)]))
    (warning,) = [w for w in plan.warnings if w.code == "unit_spelling"]
    assert "区农业农材局" in warning.message and "区农业农村局" in warning.message
    assert warning.location == "table 1, row 5"


def test_unclassified_numbers_become_warnings_at_the_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "minsheng.parsing.targets.extract_targets",
        lambda text: Extraction(targets=[], unclassified=["第7号"]),
    )
    plan = parse_text("1.新建学校。\n2.新建幼儿园。\n")
    assert [(w.code, w.location) for w in plan.warnings] == [
        ("unclassified", "line 1"),
        ("unclassified", "line 2"),
    ]


# --- not a list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n", "一段与清单无关的文字。\n另一段文字。"])
def test_a_document_without_a_list_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_text(text, name="notes.txt")
    assert info.value.file == "notes.txt"


def test_a_table_without_the_needed_columns_names_the_table() -> None:
    with pytest.raises(ParseError) as info:
        build_plan(Document(blocks=[_table(["姓名", "年龄"], ["张三", "30"])], name="people.xlsx"))
    assert info.value.location == "table 1"
    assert "姓名" in info.value.reason


# --- anything else gives a plan or a ParseError ---------------------------------------------------------

_PIECES = [
    "序号", "项目名称", "主要内容", "责任单位", "配合单位", "責任單位", "1", "2", "12", "一、", "（一）", "(1)", "1.", "１．",
    "第一项", "①", "教育类（3件）", "新建学校2所。", "惠及学生3500余名", "区教育局", "各镇（街道）", "（牵头单位:市人社局）",
    "责任单位：", "配合单位：", "主办单位:", "，", "。", "；", "、", "\n", "\t", " ", "|", "★", "（常有优学）", "2024年",
    "常州市金坛区", "民生实事项目清单", "分别是：", "",
]  # fmt: skip
_text = st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=25).map("".join)
_cell = st.builds(Cell, _text, st.booleans())
_row = st.builds(Row, st.lists(_cell, max_size=6), st.just("row"))
_block = st.builds(Paragraph, _text, st.just("line 1")) | st.builds(
    Table, st.lists(_row, max_size=6), st.just("t")
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, max_size=5))
def test_any_document_gives_a_plan_or_a_parse_error(blocks: list[Paragraph | Table]) -> None:
    try:
        plan = build_plan(Document(blocks=blocks, name="random"))
    except ParseError as exc:
        assert exc.file == "random"
        return
    assert plan.projects
    assert all(isinstance(p.no, int) for p in plan.projects)
    json.loads(plan.to_json())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text)
def test_any_text_gives_a_plan_or_a_parse_error_from_the_layout_itself(text: str) -> None:
    document = document_from_text(text, name="random.txt")
    try:
        build_plan(document)
    except ParseError as exc:
        assert exc.file == "random.txt"


def test_labelled_lines_inside_an_entry() -> None:
    plan = parse_text(
        "1.项目名称：城东小学新建工程\n主要内容：新建城东小学1所。\n完成时限：2024年12月底\n总投资：8500\n"
        "责任单位：县教育局\n"
        "2.项目名称：食堂改造\n主要内容：改造学校食堂12所。\n完成时限：2024年9月\n总投资：600\n责任单位：县教育局\n"
    )
    assert [(p.name, p.items[0].text) for p in plan.projects] == [
        ("城东小学新建工程", "新建城东小学1所。"),
        ("食堂改造", "改造学校食堂12所。"),
    ]
    assert plan.projects[0].items[0].extra == {"deadline": "2024年12月底", "total_investment_wanyuan": 8500}
    assert plan.projects[0].items[0].lead_units == ["县教育局"]


def test_numbered_projects_with_bracketed_items() -> None:
    plan = parse_text(
        "1.优学工程（教育惠民）\n(1)新建学校2所。责任单位：县教育局\n(2)改造食堂12个。责任单位：县教育局\n"
        "2.康养工程\n(1)新增养老床位500张。责任单位：县民政局\n"
    )
    assert [(p.no, p.name, p.alias, p.category, [i.text for i in p.items]) for p in plan.projects] == [
        (1, "优学工程", "教育惠民", None, ["新建学校2所。", "改造食堂12个。"]),
        (2, "康养工程", None, None, ["新增养老床位500张。"]),
    ]


def test_paragraphs_under_a_project_title_are_its_items() -> None:
    plan = parse_text(
        "1.优学金沙（常有优学）\n"
        "优化教育布局，惠及学生3500余名。（责任单位：区教育局；配合单位：各镇（街道）、金坛建设）\n"
        "推进全区公办中小学食堂运营改革，\n规范资金监管。（责任单位：区教育局）\n"
        "2.健康金沙（常有健康）\n新建医疗卫生中心2个。\n新增全民健身场地10个以上。\n责任单位：区卫健局\n"
    )
    assert [
        (p.name, p.alias, [(i.text, i.lead_units, i.partner_units) for i in p.items]) for p in plan.projects
    ] == [
        (
            "优学金沙",
            "常有优学",
            [
                ("优化教育布局，惠及学生3500余名。", ["区教育局"], ["各镇（街道）", "金坛建设"]),
                ("推进全区公办中小学食堂运营改革，规范资金监管。", ["区教育局"], []),
            ],
        ),
        (
            "健康金沙",
            "常有健康",
            [("新建医疗卫生中心2个。", ["区卫健局"], []), ("新增全民健身场地10个以上。", ["区卫健局"], [])],
        ),
    ]


def test_a_table_without_a_name_column_names_projects_by_the_entry_name_rule() -> None:
    plan = parse_text(
        "序号\t项目名称及主要内容\t责任单位\n1\t新建学校。新建小学2所。\t区教育局\n2\t新增床位200张。\t区卫健局\n"
    )
    assert [(p.name, p.items[0].text) for p in plan.projects] == [
        ("新建学校", "新建小学2所。"),
        ("新增床位200张", "新增床位200张。"),
    ]


def test_a_second_content_column_is_kept_as_an_extra_column() -> None:
    plan = parse_text(
        "序号\t项目名称\t建设内容\t目标任务\t责任单位\n1\t甲\t新建学校2所。\t年底完成\t区教育局\n"
    )
    (item,) = plan.projects[0].items
    assert (item.text, item.lead_units, item.extra) == (
        "新建学校2所。",
        ["区教育局"],
        {"column_目标任务": "年底完成"},
    )


def test_category_headings_without_a_number() -> None:
    plan = parse_text(
        "2024年新河县民生实事项目\n（共3件）\n教育类（2件）\n1.新建学校2所。\n2.改造食堂12个。\n【民生保障】\n3.新增床位200张。\n"
    )
    assert [(p.no, p.category) for p in plan.projects] == [(1, "教育类"), (2, "教育类"), (3, "民生保障")]
    assert plan.title == "2024年新河县民生实事项目"


def test_numbered_paragraphs_of_the_notice_are_not_the_list() -> None:
    plan = parse_text(
        "新河县人民政府关于印发2024年民生实事项目的通知\n"
        "一、加强组织领导。各单位要高度重视，明确责任分工。\n二、强化督查考核。县政府督查室要定期督查。\n"
        "附件：2024年民生实事项目\n1.新建学校2所。\n2.改造食堂12个。\n3.新增床位200张。\n"
    )
    assert [p.name for p in plan.projects] == ["新建学校2所", "改造食堂12个", "新增床位200张"]


def test_numbered_paragraphs_of_the_notice_after_the_list_end_it() -> None:
    plan = parse_text(
        "2024年新河县民生实事项目\n1.新建学校2所。\n2.改造食堂12个。\n3.新增床位200张。\n"
        "一、加强组织领导。各单位要高度重视。\n二、强化督查。定期督查。\n"
    )
    assert [(p.name, p.items[0].text) for p in plan.projects] == [
        ("新建学校2所", "新建学校2所。"),
        ("改造食堂12个", "改造食堂12个。"),
        ("新增床位200张", "新增床位200张。"),
    ]
