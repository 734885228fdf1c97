"""Forms of the office's site pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.choices import RegionLevel
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import region_descendant_ids
from minsheng.sites.services import SiteInput


class SiteForm(forms.Form):
    """A site's name, town, address and coordinates (both or neither)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    town = forms.ModelChoiceField(label=_("Town or street"), queryset=Region.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )

    def __init__(self, region: Region, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            pk__in=region_descendant_ids(region), level=RegionLevel.TOWN
        ).order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("longitude") is None) != (data.get("latitude") is None):
            raise forms.ValidationError(_("Give both longitude and latitude, or neither."))
        return data

    def site_input(self) -> SiteInput:
        data = self.cleaned_data
        return SiteInput(
            name=data["name"],
            town=data.get("town"),
            address=data.get("address") or "",
            longitude=data.get("longitude"),
            latitude=data.get("latitude"),
        )


class UploadForm(forms.Form):
    """A file: a site sheet (.xlsx) or a boundary (GeoJSON)."""

    file = forms.FileField(label=_("File"))
