"""URL roots: the public portal at /, the staff console under /console/ (one prefix per app)."""

from django.contrib import admin
from django.urls import include, path

from gongkai.lib import admin as _admin_policy  # noqa: F401  (admin for the system administrator only)
from gongkai.lib import captcha, health
from gongkai.lib import converters as _converters  # noqa: F401  (<id:…>, <year:…> before any include)

# Chinese error pages, console or portal frame by path (gongkai/lib/errors.py)
handler400 = "gongkai.lib.errors.bad_request"
handler403 = "gongkai.lib.errors.permission_denied"
handler404 = "gongkai.lib.errors.page_not_found"
handler500 = "gongkai.lib.errors.server_error"

admin.site.site_header = "政府信息公开平台 · 系统配置"
admin.site.site_title = "系统配置"

urlpatterns = [
    path("admin/login/", _admin_policy.admin_login),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("captcha/<str:token>.png", captcha.image, name="captcha_image"),
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
    path("console/interaction/", include("gongkai.interaction.urls")),
    path("console/reports/", include("gongkai.reports.urls")),
    path("console/pki/", include("gongkai.pki.urls")),
    path("console/api/", include("gongkai.api.urls")),
    path("console/assessment/", include("gongkai.assessment.urls")),
    # public portal: 依申请公开, 年度报告, 查阅点 and the CA's public files have their own apps
    path("ysqgk/", include("gongkai.applications.public_urls")),
    path("ndbg/", include("gongkai.reports.public_urls")),
    path("cyd/", include("gongkai.outreach.public_urls")),
    # 互动交流: /zwzx/ 政务咨询, /dczj/ 调查征集, /zxzx/ 在线咨询（访谈）, /rdhy/ 热点回应
    path("", include("gongkai.interaction.public_urls")),
    path("pki/", include("gongkai.pki.public_urls")),
    path("api/v1/", include("gongkai.api.public_urls")),  # open data API (SPEC C12)
    path("kh/", include("gongkai.assessment.public_urls")),  # published assessment rankings
    path("", include("gongkai.portal.urls")),
]
