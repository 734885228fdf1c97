"""民生码: QR codes (segno, pure Python) of the public item and site pages' absolute URLs."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse


def public_base_url() -> str:
    """`MINSHENG_PUBLIC_BASE_URL` (e.g. https://minsheng.example.gov.cn), without a trailing slash."""
    return str(getattr(settings, "MINSHENG_PUBLIC_BASE_URL", "") or "").rstrip("/")


def absolute_url(path: str, request: Any = None) -> str:
    """The address a phone opens: the configured public base URL, else the host of this request."""
    base = public_base_url()
    if base:
        return base + path
    if request is not None:
        return str(request.build_absolute_uri(path))
    return "http://localhost" + path


def item_url(item_id: int, request: Any = None) -> str:
    """Absolute URL of an item's public page."""
    return absolute_url(reverse("portal:item", args=[item_id]), request)


def site_url(site_id: int, request: Any = None) -> str:
    """Absolute URL of a site's public page."""
    return absolute_url(reverse("sites_public:site", args=[site_id]), request)


def qr_svg(url: str) -> bytes:
    """An SVG QR code of `url` (error correction M, a quiet zone of four modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=4, xmldecl=True, svgclass=None, lineclass=None
    )
    return out.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG QR code of `url`, for printing."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale)
    return out.getvalue()
