from django.urls import path

from gongkai.outreach import views
from gongkai.outreach.kinds import KINDS
from gongkai.remedies.views import urlpatterns_for

app_name = "outreach"
urlpatterns = [
    path("point/<id:pk>/", views.point_detail, name="point"),
    *urlpatterns_for(KINDS, "outreach", "points"),
]
