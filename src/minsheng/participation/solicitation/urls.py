from django.urls import path

from minsheng.participation.solicitation import views

app_name = "solicitation"
urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/unit/", views.unit_propose, name="unit_propose"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.screen, name="screen"),
    path("manage/proposals/<int:pk>/reveal/", views.proposal_reveal, name="proposal_reveal"),
    path("manage/proposals/<int:pk>/anonymise/", views.proposal_anonymise, name="proposal_anonymise"),
    path("manage/proposals/<int:pk>/merge/", views.proposal_merge, name="proposal_merge"),
    path("manage/proposals/<int:pk>/reject/", views.proposal_reject, name="proposal_reject"),
    path("manage/proposals/<int:pk>/category/", views.proposal_categorise, name="proposal_categorise"),
    path("manage/proposals/<int:pk>/shortlist/", views.proposal_shortlist, name="proposal_shortlist"),
    path("manage/candidates/<int:pk>/", views.candidate_edit, name="candidate_edit"),
]
