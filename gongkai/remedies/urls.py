from django.urls import path

from gongkai.remedies import detail_views
from gongkai.remedies.kinds import KINDS
from gongkai.remedies.views import urlpatterns_for

app_name = "remedies"
urlpatterns = [
    path("case/<id:pk>/", detail_views.case_detail, name="case"),
    path("case/<id:pk>/conclude/", detail_views.case_conclude, name="case_conclude"),
    path("complaint/<id:pk>/", detail_views.complaint_detail, name="complaint"),
    path("complaint/<id:pk>/close/", detail_views.complaint_close, name="complaint_close"),
    *urlpatterns_for(KINDS, "remedies", "cases"),
]
