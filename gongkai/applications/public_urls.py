"""Portal URLs of 依申请公开 (namespace ``apply``), mounted at /ysqgk/."""

from django.urls import path

from gongkai.applications import public_views as v

app_name = "apply"
urlpatterns = [
    path("", v.index, name="index"),
    path("apply/", v.apply, name="form"),
    path("apply/submitted/", v.submitted, name="submitted"),
    path("suggest/", v.suggest, name="suggest"),
    path("track/", v.track, name="track"),
    path("track/<str:number>/", v.status, name="status"),
    path("track/<str:number>/correct/", v.correct, name="correct"),
    path("track/<str:number>/reasons/", v.reasons, name="reasons"),
    path("track/<str:number>/withdraw/", v.withdraw, name="withdraw"),
    path("track/<str:number>/notices/<id:notice_id>.<str:fmt>", v.notice_download, name="notice"),
    path("track/<str:number>/files/<id:attachment_id>/", v.attachment_download, name="attachment"),
]
