"""Console URLs of the assessment app (/console/assessment/)."""

from django.urls import path

from gongkai.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("<id:pk>/", views.assessment_detail, name="detail"),
    path("<id:pk>/indicators/<id:indicator>/", views.indicator_edit, name="indicator"),
    path("<id:pk>/indicators/<id:indicator>/rating/", views.rating_save, name="rating"),
    path("<id:pk>/score/", views.assessment_score, name="score"),
    path("<id:pk>/publish/", views.assessment_publish, name="publish"),
    path("<id:pk>/agency/<id:agency>/", views.agency_scores, name="agency"),
    path("<id:pk>/export.xlsx", views.assessment_export, {"fmt": "xlsx"}, name="xlsx"),
    path("<id:pk>/export.pdf", views.assessment_export, {"fmt": "pdf"}, name="pdf"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<id:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<id:pk>/findings/", views.finding_create, name="finding_create"),
    path("tasks/<id:pk>/follow-up/", views.task_follow_up, name="follow_up"),
    path("plans/", views.workplan_list, name="workplans"),
    path("plans/<id:pk>/", views.workplan_detail, name="workplan"),
    path("plans/<id:pk>/tasks/<id:task>/", views.worktask_progress, name="worktask"),
]
