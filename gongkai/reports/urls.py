from django.urls import path

from gongkai.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/narrative/", views.report_narrative, name="narrative"),
    path("<id:pk>/publish/", views.report_publish, name="publish"),
    path("<id:pk>/new-version/", views.report_new_version, name="new_version"),
    path("<id:pk>/download.<str:fmt>", views.report_download, name="download"),
]
