"""`minsheng boundary REGION FILE`: store a region's outline from a GeoJSON file (as the 点位 page does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.orgs.selectors import region_find
from minsheng.sites import geo
from minsheng.sites.services import boundary_upload


class Command(BaseCommand):
    help = "Store a region's boundary (GeoJSON Polygon or MultiPolygon, longitude/latitude)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="Code, name or path (江苏省/常州市/金坛区) of the region.")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        region = region_find(options["region"])
        if region is None:
            raise CommandError(f"No region “{options['region']}”.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > geo.MAX_GEOJSON_BYTES:
            raise CommandError(f"{path.name}: larger than {geo.MAX_GEOJSON_BYTES // 2**20} MB.")
        try:
            boundary = boundary_upload(
                acting_user=None, region=region, data=path.read_bytes(), name=path.name
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Boundary of {region.name}: {len(boundary.polygons)} polygon(s) from {path.name}."
            )
        )
