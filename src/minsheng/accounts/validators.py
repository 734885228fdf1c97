"""Password rules beyond Django's: the MLPS (等保) profile's character classes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters `password` uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    """Under MINSHENG_MLPS, a password mixes at least `min_classes` of the four character classes."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if not getattr(settings, "MINSHENG_MLPS", False):
            return
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "This password must mix at least %(count)d of: upper-case letters, lower-case "
                    "letters, digits and symbols."
                ),
                code="password_character_classes",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        if not getattr(settings, "MINSHENG_MLPS", False):
            return ""
        return _(
            "Your password must mix at least %(count)d of: upper-case letters, lower-case letters, "
            "digits and symbols."
        ) % {"count": self.min_classes}


class PolicyMinimumLengthValidator(MinimumLengthValidator):
    """Django's length rule with the length of the security policy in force (the security
    administrator's page, else MINSHENG_PASSWORD_MIN_LENGTH / this validator's OPTIONS)."""

    def __init__(self, min_length: int = 8) -> None:
        self.default_min_length = min_length

    @property  # type: ignore[override]
    def min_length(self) -> int:
        from minsheng.accounts.security_policy import security_policy

        return security_policy().password_min_length

    @min_length.setter
    def min_length(self, value: int) -> None:
        self.default_min_length = value
