"""Console pages: the calendar (system administrator) and the deadline calculator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.workdays import calendar, forms, services
from gongkai.workdays.deadlines import DeadlineInputError, compute_deadline
from gongkai.workdays.models import CalendarYear, DayKind, ExceptionDay
from gongkai.workdays.permissions import get_exception_day_for_user, require_calendar_admin


@login_required
def calendar_home(request: HttpRequest) -> HttpResponse:
    """Years with data (row counts) and the years that are missing."""
    require_calendar_admin(request.user)
    counts = {
        row["date__year"]: row
        for row in ExceptionDay.objects.for_user(request.user)
        .values("date__year")
        .annotate(
            rest=Count("pk", filter=Q(kind=DayKind.REST)),
            work=Count("pk", filter=Q(kind=DayKind.WORK)),
        )
    }
    years = [
        {
            "record": y,
            "rest": counts.get(y.year, {}).get("rest", 0),
            "work": counts.get(y.year, {}).get("work", 0),
        }
        for y in CalendarYear.objects.order_by("-year")
    ]
    this_year = timezone.localdate().year
    have = {y["record"].year for y in years}
    missing = [y for y in (this_year, this_year + 1) if y not in have]
    return render(
        request,
        "workdays/calendar_home.html",
        {"years": years, "missing": missing, "this_year": this_year},
    )


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    require_calendar_admin(request.user)
    record = CalendarYear.objects.filter(year=year).first()
    days = ExceptionDay.objects.for_user(request.user).in_year(year)
    if record is None and not days.exists():
        messages.error(request, f"{year}年没有日历数据。")
        return redirect("workdays:home")
    return render(
        request, "workdays/year_detail.html", {"year": year, "record": record, "days": days}
    )


@login_required
def day_create(request: HttpRequest) -> HttpResponse:
    require_calendar_admin(request.user)
    form = forms.ExceptionDayForm(
        request.POST or None, initial={"date": request.GET.get("date", "")}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                day = services.exception_day_create(by=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    f"已新增{day.date.isoformat()}（{day.name}，{day.get_kind_display()}）。",
                )
                return redirect("workdays:year", year=day.date.year)
            except services.CalendarError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request,
        "workdays/day_form.html",
        {"form": form, "title": "新增节假日调整日"},
        status=status,
    )


@login_required
def day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_exception_day_for_user(request.user, pk, write=True)
    form = forms.ExceptionDayForm(request.POST or None, instance=day)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "date"}
            try:
                services.exception_day_update(day=day, by=request.user, **data)
                messages.success(request, f"已保存{day.date.isoformat()}。")
                return redirect("workdays:year", year=day.date.year)
            except services.CalendarError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request,
        "workdays/day_form.html",
        {"form": form, "title": f"编辑 {day.date.isoformat()}", "day": day},
        status=status,
    )


@login_required
@require_POST
def day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_exception_day_for_user(request.user, pk, write=True)
    try:
        services.exception_day_delete(day=day, by=request.user)
        messages.success(request, f"已删除{day.date.isoformat()}的节假日调整。")
    except services.CalendarError as exc:
        messages.error(request, str(exc))
    return redirect("workdays:year", year=day.date.year)


@login_required
def year_import(request: HttpRequest) -> HttpResponse:
    """Add a year from its notice: an uploaded or pasted CSV, all rows or none."""
    require_calendar_admin(request.user)
    initial = {"year": timezone.localdate().year + 1}
    form = forms.YearImportForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.calendar_year_import(
                    year=form.cleaned_data["year"],
                    notice=form.cleaned_data["notice"],
                    notice_url=form.cleaned_data["notice_url"],
                    rows=form.rows,
                    by=request.user,
                )
                messages.success(
                    request, f"已导入{record.year}年节假日安排，共{len(form.rows)}天。"
                )
                return redirect("workdays:year", year=record.year)
            except services.CalendarError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(request, "workdays/year_import.html", {"form": form}, status=status)


@login_required
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """ "Why this date": the deadline engine for any staff member (reads only)."""
    user = request.user
    if not (user.is_system_admin or user.active_memberships):  # type: ignore[union-attr]
        require_calendar_admin(user)
    form = forms.DeadlineForm(request.GET or None)
    result = None
    status = 200
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            result = compute_deadline(
                received_on=d["received"],
                restart_on=d["restart"],
                correction_requested_on=d["correction"],
                pauses=d["pauses"],
                extension_workdays=d["extend"] or 0,
            )
        except (DeadlineInputError, calendar.CalendarMissingError) as exc:
            form.add_error(None, str(exc))
            status = 400
    elif request.GET:
        status = 400
    return render(
        request,
        "workdays/deadline_calculator.html",
        {"form": form, "result": result, "today": timezone.localdate()},
        status=status,
    )
