"""Portal URLs of the assessment app (/kh/: published rankings)."""

from django.urls import path

from gongkai.assessment import views

app_name = "assessment_public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<id:pk>/", views.public_detail, name="detail"),
]
