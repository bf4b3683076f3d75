from django.urls import path

from gongkai.interaction import views

app_name = "interaction"
urlpatterns = [
    path("", views.home, name="home"),
    path("questions/", views.question_list, name="questions"),
    path("questions/<id:pk>/", views.question_detail, name="question"),
    path("questions/<id:pk>/<slug:action>/", views.question_act, name="question_act"),
    path("stats/", views.stats, name="stats"),
    path("interpretations/", views.interpretation_list, name="interpretations"),
    path("interpretations/new/", views.interpretation_new, name="interpretation_new"),
    path("interpretations/<id:pk>/", views.interpretation_detail, name="interpretation"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<id:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<id:pk>/<slug:action>/", views.consultation_act, name="consultation_act"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<id:pk>/", views.survey_detail, name="survey"),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<id:pk>/", views.interview_detail, name="interview"),
    path("interviews/<id:pk>/<slug:action>/", views.interview_act, name="interview_act"),
]
