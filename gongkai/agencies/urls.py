from django.urls import path

from gongkai.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("<id:pk>/", views.agency_detail, name="detail"),
    path("<id:pk>/edit/", views.agency_edit, name="edit"),
    path("<id:pk>/staffing/", views.staffing_set, name="staffing"),
]
