"""Console URLs (namespace ``applications``), mounted at /console/applications/."""

from django.urls import path

from gongkai.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("register/", views.application_register, name="register"),
    path("<id:pk>/", views.application_detail, name="detail"),
    path("<id:pk>/confirm/", views.step_confirm, name="confirm"),
    path("<id:pk>/assign/", views.step_assign, name="assign"),
    path("<id:pk>/correction/", views.step_correction, name="correction"),
    path(
        "<id:pk>/correction/received/", views.step_correction_received, name="correction_received"
    ),
    path("<id:pk>/consultation/", views.step_consultation, name="consultation"),
    path(
        "<id:pk>/consultation/<id:cid>/receipt/",
        views.step_consultation_receipt,
        name="consultation_receipt",
    ),
    path(
        "<id:pk>/consultation/<id:cid>/",
        views.step_consultation_result,
        name="consultation_result",
    ),
    path("<id:pk>/extension/", views.step_extension, name="extension"),
    path("<id:pk>/extension/approve/", views.step_extension_approve, name="extension_approve"),
    path("<id:pk>/delayed/", views.step_delayed, name="delayed"),
    path("<id:pk>/reasons/", views.step_reasons, name="reasons"),
    path("<id:pk>/reasons/received/", views.step_reasons_received, name="reasons_received"),
    path("<id:pk>/reasons/accept/", views.step_reasons_accept, name="reasons_accept"),
    path("<id:pk>/withdraw/", views.step_withdraw, name="withdraw"),
    path("<id:pk>/fee/", views.step_fee, name="fee"),
    path("<id:pk>/fee/paid/", views.step_payment, name="payment"),
    path("<id:pk>/reply/", views.step_reply, name="reply"),
    path("<id:pk>/signoff/", views.step_signoff, name="signoff"),
    path("signoff-settings/", views.signoff_settings, name="signoff_settings"),
    path("<id:pk>/service/", views.step_service, name="service"),
    path("<id:pk>/notices/<id:notice_id>.<str:fmt>", views.notice_download, name="notice"),
    path("<id:pk>/id-proof/", views.id_proof_download, name="id_proof"),
    path("<id:pk>/files/<id:attachment_id>/", views.attachment_download, name="attachment"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<id:pk>/", views.template_edit, name="template_edit"),
]
