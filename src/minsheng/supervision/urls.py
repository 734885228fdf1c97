from django.urls import path

from minsheng.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("items/<int:item_id>/new/", views.notice_issue, name="notice_issue"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/letter.docx", views.notice_letter, name="notice_letter"),
    path("<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("<int:pk>/close/", views.notice_close, name="notice_close"),
    path("<int:pk>/return/", views.notice_return, name="notice_return"),
]
