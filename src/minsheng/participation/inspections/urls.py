from django.urls import path

from minsheng.participation.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/new/", views.inspection_new, name="inspection_new"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/public/", views.inspection_public, name="inspection_public"),
    path("photos/<int:pk>/<str:variant>/", views.photo, name="photo"),
    path("items/<int:item_id>/ask/", views.question_new, name="question_new"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
]
