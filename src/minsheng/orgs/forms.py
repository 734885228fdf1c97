"""Unit and region forms for the office's and system administrator's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.accounts import policies
from minsheng.accounts.models import User
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.models import Region


class UnitForm(forms.Form):
    """A unit's name (and, for a new unit, its region and kind)."""

    name = forms.CharField(label=_("Name"), max_length=255)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind"))

    def __init__(self, manager: User, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = policies.manager_region_ids(manager)
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.all() if scope is None else Region.objects.filter(pk__in=scope)
        )
        self.fields["kind"].choices = UnitKind.choices  # type: ignore[attr-defined]
        if not creating:
            del self.fields["region"]
            del self.fields["kind"]


class AliasForm(forms.Form):
    """Another name lists use for the unit."""

    alias = forms.CharField(label=_("Also written as"), max_length=255)


class RegionForm(forms.Form):
    """A new region under one the manager keeps."""

    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ModelChoiceField(label=_("Parent region"), queryset=Region.objects.none())
    code = forms.CharField(
        label=_("Division code"),
        max_length=255,
        required=False,
        help_text=_("The official code when known; otherwise leave empty."),
    )

    def __init__(self, manager: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = policies.manager_region_ids(manager)
        self.fields["parent"].queryset = (  # type: ignore[attr-defined]
            Region.objects.all() if scope is None else Region.objects.filter(pk__in=scope)
        )


class RegionPortalForm(forms.Form):
    """The public portal's footer of a region."""

    organiser = forms.CharField(
        label=_("Issuing organisation"),
        max_length=100,
        required=False,
        help_text=_(
            "主办单位 shown at the foot of the public pages; empty: the region's people's government."
        ),
    )
    note = forms.CharField(
        label=_("Footer note"),
        max_length=200,
        required=False,
        help_text=_("A second footer line, e.g. the site's registration number or a contact telephone."),
    )
