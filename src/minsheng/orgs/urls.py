from django.urls import path

from minsheng.orgs import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("aliases/<int:pk>/remove/", views.alias_remove, name="alias_remove"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<int:pk>/portal/", views.region_portal, name="region_portal"),
]
