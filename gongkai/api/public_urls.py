"""``/api/v1/``: the documentation page, the bulk exports, then the ninja operations; any other
address under the prefix answers with a problem+json 404 (never an HTML page)."""

from django.urls import path, re_path

from gongkai.api import v1, views

app_name = "api-v1"

urlpatterns = [
    path("docs/", views.docs, name="docs"),
    path("exports/", views.export_manifest, name="export_manifest"),
    path("exports/<str:name>", views.export_file, name="export_file"),
    *v1.urls(),
    re_path(r"^(?P<rest>.*)$", v1.not_found, name="not_found"),
]
