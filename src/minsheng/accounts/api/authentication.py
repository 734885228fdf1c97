"""Token authentication whose tokens expire (MINSHENG_API_TOKEN_HOURS after they were issued)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from minsheng.accounts.backends import remember_roles, with_roles
from minsheng.accounts.models import User
from minsheng.accounts.selectors import api_token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`; an expired token is deleted and refused (sign in again). The token's user
    is read with the user's roles and the token's issue time in one query (`accounts.backends`)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        users = with_roles(
            User._default_manager.select_related("region", "unit").filter(auth_token__key=key)
        ).annotate(token_created=F("auth_token__created"))
        user = users.first()
        if user is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(user)
        token = Token(key=key, user=user, created=user.token_created)  # the row just read, not a new one
        token._state.adding = False
        if api_token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired; sign in again."))
        return user, token
