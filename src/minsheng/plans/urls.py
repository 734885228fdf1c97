from django.urls import path

from minsheng.plans import revise, views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/publish/", views.PlanPublishView.as_view(), name="plan_publish"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("items/<int:pk>/units/", views.ItemUnitsEditView.as_view(), name="item_units_edit"),
    path("items/<int:pk>/correct/", revise.ItemReviseView.as_view(), name="item_revise"),
    path("items/<int:pk>/history/", views.ItemHistoryView.as_view(), name="item_history"),
]
