from django.urls import path

from minsheng.sites import views

app_name = "sites"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/<int:item_id>/", views.item_sites, name="item"),
    path("items/<int:item_id>/upload/", views.sites_upload, name="upload"),
    path("items/<int:item_id>/from-list/", views.sites_from_list, name="from_list"),
    path("items/<int:item_id>/per-site/", views.per_site, name="per_site"),
    path("items/<int:item_id>/sign.docx", views.sign, name="sign"),
    path("sites/<int:pk>/", views.site_edit, name="edit"),
    path("sites/<int:pk>/delete/", views.site_delete, name="delete"),
    path("regions/<int:region_id>/boundary/", views.boundary_upload, name="boundary"),
]
