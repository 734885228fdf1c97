from django.urls import path

from minsheng.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("items/", views.items, name="items"),
]
