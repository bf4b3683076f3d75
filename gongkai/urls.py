"""URL roots: the public portal at /, the staff console under /console/ (one prefix per app)."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from gongkai.lib import admin as _admin_policy  # noqa: F401  (admin for the system administrator only)
from gongkai.lib import health

admin.site.site_header = "政府信息公开平台 · 系统配置"
admin.site.site_title = "系统配置"

urlpatterns = [
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("gongkai.accounts.urls")),
    # staff console
    path("console/", include("gongkai.console.urls")),
    path("console/agencies/", include("gongkai.agencies.urls")),
    path("console/audit/", include("gongkai.audit.urls")),
    path("console/calendar/", include("gongkai.workdays.urls")),
    path("console/catalog/", include("gongkai.publishing.urls")),
    path("console/search/", include("gongkai.search.urls")),
    path("console/applications/", include("gongkai.applications.urls")),
    path("console/remedies/", include("gongkai.remedies.urls")),
    path("console/outreach/", include("gongkai.outreach.urls")),
    path("console/reports/", include("gongkai.reports.urls")),
    path("console/pki/", include("gongkai.pki.urls")),
    # public portal: 依申请公开, 年度报告, 查阅点 and the CA's public files have their own apps
    path("ysqgk/", include("gongkai.applications.public_urls")),
    path("ndbg/", include("gongkai.reports.public_urls")),
    path("cyd/", include("gongkai.outreach.public_urls")),
    path("pki/", include("gongkai.pki.public_urls")),
    path("", include("gongkai.portal.urls")),
]
