"""Root URLconf of the REST API (mounted at /api/): token sign-in, schema, docs and every app's endpoints."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from minsheng.accounts.api.views import TokenView
from minsheng.notifications.api.views import NotificationViewSet
from minsheng.plans.api.views import PlanViewSet, ProjectViewSet, TargetViewSet
from minsheng.progress.api.views import ItemViewSet, PeriodViewSet, ReportViewSet
from minsheng.supervision.api.views import NoticeViewSet

app_name = "api"

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("projects", ProjectViewSet, basename="project")
router.register("items", ItemViewSet, basename="item")
router.register("targets", TargetViewSet, basename="target")
router.register("periods", PeriodViewSet, basename="period")
router.register("reports", ReportViewSet, basename="report")
router.register("notices", NoticeViewSet, basename="notice")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the site's CSP forbids inline scripts.
    # The split view serves its start-up script as a file: the site's CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
