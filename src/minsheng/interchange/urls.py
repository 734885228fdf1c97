from django.urls import path

from minsheng.interchange import views

app_name = "interchange"

urlpatterns = [
    path("import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("import/<int:pk>/edit/", views.ImportEditView.as_view(), name="import_edit"),
    path("import/<int:pk>/sheet/", views.ImportSheetView.as_view(), name="import_sheet"),
    path("import/<int:pk>/retarget/", views.ImportRetargetView.as_view(), name="import_retarget"),
    path("plans/<int:pk>/correct/", views.PlanCorrectView.as_view(), name="plan_correct"),
    path("export/plans/<int:pk>.json", views.PlanExportView.as_view(), name="plan_export"),
]
