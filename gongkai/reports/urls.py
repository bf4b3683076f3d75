from django.urls import path

from gongkai.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/narrative/", views.report_narrative, name="narrative"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/new-version/", views.report_new_version, name="new_version"),
    path("<int:pk>/download.<str:fmt>", views.report_download, name="download"),
]
