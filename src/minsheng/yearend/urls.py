from django.urls import path

from minsheng.yearend import views

app_name = "yearend"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/close/", views.close, name="close"),
    path("plans/<int:pk>/carry-over/", views.carry, name="carry"),
    path("plans/<int:pk>/report.docx", views.report, name="report"),
    path("items/<int:pk>/correct/", views.correct, name="correct"),
]
