from django.urls import path

from minsheng.participation.voting import views

app_name = "voting"
urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("<int:pk>/results/", views.public_result, name="public_result"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.event_detail, name="event_detail"),
    path("manage/<int:pk>/paper-voters/", views.paper_voters, name="paper_voters"),
    path("manage/<int:pk>/tally/", views.paper_tally, name="paper_tally"),
    path("manage/<int:pk>/close/", views.event_close, name="event_close"),
    path("manage/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("manage/<int:pk>/plan/", views.event_to_plan, name="event_to_plan"),
]
