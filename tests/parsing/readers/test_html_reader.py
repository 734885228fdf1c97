"""The web page reader: site furniture dropped, rowspan/colspan, encodings, saved pages."""

from __future__ import annotations

import pytest
from builders import build_html, grid_mismatches, load_gold, table_grid

from minsheng.parsing.blocks import Paragraph, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import read_bytes


def _page(body: str, charset: str = "utf-8") -> bytes:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body>{body}</body></html>'.encode(
        "gb18030" if charset.lower() in ("gbk", "gb2312") else charset
    )


def test_published_jintan_page():
    document = read_bytes(build_html(), "jintan.html")
    text = "\n".join(
        b.text if isinstance(b, Paragraph) else "\n".join("|".join(r.texts) for r in b.rows)
        for b in document.blocks
    )
    for furniture in ("首页", "政务公开", "当前位置", "版权所有", "统计代码", "console"):
        assert furniture not in text
    [table] = [b for b in document.blocks if isinstance(b, Table)]
    assert table.rows[0].texts == ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
    assert grid_mismatches(table.rows[1:], table_grid(load_gold())) == []
    assert "附件" in [b.text for b in document.blocks if isinstance(b, Paragraph)]


def test_rowspan_and_colspan():
    body = """<table>
      <tr><th>序号</th><th>项目名称</th><th>主要内容</th><th>责任单位</th></tr>
      <tr><td colspan="4">一、教育类</td></tr>
      <tr><td rowspan="2">1</td><td rowspan="2">优学</td><td>新建学校3所</td><td rowspan="2" colspan="1">区教育局</td></tr>
      <tr><td>改造操场2个</td></tr>
      <tr><td>2</td><td>健康</td><td>新建医院1所</td><td>区卫健局</td></tr>
    </table>"""
    [table] = read_bytes(_page(body), "t.html").blocks
    assert [r.texts for r in table.rows] == [
        ["序号", "项目名称", "主要内容", "责任单位"],
        ["一、教育类"],
        ["1", "优学", "新建学校3所", "区教育局"],
        ["1", "优学", "改造操场2个", "区教育局"],
        ["2", "健康", "新建医院1所", "区卫健局"],
    ]
    assert [c.continued for c in table.rows[3].cells] == [True, True, False, True]
    assert table.rows[3].location == "table 1, row 4"


def test_two_row_header_becomes_one_row_of_labels():
    body = """<table><thead>
      <tr><th colspan="4">2024年民生实事项目</th></tr>
      <tr><th rowspan="2">序号</th><th rowspan="2">项目名称</th><th colspan="2">责任主体</th></tr>
      <tr><th>牵头单位</th><th>配合单位</th></tr></thead>
      <tbody><tr><td>1</td><td>优学</td><td>区教育局</td><td>各镇</td></tr></tbody></table>"""
    [table] = read_bytes(_page(body), "t.html").blocks
    assert [r.texts for r in table.rows] == [
        ["2024年民生实事项目"],
        ["序号", "项目名称", "牵头单位", "配合单位"],
        ["1", "优学", "区教育局", "各镇"],
    ]


def test_layout_table_around_the_data_table_is_not_data():
    body = """<table><tr><td><a href="/">首页</a></td></tr><tr><td>
      <p>2024年民生实事项目</p>
      <table><tr><td>序号</td><td>项目名称</td></tr><tr><td>1</td><td>优学</td></tr></table>
    </td></tr></table>"""
    blocks = read_bytes(_page(body), "t.html").blocks
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [r.texts for r in tables[0].rows] == [["序号", "项目名称"], ["1", "优学"]]


def test_paragraph_list_with_breaks_and_source_line_wrapping():
    body = """<div id="zoom"><p>一、教育类</p><p>1.新建学校
    3所。责任单位：区教育局<br>2.改造操场2个。</p></div>"""
    texts = [b.text for b in read_bytes(_page(body), "t.html").blocks]
    # a newline in the HTML source between Chinese characters is not a space
    assert texts == ["一、教育类", "1.新建学校3所。责任单位：区教育局", "2.改造操场2个。"]


def test_ordered_list_numbers_are_written_in():
    body = """<ol><li>新建学校3所。</li><li><p>改造操场2个。</p></li></ol>
    <ol start="5" type="A"><li>新建医院1所。</li></ol><ul><li>无编号</li></ul>"""
    texts = [b.text for b in read_bytes(_page(body), "t.html").blocks]
    assert texts == ["1.新建学校3所。", "2.改造操场2个。", "E.新建医院1所。", "无编号"]


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "utf-8"])
def test_declared_charsets(charset):
    # 镕 is outside GB2312: sites that declare gb2312 really send GBK
    body = "<p>朱镕基路改造工程，项目名称</p>"
    [block] = read_bytes(_page(body, charset), "t.html").blocks
    assert block.text == "朱镕基路改造工程，项目名称"


def test_saved_web_archive_mht():
    html = _page("<p>序号 项目名称</p><table><tr><td>1</td><td>优学</td></tr></table>", "utf-8")
    import base64

    mht = (
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="----=_NextPart_0"\r\n\r\n'
        b"------=_NextPart_0\r\n"
        b'Content-Type: text/html; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(html)
        + b"\r\n------=_NextPart_0--\r\n"
    )
    blocks = read_bytes(mht, "清单.mht").blocks
    assert blocks[0].text == "序号 项目名称"
    assert blocks[1].rows[0].texts == ["1", "优学"]


def test_footer_and_related_links_without_semantic_tags_are_dropped():
    body = """<div class="main"><p>1.新建学校3所。</p></div>
    <div class="related"><h3>相关链接</h3><ul><li><a href="/1">2021年项目完成情况</a></li></ul></div>
    <div class="bottom">版权所有：某区人民政府 地址：某路9号</div><div>苏ICP备12045678号-1</div>"""
    assert [b.text for b in read_bytes(_page(body), "t.html").blocks] == ["1.新建学校3所。"]


def test_page_with_only_furniture_is_refused():
    body = "<nav>首页 政务公开</nav><script>var a = 1;</script><footer>版权所有</footer>"
    with pytest.raises(ParseError, match="no text"):
        read_bytes(_page(body), "empty.html")


def test_huge_rowspan_is_clamped():
    body = '<table><tr><td rowspan="999999999">1</td><td>a</td></tr><tr><td>b</td></tr></table>'
    [table] = read_bytes(_page(body), "t.html").blocks
    assert [r.texts for r in table.rows] == [["1", "a"], ["1", "b"]]
