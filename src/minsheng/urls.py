"""Root URLconf: admin, language switch, sign-in/out, and each app's pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from minsheng.accounts import views as accounts_views
from minsheng.core.health import healthz
from minsheng.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("public/", include("minsheng.portal.urls")),
    path("public/", include("minsheng.sites.public_urls")),  # 民生码 QR codes, site pages
    path("sites/", include("minsheng.sites.urls")),
    path("dashboard/", include("minsheng.dashboard.urls")),
    path("bulletins/", include("minsheng.bulletins.urls")),
    path("yearend/", include("minsheng.yearend.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", accounts_views.SignInView.as_view(), name="login"),
    path("accounts/start/", accounts_views.start, name="start"),
    path("accounts/logout/", accounts_views.sign_out_view, name="logout"),
    path("accounts/", include("minsheng.accounts.urls")),
    path("orgs/", include("minsheng.orgs.urls")),
    path("plans/", include("minsheng.plans.urls")),
    path("progress/", include("minsheng.progress.urls")),
    path("funds/", include("minsheng.funds.urls")),
    path("supervision/", include("minsheng.supervision.urls")),
    path("notifications/", include("minsheng.notifications.urls")),
    path("participation/inspections/", include("minsheng.participation.inspections.urls")),
    path("participation/ratings/", include("minsheng.participation.ratings.urls")),
    path("feedback/", include("minsheng.participation.feedback.urls")),
    path("assessment/", include("minsheng.participation.assessment.urls")),
    path("solicitation/", include("minsheng.participation.solicitation.urls")),
    path("votes/", include("minsheng.participation.voting.urls")),
    path("api/", include("minsheng.api_urls")),
    path("", include("minsheng.interchange.urls")),
]
