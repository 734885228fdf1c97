from django.urls import path

from minsheng.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("items/", views.items, name="items"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("districts/", views.districts, name="districts"),
    path("districts/<int:region_id>/years/", views.compare, name="compare"),
]
