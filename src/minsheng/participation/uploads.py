"""Photos and documents attached by deputies (视察 photos) and units (整改 evidence).

The checks are progress's evidence checks, reused as they are (`minsheng.progress.evidence`): the type
is read from the content, size limits apply, markup and active PDFs are refused, and images get a
re-encoded copy without EXIF (GPS, camera) plus a thumbnail. The original is kept for the office only.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core.exceptions import ValidationFailed
from minsheng.progress import evidence as checks

MAX_FILES = 10


def _random_name(folder: str, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    token = secrets.token_hex(16)
    return f"participation/{folder}/{token[:2]}/{token}{suffix}"


def original_path(instance: Any, filename: str) -> str:
    return _random_name("original", filename)


def public_path(instance: Any, filename: str) -> str:
    return _random_name("public", filename)


def thumbnail_path(instance: Any, filename: str) -> str:
    return _random_name("thumb", filename)


class StoredFile(models.Model):
    """A checked upload: the original (office only), a clean public copy and a thumbnail for images."""

    original = models.FileField(gettext_lazy("original file"), upload_to=original_path, max_length=200)
    public_copy = models.FileField(
        gettext_lazy("public copy"), upload_to=public_path, blank=True, max_length=200
    )
    thumbnail = models.FileField(
        gettext_lazy("thumbnail"), upload_to=thumbnail_path, blank=True, max_length=200
    )
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    content_type = models.CharField(gettext_lazy("content type"), max_length=100)
    size = models.PositiveBigIntegerField(gettext_lazy("size in bytes"))
    sha256 = models.CharField(gettext_lazy("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def check_uploads(uploads: Iterable[Any]) -> list[tuple[str, bytes, checks.Processed]]:
    """Read and check every upload before anything is stored; the first bad file refuses them all."""
    files = list(uploads)
    if len(files) > MAX_FILES:
        raise ValidationFailed(_("At most %d files at a time.") % MAX_FILES, field="files")
    checked = []
    for upload in files:
        name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:255]
        data = checks.read_upload(upload, name)
        checked.append((name, data, checks.process(data, name)))
    return checked


def store(instance: StoredFile, name: str, data: bytes, processed: checks.Processed) -> None:
    """Write the files of one checked upload and save the row (the caller removes files on failure)."""
    instance.original_name = name
    instance.content_type = processed.kind.content_type
    instance.size = len(data)
    instance.sha256 = processed.sha256
    instance.original.save("f" + processed.kind.extension, ContentFile(data), save=False)
    if processed.public_copy is not None:
        ext = checks.public_kind(processed.kind).extension
        instance.public_copy.save("f" + ext, ContentFile(processed.public_copy), save=False)
    if processed.thumbnail is not None:
        instance.thumbnail.save("f.jpg", ContentFile(processed.thumbnail), save=False)
    instance.save()


def remove_files(instances: Iterable[StoredFile]) -> None:
    """Delete the stored files of rows whose transaction failed."""
    for instance in instances:
        for field in (instance.original, instance.public_copy, instance.thumbnail):
            if field.name:
                field.storage.delete(field.name)


def file_response(stored: StoredFile, variant: str) -> FileResponse | None:
    """The file to send for `variant` (original, public, thumb); None when there is no such variant.

    Only the re-encoded copies may show inline; an original (the bytes as uploaded) is an attachment.
    """
    if variant == "original":
        field, content_type = stored.original, stored.content_type
    elif variant == "thumb" and stored.thumbnail:
        field, content_type = stored.thumbnail, "image/jpeg"
    elif variant in ("public", "thumb") and stored.public_copy:
        field = stored.public_copy
        content_type = "image/png" if stored.public_copy.name.endswith(".png") else "image/jpeg"
    elif variant in ("public", "thumb") and not stored.is_image:
        field, content_type = stored.original, stored.content_type  # documents have no copy
    else:
        return None
    attachment = field.name == stored.original.name
    name = stored.original_name if attachment else f"{stored.pk}.jpg"
    response = FileResponse(
        field.open("rb"), content_type=content_type, as_attachment=attachment, filename=name
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
