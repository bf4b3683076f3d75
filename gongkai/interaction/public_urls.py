"""Portal URLs of 互动交流 (included at the site root, before the portal's own)."""

from django.urls import path

from gongkai.interaction import public_views as v

app_name = "interaction_public"
urlpatterns = [
    path("zwzx/", v.questions, name="questions"),
    path("zwzx/new/", v.question_new, name="question_new"),
    path("zwzx/submitted/", v.question_submitted, name="question_submitted"),
    path("zwzx/track/", v.question_track, name="question_track"),
    path("zwzx/status/<str:number>/", v.question_status, name="question_status"),
    path("zwzx/stats/", v.question_stats, name="question_stats"),
    path("zwzx/<str:number>/", v.question_detail, name="question"),
    path("rdhy/", v.interpretations, name="interpretations"),
    path("rdhy/<id:pk>/", v.interpretation_detail, name="interpretation"),
    path("rdhy/<id:pk>/graphic/", v.interpretation_graphic, name="interpretation_graphic"),
    path("dczj/", v.participation, name="participation"),
    path("dczj/yj/<id:pk>/", v.consultation_detail, name="consultation"),
    path("dczj/yj/<id:pk>/draft/", v.consultation_draft, name="consultation_draft"),
    path("dczj/dc/<id:pk>/", v.survey_detail, name="survey"),
    path("dczj/dc/<id:pk>/results/", v.survey_results, name="survey_results"),
    path("zxzx/", v.interviews, name="interviews"),
    path("zxzx/<id:pk>/", v.interview_detail, name="interview"),
]
