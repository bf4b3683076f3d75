"""Console page of the search index: size, freshness, buffered visits; repair on demand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.search.checks import index_warnings
from gongkai.search.models import SearchEntry
from gongkai.search.permissions import require_search_manager
from gongkai.search.services import index_reconcile


@login_required
def status(request: HttpRequest) -> HttpResponse:
    require_search_manager(request.user)
    stats = SearchEntry.objects.aggregate(last=Max("indexed_at"))
    context = {
        "entries": SearchEntry.objects.count(),
        "last_indexed": stats["last"],
        "pending": index_reconcile(dry_run=True),
        "warnings": index_warnings(),  # the system checks W001/W002 (segmenter, stale entries)
    }
    return render(request, "search/status.html", context)


@login_required
@require_POST
def reconcile(request: HttpRequest) -> HttpResponse:
    require_search_manager(request.user)
    result = index_reconcile(by=request.user)
    messages.success(
        request, f"索引已核对：移除 {result['removed']} 条，重新索引 {result['indexed']} 条。"
    )
    return redirect("search:status")
