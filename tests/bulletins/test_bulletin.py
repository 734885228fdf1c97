"""The progress bulletin (进展通报): read back with python-docx; background generation; the command."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from dashboard.scenario import approve, build
from minsheng.alerts.services import period_close
from minsheng.bulletins.choices import BulletinState
from minsheng.bulletins.models import Bulletin
from minsheng.bulletins.selectors import bulletin_data, period_for
from minsheng.bulletins.services import bulletin_build


@pytest.fixture
def scenario(district: Any):
    scn = build(district)
    items = scn.items()
    approve(scn, items[0], 6, "1", milestones="done")
    approve(scn, items[1], 6, "0.2", problems="征地手续未办结")
    approve(scn, items[2], 6, "0.5")
    return scn


def read(content: bytes) -> Document:
    return Document(io.BytesIO(content))


def subtitle(doc: Document) -> str:
    """The line under the title: the period the bulletin covers."""
    texts = [p.text for p in doc.paragraphs]
    return texts[texts.index("关于2024年民生实事项目进展情况的通报") + 1]


def test_bulletin_document(scenario):
    period = period_for(scenario.plan, "2024-06")
    doc = read(bulletin_build(acting_user=None, plan=scenario.plan, period=period))
    texts = [p.text for p in doc.paragraphs]
    # 版头: the issuing organ (the region's office when the plan's settings name none) and the issue number.
    assert texts[0] == "常州市金坛区民生实事项目推进办公室" and "第1期" in texts
    assert subtitle(doc) == "（2024年6月）"
    summary = next(t for t in texts if t.startswith("2024年"))
    assert "共实施民生实事项目2大类4项" in summary and "已完成1项" in summary
    # One table per project, then the lagging list and the ranking.
    project_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "序号"]
    assert len(project_tables) == 2
    assert project_tables[0].rows[1].cells[4].text == "已完成"
    behind = next(t for t in doc.tables if t.rows[0].cells[0].text == "项目内容")
    reasons = [row.cells[5].text for row in behind.rows[1:]]
    assert "征地手续未办结" in reasons
    assert any(t.rows[0].cells[0].text == "名次" for t in doc.tables)
    late = texts[texts.index("四、逾期报送单位") + 1]
    assert texts[-2] == "常州市金坛区民生实事项目推进办公室　　2024年6月30日印发" or "印发" in texts[-1]
    assert "未报送1项" in late  # item 4 was never reported
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert "PAGE" in section.footer._element.xml
    fonts = {el.get(qn("w:eastAsia")) for el in doc.element.body.iter(qn("w:rFonts"))}
    assert {"黑体", "仿宋_GB2312"} <= fonts


def test_closed_period_reads_its_snapshot(scenario):
    period = period_for(scenario.plan, "2024-06")
    period_close(acting_user=scenario.office, period=period)
    before = bulletin_data(scenario.plan, period)
    assert before.from_snapshots
    # A later approval for June's successor does not change June's bulletin.
    approve(scenario, scenario.items()[3], 7, "1", milestones="done")
    after = bulletin_data(scenario.plan, period)
    assert [(i.pk, i.status) for i in after.items] == [(i.pk, i.status) for i in before.items]


def test_command_writes_the_file(tmp_path, scenario):
    out = tmp_path / "bulletin.docx"
    call_command("bulletin", str(scenario.plan.pk), "--period", "2024-06", "-o", str(out))
    assert subtitle(read(out.read_bytes())) == "（2024年6月）"
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("bulletin", str(scenario.plan.pk), "--period", "June", "-o", str(out))


def test_page_writes_in_the_background_and_offers_the_file(
    client, scenario, django_capture_on_commit_callbacks
):
    client.force_login(scenario.office)
    period = period_for(scenario.plan, "2024-06")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bulletins:index"), {"plan": scenario.plan.pk, "period": period.pk})
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("bulletins:detail", args=[bulletin.pk])
    assert bulletin.state == BulletinState.DONE and bulletin.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert reverse("bulletins:download", args=[bulletin.pk]) in page
    download = client.get(reverse("bulletins:download", args=[bulletin.pk]))
    assert subtitle(read(b"".join(download.streaming_content))) == "（2024年6月）"


def test_page_shows_progress_while_waiting(client, scenario):
    client.force_login(scenario.office)
    period = period_for(scenario.plan, "2024-06")
    waiting = Bulletin.objects.create(
        plan=scenario.plan, period=period, state=BulletinState.RUNNING, progress=60
    )
    html = client.get(reverse("bulletins:detail", args=[waiting.pk])).content.decode()
    assert 'value="60"' in html and 'hx-trigger="every 2s"' in html


def test_reporters_cannot_make_bulletins(client, scenario):
    client.force_login(next(iter(scenario.reporters.values())))
    assert client.get(reverse("bulletins:index")).status_code == 403
