"""The upload form of the import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ACCEPTED = ".docx,.xlsx,.pdf,.html,.htm,.txt,.json,.doc,.wps,.et"


class ImportTargetForm(forms.Form):
    """Where a list goes; empty fields take the list's own region, year and title."""

    region = forms.CharField(
        label=_("Region"),
        max_length=255,
        required=False,
        help_text=_("Code, name or path such as 江苏省/常州市/金坛区. Empty: the region the list names."),
    )
    create_region = forms.BooleanField(
        label=_("Create the region if it does not exist yet"),
        required=False,
        help_text=_("Only inside your own region, e.g. a new district of your city."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1949,
        max_value=2200,
        required=False,
        help_text=_("Empty: the list's year."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False, help_text=_("Empty: the list's own title.")
    )


class ImportUploadForm(ImportTargetForm):
    """A list file, and where it goes."""

    field_order = ("file", "region", "create_region", "year", "title")

    file = forms.FileField(
        label=_("List file"),
        help_text=_("Word (.docx), Excel (.xlsx), PDF with a text layer, web page, text or Plan JSON."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = int(getattr(settings, "MINSHENG_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def source(self) -> tuple[bytes, str]:
        """The uploaded bytes and the file's name (without any directory part)."""
        upload: Any = self.cleaned_data["file"]
        name = (upload.name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
        return upload.read(), name
