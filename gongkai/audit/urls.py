from django.urls import path

from gongkai.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("export.csv", views.export_csv, name="export"),
    path("<id:pk>/", views.entry_detail, name="detail"),
]
