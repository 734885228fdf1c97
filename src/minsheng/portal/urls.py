from django.urls import path

from minsheng.portal import views

app_name = "portal"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("photos/<int:pk>/<str:size>/", views.photo, name="photo"),
    path("display/", views.display_mode, name="display"),
    path("display.css", views.display_css, name="display_css"),
]
