"""The region's boundary (区划边界) from a GeoJSON file."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.changes import changes_bump_on_commit
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.models import Region
from minsheng.sites import geo, policies
from minsheng.sites.models import Boundary, Site
from minsheng.sites.services.common import require


@transaction.atomic
def boundary_upload(*, acting_user: Any, region: Region, data: bytes, name: str) -> Boundary:
    """Store the region's outline from a GeoJSON file (Polygon/MultiPolygon). Refused when it is not an
    area, too large, or when sites already placed in the region would fall outside it."""
    require(
        acting_user is None or policies.can_manage_boundary(acting_user, region),
        _("Only the office of the region uploads its boundary."),
    )
    polygons = geo.parse_boundary(data, name)
    outside = [
        s.name
        for s in Site.objects.filter(item__project__plan__region=region, latitude__isnull=False).only(
            "name", "latitude", "longitude"
        )
        if not geo.point_in_polygons(float(s.longitude or 0), float(s.latitude or 0), polygons)
    ]
    if outside:
        raise ValidationFailed(
            _(
                "“%(file)s”: %(n)d sites would lie outside this boundary (%(names)s); correct them or the file."
            )
            % {"file": name, "n": len(outside), "names": "、".join(outside[:5])},
            field="file",
        )
    boundary = Boundary.objects.filter(region=region).first()
    before = {"source_name": boundary.source_name} if boundary else None
    if boundary is None:
        boundary = Boundary(region=region)
    boundary.polygons = polygons
    boundary.source_name = name[:255]
    boundary.uploaded_by = acting_user if getattr(acting_user, "pk", None) else None
    boundary.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=boundary,
        before=before,
        after={"source_name": boundary.source_name, "polygons": len(polygons)},
        message="boundary_upload",
    )
    changes_bump_on_commit()  # public pages (item, map) show sites
    return boundary
