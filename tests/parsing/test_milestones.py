"""Milestone extraction on sentences written the way other districts write their lists.

Expected outputs are hand labels by the rules of the corpus README: a specifically named work with
the state it must reach, the state worded as in the text, the verb before or after the subject.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.parsing.milestones import extract_milestones

NAMED: list[tuple[str, str, str]] = [
    # (text, state, subject)
    ("第四中学（二期）改扩建项目启动建设。", "启动建设", "第四中学（二期）改扩建项目"),
    ("城东污水处理厂三期工程开工建设。", "开工建设", "城东污水处理厂三期工程"),
    ("区人民医院新院区建成投用。", "建成投用", "区人民医院新院区"),
    ("凤凰山隧道竣工投用。", "竣工投用", "凤凰山隧道"),
    ("市民中心、档案馆加快推进。", "加快推进", "市民中心、档案馆"),
    ("加快建设滨江公园、体育中心等。", "加快建设", "滨江公园、体育中心"),
    ("开工建设人民路、解放路等3条道路。", "开工建设", "人民路、解放路等3条道路"),
    ("完成老城区雨污分流改造工程。", "完成", "老城区雨污分流改造工程"),
    ("建成南湖水库及配套水厂。", "建成", "南湖水库及配套水厂"),
    ("打通新华路北延段。", "打通", "新华路北延段"),
    ("改造提升中山路（解放路至人民路段）。", "改造提升", "中山路（解放路至人民路段）"),
    ("整治清水河、白马湖沿岸环境。", "整治", "清水河、白马湖沿岸环境"),
    ("修复古城墙西段。", "修复", "古城墙西段"),
    ("治理凤凰河水系，疏通河道。", "治理", "凤凰河水系"),
    ("建立区域医疗急救指挥中心。", "建立", "区域医疗急救指挥中心"),
    ("动建城南幼儿园。", "动建", "城南幼儿园"),
    ("建设人民公园。", "建设", "人民公园"),
    ("在城关镇卫生院内设立城关镇急救站。", "设立", "城关镇急救站"),
    ("利用闲置厂房筹建青年创业园。", "筹建", "青年创业园"),
    (
        "完成金海小商品批发中心、八佰市场等消防隐患和问题整改。",
        "完成整改",
        "金海小商品批发中心、八佰市场等消防隐患和问题",
    ),
    ("彭公桥、尧塘等3个市集完成改造提升。", "完成改造提升", "彭公桥、尧塘等3个市集"),
    ("长荡湖水厂（二期）工程竣工投用，新增供水规模10万立方米/日。", "竣工投用", "长荡湖水厂（二期）工程"),
    ("對城關河開展清淤疏浚。", "清淤疏浚", "城關河"),
    ("縣醫院門診綜合樓建成投用。", "建成投用", "縣醫院門診綜合樓"),
    ("完成興隆山水源涵養區保護工程。", "完成", "興隆山水源涵養區保護工程"),
    ("建成南坡灣、潘家坪調蓄水庫及水廠。", "建成", "南坡灣、潘家坪調蓄水庫及水廠"),
    ("全力整治104国道新塘路口等交通堵点3处。", "全力整治", "104国道新塘路口等交通堵点3处"),
    ("图书馆新馆投入使用。", "投入使用", "图书馆新馆"),
    ("现代型粮库和成品粮油低温库建成投用。", "建成投用", "现代型粮库和成品粮油低温库"),
    ("完成峡口镇大坑等6座小型水库加固改造工程。", "完成", "峡口镇大坑等6座小型水库加固改造工程"),
    ("美化亮化含光人行桥南北两岸绿地景观。", "美化亮化", "含光人行桥南北两岸绿地景观"),
    ("滨河公园二期开工。", "开工", "滨河公园二期"),
    ("加快推进G320国道改线工程。", "加快推进", "G320国道改线工程"),
    ("启动建设区第二人民医院。", "启动建设", "区第二人民医院"),
    ("城市展览馆、规划馆年内开工。", "开工", "城市展览馆、规划馆"),
    ("东部新城学校9月投入使用。", "投入使用", "东部新城学校"),
    ("力争人民医院新院区年底前建成。", "建成", "人民医院新院区"),
    ("启动城南片区棚户区改造。", "启动", "城南片区棚户区改造"),
    ("续建城市快速路二期工程。", "续建", "城市快速路二期工程"),
    ("新建华城中学。", "新建", "华城中学"),
    ("迁建三角城小学。", "迁建", "三角城小学"),
    ("提升改造人民广场。", "提升改造", "人民广场"),
    ("年内建成南湖公园。", "建成", "南湖公园"),
    ("全面完成老城区燃气管网改造工程。", "全面完成", "老城区燃气管网改造工程"),
    ("體育中心游泳館竣工。", "竣工", "體育中心游泳館"),
]


@pytest.mark.parametrize(("text", "state", "subject"), NAMED, ids=[n[0][:20] for n in NAMED])
def test_named_work_with_its_state(text: str, state: str, subject: str) -> None:
    got = extract_milestones(text)
    assert [(m.state, m.subject) for m in got] == [(state, subject)]
    assert got[0].quote in text
    assert subject in got[0].quote


NOT_MILESTONES = [
    "实施江苏淮安金陵中学小学部建设工程。",
    "开展农村人居环境整治。",
    "完成投用8座综合供能服务站。",
    "建成40所标准化学校。",
    "改造农村危旧房1320户。",
    "改造沿河景观环境，提升美化水平。",
    "建设联通城乡的紧密型医共体。",
    "完成20部电梯加装并投入使用。",
    "对听涛山庄、雅林西苑等28个小区进行“液改气”改造。",
    "启动低级别不可移动文物修缮保护。",
    "新建、改造彭公桥、西禅小游园等2个口袋公园。",
    "建设指前镇清水渎村等10个以上宜居宜业和美乡村。",
    "全年完成管道燃气进村入户改造3000户。",
    "由各单位在2022年11月份前完成改造。",
    "推进全区公办中小学食堂运营改革。",
    "提档升级配餐服务。",
    "建设登山健身步道3条。",
    "新增停车位6000个。",
    "完成年度目标任务。",
    "建立健全长效管理机制。",
    "整治提升小微水体21个。",
    "加快推进城乡供水一体化。",
    "建成区绿化覆盖率达到42%。",
    "完成全市中小学校教室采光和照明标准化改造2500个。",
    "计划分阶段对银河小学教学楼进行改建。",
    "全面实施“村村通公交”工程。",
    "新建精神障碍社区康复服务点2家。",
    "分批新建社区卫生服务站。",
    "新建、改造金沙老城雨污水管网10公里。",
    "新建地下停车场占地4041.18平方米。",
    "推进区域内医疗服务一体化发展。",
    "升级启用老年人助餐人脸识别系统。",
]


@pytest.mark.parametrize("text", NOT_MILESTONES, ids=[t[:20] for t in NOT_MILESTONES])
def test_generic_counted_or_led_by_shishi_is_not_a_milestone(text: str) -> None:
    assert extract_milestones(text) == []


def test_several_milestones_in_one_item_in_text_order() -> None:
    text = (
        "优化教育布局。第四中学（二期）改扩建项目启动建设；汇贤中学、朱林镇中心幼儿园移址新建项目加快推进；"
        "华城实验小学改扩建项目投入使用，惠及学生3500余名。"
    )
    got = [(m.state, m.subject) for m in extract_milestones(text)]
    assert got == [
        ("启动建设", "第四中学（二期）改扩建项目"),
        ("加快推进", "汇贤中学、朱林镇中心幼儿园移址新建项目"),
        ("投入使用", "华城实验小学改扩建项目"),
    ]


def test_pre_and_post_forms_in_one_item() -> None:
    text = "改造文府路(楚州大道至东长街段)道路、排水管网;整治北门大街、梁红玉路窨井盖,保证道路平整。"
    got = [(m.state, m.subject) for m in extract_milestones(text)]
    assert got == [
        ("改造", "文府路(楚州大道至东长街段)道路、排水管网"),
        ("整治", "北门大街、梁红玉路窨井盖"),
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "建成投用完成改造整治打通启动建设开工实施开展对在等个座条路桥河公园工程项目中心、，。；(（)）0123456789的以上"
            )
        ),
        max_size=80,
    )
)
def test_any_text_gives_quotes_that_are_substrings(text: str) -> None:
    for m in extract_milestones(text):
        assert m.quote in text
        assert m.subject and m.state
        assert m.subject in m.quote


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    extract_milestones(text)
