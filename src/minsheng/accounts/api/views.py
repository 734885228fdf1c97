"""`POST /api/auth/token/` with `username` and `password` → `{"token": "…"}` (audited)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from minsheng.accounts.models import User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record


@transaction.atomic
def api_token_issue(*, acting_user: User) -> Token:
    """The user's API token (created on first use), with a sign-in audit row."""
    token, created = Token.objects.get_or_create(user=acting_user)
    audit_record(
        actor=acting_user,
        action=Action.LOGIN,
        obj=acting_user,
        message="api token" + (" created" if created else ""),
    )
    return token


def api_sign_in_failed(*, username: str) -> None:
    """Record a refused sign-in (kept even though the request fails)."""
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username[:150],
        message="api token",
    )


class SignInThrottle(AnonRateThrottle):
    """Slows password guessing: `MINSHENG_API_SIGN_IN_RATE` attempts per client address (default 20/min)."""

    scope = "sign_in"

    def get_rate(self) -> str | None:
        return getattr(settings, "MINSHENG_API_SIGN_IN_RATE", "20/min")


class TokenView(APIView):
    """Exchange a user name and password for an API token; send it as `Authorization: Token …`."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            api_sign_in_failed(username=str(request.data.get("username", "")))
            serializer.is_valid(raise_exception=True)
        token = api_token_issue(acting_user=serializer.validated_data["user"])
        return Response({"token": token.key})
