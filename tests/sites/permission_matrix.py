"""Permission-matrix rows of the sites pages (collected by tests/test_permission_matrix.py): the office
manages sites and prints signs; the QR codes and site pages of a published plan are public."""

from __future__ import annotations

from typing import Any

from minsheng.sites.models import Site
from test_permission_matrix import PAGE_OFFICE_FORM, Case, expect, same

OFFICE_POST = expect(302, 302, 403, 403, 403, 403, 403)


def item_id(s: Any) -> dict[str, Any]:
    return {"item_id": s.world.item.pk}


def site(s: Any) -> dict[str, Any]:
    return {"pk": s.site.pk}


def site_body(s: Any, user: Any) -> dict[str, Any]:
    return {"name": "新点位", "address": "金城镇"}


MATRIX: list[Case] = [
    Case("sites:index", "GET", PAGE_OFFICE_FORM),
    Case("sites:item", "GET", PAGE_OFFICE_FORM, kwargs=item_id),
    Case("sites:item", "POST", OFFICE_POST, kwargs=item_id, body=site_body),
    Case("sites:upload", "POST", OFFICE_POST, kwargs=item_id),
    Case("sites:from_list", "POST", OFFICE_POST, kwargs=item_id),
    Case("sites:per_site", "POST", OFFICE_POST, kwargs=item_id, body=lambda s, u: {"per_site": "1"}),
    Case("sites:sign", "GET", PAGE_OFFICE_FORM, kwargs=item_id),
    Case("sites:edit", "GET", PAGE_OFFICE_FORM, kwargs=site),
    Case("sites:edit", "POST", OFFICE_POST, kwargs=site, body=site_body),
    Case("sites:delete", "POST", OFFICE_POST, kwargs=site),
    Case("sites:boundary", "POST", OFFICE_POST, kwargs=lambda s: {"region_id": s.world.plan.region_id}),
    Case("sites_public:item_qr", "GET", same(200, 200), kwargs=lambda s: {"pk": s.world.item.pk}),
    Case("sites_public:site", "GET", same(200, 200), kwargs=site),
    Case("sites_public:site_qr", "GET", same(200, 200), kwargs=site),
]


def extend(scenario: Any) -> None:
    """A site of the scenario's item."""
    scenario.site = Site.objects.create(item=scenario.world.item, name="华城社区")
