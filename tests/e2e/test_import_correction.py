"""Correcting a misread list in the browser before importing it: no Django admin, no shell."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import sign_in
from factories import PASSWORD
from interchange.test_preview_edits import GOLD, MISREAD
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.services import plan_export_json

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")


def _step(page: Any, button: Any) -> None:
    """Click a correction and wait until the preview shows the next version (HTMX swaps it in)."""
    version = page.locator("#commit input[name=version]").input_value()
    button.click()
    expect(page.locator("#commit input[name=version]")).to_have_value(str(int(version) + 1))


def _item_form(page: Any, place: str, form: str) -> Any:
    item = page.locator(f"#{place}")
    item.locator("details.edit > summary").click()
    return item.locator(f"form[data-form={form}]")


def test_office_corrects_a_misread_list_in_the_preview_and_imports_it(live_server, browser, office, shots):
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, office.username, PASSWORD, "/import/")
    page.goto(f"{base}/import/")
    page.locator("input[type=file][name=file]").set_input_files(str(MISREAD))
    page.locator("main form button[type=submit]").click()
    _settle(page)
    assert "/import/" in page.url and page.locator("#outline").count() == 1

    # The parser read the three categories as headings over five projects: read each as one project.
    for _ in range(3):
        _step(page, page.locator("#outline [data-test=category-to-project]").first)
    assert page.locator("#outline section.project").count() == 3

    # Two items that are one, one item that is two.
    _item_form(page, "p0-i0", "item_merge_next")  # opens the item's corrections
    _step(page, page.locator("#p0-i0 button[data-op=item_merge_next]"))
    split = _item_form(page, "p1-i1", "item_split")
    split.locator("input[name=at]").fill("建设老年助餐点")
    _step(page, split.locator("button[type=submit]"))

    # A unit the list left out, a spurious target and a missing one.
    units = _item_form(page, "p2-i0", "item_units")
    units.locator("textarea[name=partner_units]").fill("金坛建设")
    _step(page, units.locator("button[type=submit]"))
    _step(page, page.locator("#p1-i0 button[data-op=target_delete]").nth(1))
    add = _item_form(page, "p2-i0", "target_add")
    add.locator("input[name=quote]").fill("物业管理全覆盖")
    add.locator("input[name=value]").fill("100")
    add.locator("input[name=unit]").fill("%")
    _step(page, add.locator("button[type=submit]"))
    assert "物业管理全覆盖" in page.locator("#p2-i0").inner_text()
    page.screenshot(path=str(shots / "import-correction.png"), full_page=True)

    # Reload: every step is still there.
    page.reload()
    assert page.locator("#outline section.project").count() == 3

    # Every unit the region does not know yet is created on purpose, then the list is imported.
    for select in page.locator("#commit select").all():
        select.select_option("new")
    page.locator("#commit button[type=submit]").click()
    _settle(page)
    assert "/plans/" in page.url
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "committed"
    assert plan_export_json(batch.plan)["projects"] == GOLD
    context.close()
