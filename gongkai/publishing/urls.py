from django.urls import path

from gongkai.publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.item_create, name="create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/attach/", views.attachment_upload, name="attach"),
    path("items/<int:pk>/change/", views.change_create, name="change_create"),
    path("items/<int:pk>/validity/", views.item_validity, name="validity"),
    path("items/<int:pk>/unschedule/", views.item_unschedule, name="unschedule"),
    path("items/<int:pk>/withheld/", views.withheld_review, name="withheld_review"),
    path("revisions/<int:pk>/edit/", views.revision_edit, name="revision_edit"),
    path("revisions/<int:pk>/submit/", views.revision_submit, name="submit"),
    path("revisions/<int:pk>/review/", views.revision_review, name="review"),
    path("revisions/<int:pk>/scan/", views.revision_scan, name="scan"),
    path("revisions/<int:pk>/override/", views.scan_override, name="override"),
    path("revisions/<int:pk>/publish/", views.item_publish, name="publish"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("changes/", views.change_list, name="changes"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
    path("changes/<int:pk>/step/", views.change_step, name="change_step"),
    path("withheld/", views.withheld_list, name="withheld"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/agency/<int:agency_pk>/", views.guide_edit, name="guide_edit"),
    path("guides/<int:pk>/", views.guide_detail, name="guide"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/errors.csv", views.import_report, name="import_report"),
]
