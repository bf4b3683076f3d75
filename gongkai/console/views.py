"""The console shell: home page with the user's agencies, alerts and work queues."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from gongkai.agencies.models import Agency
from gongkai.console import panels
from gongkai.lib.views import AuthedRequest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    agencies = Agency.objects.for_user(user).select_related("region")
    return render(
        request,
        "console/home.html",
        {
            "memberships": user.active_memberships,
            "agency_count": agencies.count(),
            "agencies": agencies[:12],
            "alerts": panels.collect("alerts", user),
            "queue": panels.collect("queue", user),
        },
    )
