"""Console page of one reading point: its details (editable), recent deliveries and visits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.outreach import forms, services
from gongkai.outreach.models import ReadingPoint
from gongkai.outreach.permissions import get_reading_point_for_user
from gongkai.remedies.records import RecordError


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    point = get_reading_point_for_user(request.user, pk, write=write)
    form = forms.ReadingPointEditForm(
        request.POST or None, instance=ReadingPoint.objects.get(pk=point.pk)
    )
    status = 200
    if write:
        if form.is_valid():
            try:
                services.reading_point_update(
                    point=point, by=request.user, **{k: form.cleaned_data[k] for k in form.fields}
                )
                messages.success(request, "已保存。")
                return redirect("outreach:point", pk=point.pk)
            except RecordError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request,
        "outreach/point_detail.html",
        {
            "point": point,
            "form": form,
            "deliveries": point.deliveries.all()[:20],
            "visits": point.visits.all()[:12],
        },
        status=status,
    )
