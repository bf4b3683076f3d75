from django.urls import path

from gongkai.publishing import views, word_views

app_name = "publishing"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.item_create, name="create"),
    path("items/<id:pk>/", views.item_detail, name="item"),
    path("items/<id:pk>/attach/", views.attachment_upload, name="attach"),
    path("items/<id:pk>/change/", views.change_create, name="change_create"),
    path("items/<id:pk>/validity/", views.item_validity, name="validity"),
    path("items/<id:pk>/unschedule/", views.item_unschedule, name="unschedule"),
    path("items/<id:pk>/withheld/", views.withheld_review, name="withheld_review"),
    path("revisions/<id:pk>/edit/", views.revision_edit, name="revision_edit"),
    path("revisions/<id:pk>/word/", word_views.revision_word_import, name="word_import"),
    path("sanitize/", word_views.body_sanitize, name="sanitize"),
    path("revisions/<id:pk>/submit/", views.revision_submit, name="submit"),
    path("revisions/<id:pk>/review/", views.revision_review, name="review"),
    path("revisions/<id:pk>/scan/", views.revision_scan, name="scan"),
    path("revisions/<id:pk>/override/", views.scan_override, name="override"),
    path("revisions/<id:pk>/publish/", views.item_publish, name="publish"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<id:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("changes/", views.change_list, name="changes"),
    path("changes/<id:pk>/", views.change_detail, name="change"),
    path("changes/<id:pk>/step/", views.change_step, name="change_step"),
    path("changes/<id:pk>/amend/", views.change_amend, name="change_amend"),
    path("withheld/", views.withheld_list, name="withheld"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/agency/<id:agency_pk>/", views.guide_edit, name="guide_edit"),
    path("guides/<id:pk>/", views.guide_detail, name="guide"),
    path("import/", views.import_upload, name="import"),
    path("import/<id:pk>/", views.import_job, name="import_job"),
    path("import/<id:pk>/errors.csv", views.import_report, name="import_report"),
]
