"""Public routes under /public/ (beside the portal's): 民生码 QR codes and the site page."""

from django.urls import path

from minsheng.sites import views

app_name = "sites_public"

urlpatterns = [
    path("items/<int:pk>/qr.svg", views.item_qr, name="item_qr"),
    path("sites/<int:pk>/", views.site_page, name="site"),
    path("sites/<int:pk>/qr.svg", views.site_qr, name="site_qr"),
]
