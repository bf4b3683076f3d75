from django.urls import path

from gongkai.pki import views

app_name = "pki"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<id:pk>/", views.application_detail, name="application_detail"),
    path("applications/<id:pk>/advance/", views.application_advance, name="application_advance"),
    path("applications/<id:pk>/reject/", views.application_reject, name="application_reject"),
    path("applications/<id:pk>/issue/", views.application_issue, name="application_issue"),
    path("applications/<id:pk>/revoke/", views.application_revoke, name="application_revoke"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<id:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<id:pk>/download/", views.certificate_download, name="certificate_download"),
    path(
        "certificates/<id:pk>/emergency-revoke/",
        views.certificate_emergency_revoke,
        name="certificate_emergency_revoke",
    ),
    path("ca/", views.ca_detail, name="ca_detail"),
]
