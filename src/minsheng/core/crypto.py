"""Encryption of personal data at rest (个人信息加密存储): SM4-GCM with a key id so keys can rotate.

Stored form: ``pi1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``. SM4 (GB/T 32907, 国密) in GCM mode
is authenticated: a changed byte or the wrong key fails with `PersonalDataKeyError`, never garbage.

The key (16 bytes, base64) comes from the setting or environment variable ``MINSHENG_PI_KEY``, else is
generated once into ``var/pi_key`` (like the secret key). Older keys that must still decrypt go in
``MINSHENG_PI_OLD_KEYS`` (comma-separated base64); `rewrite_encrypted` moves rows to the current key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "pi1"
KEY_BYTES = 16  # SM4 has a 128-bit key
NONCE_BYTES = 12
TAG_BYTES = 16
ALGORITHM = "SM4-GCM"


class PersonalDataKeyError(Exception):
    """A stored value cannot be decrypted: its key is not configured, or the key or the value is wrong."""


def _decode_key(text: str, *, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{source} is not base64: {exc}") from exc
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{source} must decode to {KEY_BYTES} bytes (SM4), not {len(key)}")
    return key


@lru_cache(maxsize=4)
def _stored_key(path: Path) -> str:
    """The key kept in `path`, created on first use (mode 0600; the first of two racing processes wins)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = ""
    if text:
        return text
    path.parent.mkdir(parents=True, exist_ok=True)
    text = base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    return text


def key_id(key: bytes) -> str:
    """A short public name of a key (first 8 hex digits of its SHA-256), stored with each value."""
    return hashlib.sha256(key).hexdigest()[:8]


def current_key() -> bytes:
    """The key new values are encrypted with."""
    text = getattr(settings, "MINSHENG_PI_KEY", None) or os.environ.get("MINSHENG_PI_KEY")
    if text:
        return _decode_key(text, source="MINSHENG_PI_KEY")
    var_dir = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var"))
    return _decode_key(_stored_key(var_dir / "pi_key"), source=str(var_dir / "pi_key"))


def _keys() -> dict[str, bytes]:
    """Every key that may decrypt, by key id: the current one and the old ones being rotated out."""
    keys = [current_key()]
    old = getattr(settings, "MINSHENG_PI_OLD_KEYS", None) or os.environ.get("MINSHENG_PI_OLD_KEYS", "")
    if isinstance(old, str):
        old = [part for part in old.split(",") if part.strip()]
    keys += [_decode_key(text, source="MINSHENG_PI_OLD_KEYS") for text in old]
    return {key_id(key): key for key in keys}


def is_encrypted(value: str) -> bool:
    """Whether `value` is in the stored form (rows written before encryption are plain text)."""
    return value.startswith(PREFIX + ":")


def encrypt(plaintext: str, *, context: str = "") -> str:
    """`plaintext` encrypted with the current key; `context` (e.g. the column) is bound as associated data."""
    key = current_key()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}:{key_id(key)}:{blob}"


def decrypt(stored: str, *, context: str = "") -> str:
    """The plaintext of a stored value; `PersonalDataKeyError` if its key is missing or it was altered."""
    try:
        prefix, kid, blob = stored.split(":", 2)
        raw = base64.b64decode(blob, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise PersonalDataKeyError(f"stored personal data is malformed ({context or 'value'})") from exc
    if prefix != PREFIX or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise PersonalDataKeyError(f"stored personal data is malformed ({context or 'value'})")
    key = _keys().get(kid)
    if key is None:
        raise PersonalDataKeyError(
            f"personal data ({context or 'value'}) was encrypted with key {kid}, which is not configured: "
            "set MINSHENG_PI_KEY (or MINSHENG_PI_OLD_KEYS) to that key"
        )
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise PersonalDataKeyError(
            f"personal data ({context or 'value'}) failed authentication with key {kid}: wrong key or altered row"
        ) from exc


def rewrite_encrypted(model: type[models.Model], fields: list[str]) -> int:
    """Re-save `fields` of every row of `model` with the current key: encrypts plain legacy rows and
    moves rows off old keys (rotation). Reads decrypt, writes encrypt; returns the rows rewritten."""
    rows = list(model._default_manager.values_list("pk", *fields))
    for pk, *values in rows:
        model._default_manager.filter(pk=pk).update(**dict(zip(fields, values, strict=True)))
    return len(rows)


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (`encrypt`); reads give the plaintext. Not searchable or sortable.

    `context` (default: ``<table>.<column>``) is bound into each value, so a value copied to another
    column does not decrypt. Plain values (rows from before encryption) are read as they are until the
    data migration or `reencrypt` rewrites them.
    """

    def __init__(self, *args: Any, context: str = "", **kwargs: Any) -> None:
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.context:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def _context(self) -> str:
        return self.context or f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or not is_encrypted(value):
            return value
        return decrypt(value, context=self._context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        # Always encrypt, even text that looks encrypted: a proposer could type "pi1:…".
        if value is None or value == "":
            return value
        return encrypt(value, context=self._context())
