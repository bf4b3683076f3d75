"""Console URLs (namespace ``applications``), mounted at /console/applications/."""

from django.urls import path

from gongkai.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("register/", views.application_register, name="register"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/confirm/", views.step_confirm, name="confirm"),
    path("<int:pk>/assign/", views.step_assign, name="assign"),
    path("<int:pk>/correction/", views.step_correction, name="correction"),
    path(
        "<int:pk>/correction/received/", views.step_correction_received, name="correction_received"
    ),
    path("<int:pk>/consultation/", views.step_consultation, name="consultation"),
    path(
        "<int:pk>/consultation/<int:cid>/",
        views.step_consultation_result,
        name="consultation_result",
    ),
    path("<int:pk>/extension/", views.step_extension, name="extension"),
    path("<int:pk>/extension/approve/", views.step_extension_approve, name="extension_approve"),
    path("<int:pk>/delayed/", views.step_delayed, name="delayed"),
    path("<int:pk>/reasons/", views.step_reasons, name="reasons"),
    path("<int:pk>/reasons/received/", views.step_reasons_received, name="reasons_received"),
    path("<int:pk>/reasons/accept/", views.step_reasons_accept, name="reasons_accept"),
    path("<int:pk>/withdraw/", views.step_withdraw, name="withdraw"),
    path("<int:pk>/fee/", views.step_fee, name="fee"),
    path("<int:pk>/fee/paid/", views.step_payment, name="payment"),
    path("<int:pk>/reply/", views.step_reply, name="reply"),
    path("<int:pk>/service/", views.step_service, name="service"),
    path("<int:pk>/notices/<int:notice_id>.<str:fmt>", views.notice_download, name="notice"),
    path("<int:pk>/id-proof/", views.id_proof_download, name="id_proof"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
]
