from django.contrib import admin
from django.core.cache import cache

from gongkai.agencies.models import Agency, Region, SiteProfile
from gongkai.lib.admin import SystemAdminModelAdmin


@admin.register(Region)
class RegionAdmin(SystemAdminModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(SystemAdminModelAdmin):
    list_display = ["name", "code", "level", "kind", "region", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code", "org_code", "uscc"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # agencies are deactivated, never deleted (records refer to them)


@admin.register(SiteProfile)
class SiteProfileAdmin(SystemAdminModelAdmin):
    list_display = ["site_name", "host", "site_code", "icp_record"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from gongkai.audit.services import audit_log

        obj.pk = 1
        super().save_model(request, obj, form, change)
        audit_log(
            "agencies.site_profile.updated",
            obj=obj,
            actor=request.user,
            changes={k: [None, form.cleaned_data[k]] for k in form.changed_data},
        )
        cache.delete("site_profile")
