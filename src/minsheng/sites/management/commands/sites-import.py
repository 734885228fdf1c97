"""`minsheng sites-import ITEM_ID FILE.xlsx`: add or update an item's sites from a sheet (all rows or none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.plans.models import Item
from minsheng.sites.services import MAX_XLSX_BYTES, sites_import


class Command(BaseCommand):
    help = "Add or update an item's sites from an .xlsx (名称, 镇（街道）, 地址, 经度, 纬度)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("item_id", type=int)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        item = Item.objects.filter(pk=options["item_id"]).first()
        if item is None:
            raise CommandError(f"No item #{options['item_id']}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > MAX_XLSX_BYTES:
            raise CommandError(f"{path.name}: larger than {MAX_XLSX_BYTES // 2**20} MB.")
        try:
            sites = sites_import(acting_user=None, item=item, data=path.read_bytes(), name=path.name)
        except ServiceError as exc:
            errors = getattr(exc, "errors", None) or [exc.message]
            raise CommandError("\n".join(errors)) from exc
        self.stdout.write(self.style.SUCCESS(f"Item #{item.pk}: {len(sites)} site(s) from {path.name}."))
