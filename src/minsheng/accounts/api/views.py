"""`POST /api/auth/token/` with `username`, `password` (and `otp` for roles with a second factor)
→ `{"token": "…", "expires": "…"}`. Locks, failures and sign-ins are shared with the web sign-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from minsheng.accounts.forms import LOCKED
from minsheng.accounts.middleware import client_address
from minsheng.accounts.policies import needs_second_factor
from minsheng.accounts.security_policy import security_policy
from minsheng.accounts.selectors import sign_in_lock_until
from minsheng.accounts.services import api_token_issue, sign_in_failed, sign_in_refused_locked
from minsheng.accounts.totp import match_code

API_BAD_CREDENTIALS = _("The user name, password or one-time code (otp) is wrong.")


class SignInThrottle(AnonRateThrottle):
    """Slows password guessing: `MINSHENG_API_SIGN_IN_RATE` attempts per client address (default 20/min)."""

    scope = "sign_in"

    def get_rate(self) -> str | None:
        return getattr(settings, "MINSHENG_API_SIGN_IN_RATE", "20/min")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(max_length=16, required=False, allow_blank=True)


class TokenView(APIView):
    """Exchange a user name and password for an API token; send it as `Authorization: Token …`.

    Office, reviewers and administrators add `otp` (a code from their authenticator or a backup code)
    when the second factor is required. Tokens expire and are deleted at sign-out and deactivation.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
            )
        },
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        serializer = TokenRequestSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        address = client_address(request._request)
        locked = {"detail": LOCKED % {"minutes": security_policy().sign_in_lock_minutes}}
        if sign_in_lock_until(username=username, address=address) is not None:
            sign_in_refused_locked(username=username, address=address, channel="api token")
            return Response(locked, status=status.HTTP_403_FORBIDDEN)
        user = authenticate(
            request._request, username=username, password=serializer.validated_data["password"]
        )
        reason = "password"
        if user is not None and needs_second_factor(user):
            code = "".join(str(serializer.validated_data.get("otp", "")).split())
            if not code or match_code(user, code) is None:
                user, reason = None, "one-time code"
        if user is None:
            if sign_in_failed(username=username, address=address, channel="api token", reason=reason):
                return Response(locked, status=status.HTTP_403_FORBIDDEN)
            # One answer whatever was wrong, and for unknown names too.
            return Response({"detail": str(API_BAD_CREDENTIALS)}, status=status.HTTP_400_BAD_REQUEST)
        token = api_token_issue(acting_user=user, address=address)
        expires = token.created + dt.timedelta(hours=settings.MINSHENG_API_TOKEN_HOURS)
        return Response({"token": token.key, "expires": expires.isoformat()})
