"""Writes of the sites app: sites by hand, from .xlsx, from the list's 建设地点 column; the per-site flag;
values per site; the region's boundary. Each is one transaction with one audit row."""

from minsheng.sites.services.boundary import boundary_upload
from minsheng.sites.services.common import SiteInput, boundary_polygons, check_point, coordinate, towns_of
from minsheng.sites.services.places import LIST_COLUMNS, list_places, sites_from_list, sites_on_publish
from minsheng.sites.services.sheets import (
    COLUMNS,
    MAX_ROWS,
    MAX_XLSX_BYTES,
    SitesImportFailed,
    read_site_sheet,
    sites_import,
)
from minsheng.sites.services.sites import site_delete, site_reports_touch, site_save, site_set_update
from minsheng.sites.services.values import site_values_save

__all__ = [
    "COLUMNS",
    "LIST_COLUMNS",
    "MAX_ROWS",
    "MAX_XLSX_BYTES",
    "SiteInput",
    "SitesImportFailed",
    "boundary_polygons",
    "boundary_upload",
    "check_point",
    "coordinate",
    "list_places",
    "read_site_sheet",
    "site_delete",
    "site_reports_touch",
    "site_save",
    "site_set_update",
    "site_values_save",
    "sites_from_list",
    "sites_import",
    "sites_on_publish",
    "towns_of",
]
