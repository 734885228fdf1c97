from django.urls import path

from minsheng.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("review/", views.review_queue, name="queue"),
    path("items/<int:item_id>/", views.timeline, name="timeline"),
    path("items/<int:item_id>/end/", views.item_end, name="item_end"),
    path("items/<int:item_id>/periods/<int:period_id>/", views.report_form, name="report"),
    path(
        "items/<int:item_id>/periods/<int:period_id>/contribution/", views.contribution, name="contribution"
    ),
    path("reports/<int:pk>/decide/", views.decide, name="decide"),
    path("evidence/<int:pk>/<str:variant>/", views.evidence_file, name="evidence"),
    path("plans/<int:plan_id>/overdue/", views.overdue_list, name="overdue"),
    path("plans/<int:plan_id>/periods/", views.periods_generate, name="periods_generate"),
    path("plans/<int:plan_id>/settings/", views.plan_settings, name="settings"),
    path("plans/<int:plan_id>/periods/<int:period_id>/close/", views.period_close, name="period_close"),
    path("plans/<int:plan_id>/periods/close-due/", views.periods_close_due, name="periods_close_due"),
    path("plans/<int:plan_id>/extensions/", views.extensions, name="extensions"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path(
        "plans/<int:plan_id>/periods/<int:period_id>/sheet.xlsx", views.sheet_download, name="sheet_download"
    ),
    path(
        "plans/<int:plan_id>/periods/<int:period_id>/sheet/upload/", views.sheet_upload, name="sheet_upload"
    ),
]
