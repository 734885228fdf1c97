from django.urls import path

from minsheng.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("robots/", views.robot_list, name="robot_list"),
    path("robots/<int:unit_id>/", views.robot_edit, name="robot_edit"),
]
