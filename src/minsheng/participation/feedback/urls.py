from django.urls import path

from minsheng.participation.feedback import views

app_name = "feedback"

urlpatterns = [
    path("items/<int:pk>/rate/", views.rate, name="rate"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/anonymise/", views.anonymise_phone, name="anonymise_phone"),
    path("ratings/<int:pk>/moderate/", views.moderate, name="moderate"),
]
