from django.urls import path

from gongkai.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("<int:pk>/", views.entry_detail, name="detail"),
]
