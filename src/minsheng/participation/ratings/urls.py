from django.urls import path

from minsheng.participation.ratings import views

app_name = "ratings"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/new/", views.event_new, name="event_new"),
    path("plans/<int:plan_id>/results/", views.results, name="results"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/open/", views.event_open, name="event_open"),
    path("<int:pk>/close/", views.event_close, name="event_close"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("rectification/", views.task_list, name="task_list"),
    path("rectification/<int:pk>/", views.task_detail, name="task_detail"),
    path("rectification/<int:pk>/report/", views.task_report, name="task_report"),
    path("rectification/reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("rectification/files/<int:pk>/<str:variant>/", views.evidence, name="evidence"),
]
