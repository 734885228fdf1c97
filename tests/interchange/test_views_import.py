"""The import page through the test client: upload → preview → commit, re-import, failures, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories import PASSWORD, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.interchange.models import ImportBatch
from minsheng.plans.models import Item, Plan, Project, Target

pytestmark = pytest.mark.django_db

JINTAN = Path(__file__).resolve().parents[1] / "parsing" / "corpus" / "shared" / "docs" / "jintan-2024.txt"


def small_list(parks: int = 5) -> bytes:
    """A two-project list laid out like the Jintan text export (one table cell per line, tab first)."""
    rows = [
        ["序号", "项目名称", "主要内容", "责任单位", "配合单位"],
        ["1", "健康金沙", f"新建口袋公园{parks}个，惠及群众3000余人。", "区住建局", "各镇（街道）"],
        ["", "", "新增社区卫生服务站2个。", "区卫健局", ""],
        ["2", "安居金沙", "完成老旧小区改造10个。", "区住建局", ""],
    ]
    lines = ["2024年常州市金坛区民生实事项目清单", ""]
    for row in rows:
        lines.extend("\t" + cell for cell in row)
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def confirm(client: Any, url: str) -> Any:
    """Commit a preview, creating each unit the region does not know yet on purpose."""
    preview = client.get(url).context["preview"]
    names = [u.written_as for u in preview.units_new if u.via == "new"] if preview else []
    return client.post(url, {f"unit:{name}": "new" for name in names})


def signed_in(client: Any, user: Any) -> Any:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(client: Any, data: bytes, name: str = "list.txt", **fields: Any) -> Any:
    return client.post(
        reverse("interchange:import_upload"),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream"), **fields},
    )


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_anonymous_is_sent_to_sign_in(client, district):
    response = client.get(reverse("interchange:import_upload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["reviewer", "reporter", "leader", "deputy"])
def test_only_the_office_imports(client, district, office, role):
    user = UserFactory(username=f"{role}7", role=role, region=district)
    signed_in(client, office)
    batch_url = upload(client, small_list())["Location"]
    client.logout()
    signed_in(client, user)
    assert client.get(reverse("interchange:import_upload")).status_code == 403
    assert upload(client, small_list()).status_code == 403
    assert client.get(batch_url).status_code == 403
    assert client.post(batch_url).status_code == 403
    assert client.post(batch_url + "retarget/", {"year": "2025"}).status_code == 403
    assert not Plan.objects.exists()
    assert "/import/" not in client.get(reverse("plans:plan_list")).content.decode()


def test_upload_preview_commit(client, district, office):
    signed_in(client, office)
    form = client.get(reverse("interchange:import_upload"))
    assert form.status_code == 200
    assert "江苏省/常州市/金坛区" in form.content.decode()  # the office's region is the default
    response = upload(client, small_list(), name="金坛清单.txt")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "2024年常州市金坛区民生实事项目清单" in html  # title from the parse
    assert "健康金沙" in html and "安居金沙" in html
    assert "新建口袋公园5个" in html  # a target's quote
    assert "区住建局" in html and "各镇（街道）" in html  # units to create
    assert not Plan.objects.exists()  # nothing imported before confirming
    done = confirm(client, response["Location"])
    plan = Plan.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    assert (plan.region, plan.year, plan.source_name) == (district, 2024, "金坛清单.txt")
    assert Item.objects.filter(project__plan=plan).count() == 3
    page = client.get(done["Location"]).content.decode()
    assert "完成老旧小区改造10个。" in page
    # Committing the same upload twice does nothing more.
    again = confirm(client, response["Location"])
    assert again.status_code == 422
    assert Plan.objects.count() == 1


def test_preview_again_with_another_year_and_title(client, district, office):
    signed_in(client, office)
    first_url = upload(client, small_list())["Location"]
    html = client.get(first_url).content.decode()
    assert 'id="commit"' in html
    assert 'value="江苏省/常州市/金坛区"' in html and 'value="2024"' in html  # the parse's values, editable
    first = ImportBatch.objects.get()
    response = client.post(
        reverse("interchange:import_retarget", args=[first.pk]),
        {"region": "江苏省/常州市/金坛区", "year": "2025", "title": "2025年测试清单"},
    )
    assert response.status_code == 302
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    assert (second.year, second.title, second.source_name) == (2025, "2025年测试清单", first.source_name)
    assert response["Location"] == reverse("interchange:import_preview", args=[second.pk])
    confirm(client, response["Location"])
    plan = Plan.objects.get()
    assert (plan.year, plan.title) == (2025, "2025年测试清单")
    bad = client.post(reverse("interchange:import_retarget", args=[first.pk]), {"region": "不存在区"})
    assert bad.status_code == 422 and "不存在区" in bad.content.decode()
    assert ImportBatch.objects.count() == 2


def test_reimport_of_an_edited_list_shows_and_applies_the_diff(client, district, office):
    signed_in(client, office)
    confirm(client, upload(client, small_list(parks=5))["Location"])
    plan = Plan.objects.get()
    kept = Target.objects.get(item__project__plan=plan, quote="新增社区卫生服务站2个")
    # The same list again: nothing to change.
    same = client.get(upload(client, small_list(parks=5))["Location"]).content.decode()
    assert "brings nothing new" in same or "没有新内容" in same
    # An edited list: the park target changes, the other stays.
    response = upload(client, small_list(parks=6))
    html = client.get(response["Location"]).content.decode()
    assert 'class="diff-modified"' in html
    assert "新建口袋公园5个" in html and "新建口袋公园6个" in html
    confirm(client, response["Location"])
    assert Plan.objects.count() == 1
    assert Target.objects.filter(item__project__plan=plan, quote="新建口袋公园6个").exists()
    assert Target.objects.get(pk=kept.pk).quote == "新增社区卫生服务站2个"  # same row, progress kept


def test_jintan_seed_through_the_page(client, district, office):
    signed_in(client, office)
    response = upload(client, JINTAN.read_bytes(), name="jintan-2024.txt")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    counts = batch.preview["counts"]
    assert counts["projects"] >= 10 and counts["items"] > counts["projects"]
    html = client.get(response["Location"]).content.decode()
    assert "优学金沙" in html and "区教育局" in html
    confirm(client, response["Location"])
    plan = Plan.objects.get()
    assert Project.objects.filter(plan=plan).count() == counts["projects"]
    assert Item.objects.filter(project__plan=plan).count() == counts["items"]
    assert Target.objects.filter(item__project__plan=plan).count() == counts["targets"]
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "惠及学生3500余名" in page  # a target's quote on hover
    assert AuditEvent.objects.filter(action="import", plan=plan, actor=office).exists()


def test_a_parse_error_is_shown_and_nothing_is_saved(client, district, office, settings):
    signed_in(client, office)
    response = upload(client, b"PK\x03\x04 not really a zip", name="broken.docx")
    assert response.status_code == 422
    html = response.content.decode()
    assert "broken.docx" in html  # the file
    assert "damaged" in html or "zip" in html  # the reason
    assert not ImportBatch.objects.exists()
    assert not Plan.objects.exists()
    assert media_files(settings) == []


def test_text_without_a_list_is_a_parse_error(client, district, office):
    signed_in(client, office)
    response = upload(client, "2024年常州市金坛区民生实事项目清单\n\n没有表格。\n".encode(), name="empty.txt")
    assert response.status_code == 422
    html = response.content.decode()
    assert "empty.txt" in html and "序号" in html  # where, and what was looked for
    assert not ImportBatch.objects.exists()


def test_a_list_without_projects_cannot_be_committed(client, district, office):
    signed_in(client, office)
    data = json.dumps({"region": "常州市金坛区", "year": 2024, "title": "空清单", "projects": []}).encode()
    response = upload(client, data, name="empty.json")
    preview_url = response["Location"]
    html = client.get(preview_url).content.decode()
    assert 'role="alert"' in html
    assert 'id="commit"' not in html  # no confirm button
    assert client.post(preview_url).status_code == 422
    assert not Plan.objects.exists()


def test_unknown_region_is_a_form_error(client, district, office):
    signed_in(client, office)
    response = upload(client, small_list(), region="不存在区")
    assert response.status_code == 200
    assert "不存在区" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_export_downloads_plan_json(client, district, office):
    signed_in(client, office)
    confirm(client, upload(client, small_list())["Location"])
    plan = Plan.objects.get()
    response = client.get(reverse("interchange:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [p["name"] for p in data["projects"]] == ["健康金沙", "安居金沙"]


def test_parse_warnings_are_shown_on_the_preview_and_the_plan(client, district, office):
    signed_in(client, office)
    data = {
        "region": "常州市金坛区",
        "year": 2024,
        "title": "带提示的清单",
        "projects": [
            {
                "no": 1,
                "name": "健康金沙",
                "alias": None,
                "items": [{"text": "新建口袋公园5个。", "lead_units": ["区住建局"], "partner_units": []}],
            }
        ],
        "warnings": [{"location": "line 7", "code": "check", "message": "数字看不清，请核对"}],
    }
    response = upload(client, json.dumps(data, ensure_ascii=False).encode(), name="warned.json")
    assert "行 7: 数字看不清，请核对" in client.get(response["Location"]).content.decode()
    confirm(client, response["Location"])
    plan = Plan.objects.get()
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "行 7: 数字看不清，请核对" in page
