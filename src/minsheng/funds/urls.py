from django.urls import path

from minsheng.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/", views.plan_page, name="plan"),
    path("plans/<int:plan_id>/settings/", views.settings_page, name="settings"),
    path("plans/<int:plan_id>/from-list/", views.from_list, name="from_list"),
    path("items/<int:item_id>/", views.item_edit, name="item"),
]
