from django.urls import path

from minsheng.participation.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.detail, name="detail"),
    path("plans/<int:pk>/weights/", views.weights, name="weights"),
    path("plans/<int:pk>/compute/", views.compute, name="compute"),
    path("plans/<int:pk>/export.xlsx", views.export, name="export"),
]
