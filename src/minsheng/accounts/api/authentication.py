"""Token authentication whose tokens expire (MINSHENG_API_TOKEN_HOURS after they were issued)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from minsheng.accounts.selectors import api_token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`; an expired token is deleted and refused (sign in again)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if api_token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired; sign in again."))
        return user, token
