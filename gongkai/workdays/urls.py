from django.urls import path

from gongkai.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_home, name="home"),
    path("year/<year:year>/", views.year_detail, name="year"),
    path("import/", views.year_import, name="import"),
    path("day/new/", views.day_create, name="day_create"),
    path("day/<id:pk>/edit/", views.day_edit, name="day_edit"),
    path("day/<id:pk>/delete/", views.day_delete, name="day_delete"),
    path("deadline/", views.deadline_calculator, name="deadline"),
]
