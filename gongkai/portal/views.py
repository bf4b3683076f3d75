"""Public portal pages. The portal owns no tables: it reads through other apps' querysets.

Visibility has one definition, ``CatalogItem.objects.public()``; every list, item page, feed,
sitemap and search result goes through it (search results are re-checked against it, so an
item expired but not yet swept from the index never shows). Bad input (unknown filters,
absurd pages, overlong queries) gives a 400 page with a Chinese message, never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django import forms
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # Django internal, see _CompiledItemQuery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from gongkai.agencies.models import Agency
from gongkai.portal.caching import cached_count, cached_page, is_anonymous
from gongkai.portal.templatetags.portal_nav import item_url_parts
from gongkai.publishing.models import Attachment, CatalogItem, Column, Genre, Guide, Topic, Validity
from gongkai.publishing.services.common import sanitize_body
from gongkai.search import visits
from gongkai.search.api import SearchQuery, SearchQueryError
from gongkai.search.api import search as run_search

# URL name → (title, CatalogItem.column value)
COLUMNS: dict[str, tuple[str, str]] = {
    "catalog": ("主动公开", Column.CATALOG),
    "notices": ("通知公告", Column.NOTICE),
    "news": ("工作动态", Column.NEWS),
    "rules": ("公开制度", Column.RULES),
}
PER_PAGE = 20


def public_items(now: dt.datetime | None = None) -> QuerySet[CatalogItem]:
    return CatalogItem.objects.public(now).select_related("agency")


class ItemRow(TypedDict):
    """One line of ``portal/_item_list.html``, ready to print (a dict: the template engine
    tries ``row[key]`` before attribute access, so a dict is its fastest lookup)."""

    url: str
    title: str
    agency: str  # the agency's short name, else its name
    doc_number: str
    published_iso: str  # what ``|date:"c"`` gives in the current time zone
    published: str  # what ``|date:"Y-m-d H:i"`` gives


ITEM_ROW_FIELDS = (
    "pk", "title", "doc_number", "published_at", "agency__short_name", "agency__name",
)  # fmt: skip


def item_rows(rows: Any) -> list[ItemRow]:
    """``ItemRow``s of ``values_list(*ITEM_ROW_FIELDS)`` rows: six columns instead of the
    item's and agency's full rows, the item URL built from one reversed prefix, and the dates
    formatted here instead of by two ``date`` filters per row (the list page's main cost)."""
    prefix, suffix = item_url_parts()
    tz = timezone.get_current_timezone()
    out: list[ItemRow] = []
    for pk, title, doc_number, published_at, short_name, name in rows:
        iso = when = ""
        if published_at is not None:
            local = published_at.astimezone(tz)
            iso = local.isoformat()
            when = f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local:%H:%M}"
        out.append(
            ItemRow(
                url=f"{prefix}{pk}{suffix}",
                title=title,
                agency=short_name or name,
                doc_number=doc_number,
                published_iso=iso,
                published=when,
            )
        )
    return out


class _CountedPaginator(Paginator):
    """A paginator told its count (``cached_count``) instead of running ``COUNT(*)``."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property's slot


def _page(request: HttpRequest, queryset: Any, *, count: int) -> Page:
    """``lib.views.paginate`` with a known count: ``?page=`` absurd or malformed gives the
    nearest page."""
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    return _CountedPaginator(queryset, PER_PAGE, count=count).get_page(number)


def _options() -> dict[str, Any]:
    """Filter choices for lists and search (cached briefly: they change rarely)."""
    options = cache.get("portal:options")
    if options is None:
        agencies = list(
            Agency.objects.filter(is_active=True).values("id", "code", "name", "short_name")
        )
        topics = list(Topic.objects.filter(parent__isnull=True).values("code", "name"))
        years = sorted(
            {
                y
                for y in CatalogItem.objects.public()
                .annotate(y=ExtractYear("published_at"))
                .values_list("y", flat=True)
                .distinct()
                if y
            },
            reverse=True,
        )
        options = {"agencies": agencies, "topics": topics, "years": years}
        cache.set("portal:options", options, 120)
    return options


def _bad_request(request: HttpRequest, message: str, *, title: str = "请求无效") -> HttpResponse:
    return render(request, "portal/error.html", {"title": title, "message": message}, status=400)


class ListFilterForm(forms.Form):
    """Filters of the 主动公开 list (by agency / topic / genre / year)."""

    agency = forms.CharField(required=False, max_length=40)
    topic = forms.RegexField(regex=r"^\d{2}(\d{2})?$", required=False, max_length=4)
    genre = forms.ChoiceField(choices=[("", "")] + list(Genre.choices), required=False)
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)

    def clean_agency(self) -> Agency | None:
        code = self.cleaned_data.get("agency")
        if not code:
            return None
        agency = Agency.objects.filter(code=code, is_active=True).first()
        if agency is None:
            raise forms.ValidationError("没有这个发布机构。")
        return agency


def _form_error_text(form: forms.Form) -> str:
    labels = {
        "agency": "发布机构",
        "topic": "主题分类",
        "genre": "体裁分类",
        "year": "年份",
        "q": "检索词",
        "page": "页码",
        "sort": "排序",
        "validity": "有效性",
        "date_from": "起始日期",
        "date_to": "截止日期",
    }
    return "；".join(
        f"{labels.get(k, k)}：{' '.join(str(e) for e in v)}" for k, v in form.errors.items()
    )


@cached_page()
def home(request: HttpRequest) -> HttpResponse:
    columns = [
        (reverse("portal:catalog"), "主动公开"),
        (reverse("apply:index"), "依申请公开"),
        (reverse("portal:notices"), "通知公告"),
        (reverse("portal:news"), "工作动态"),
        (reverse("portal:guides"), "公开指南"),
        (reverse("portal:rules"), "公开制度"),
        (reverse("reports_public:index"), "年度报告"),
        (reverse("outreach_public:index"), "查阅点"),
    ]
    items = public_items().values_list(*ITEM_ROW_FIELDS)
    blocks = [
        (name, COLUMNS[name][0], item_rows(items.filter(column=COLUMNS[name][1])[:8]))
        for name in ("catalog", "notices", "news")
    ]
    return render(request, "portal/home.html", {"columns": columns, "blocks": blocks})


@cached_page()
def column(request: HttpRequest, column: str) -> HttpResponse:
    """A column list (主动公开 with its agency/topic/genre/year filters, 通知公告, 工作动态, 公开制度)."""
    if column == "guides":
        return guide_list(request)
    title, value = COLUMNS[column]
    form = ListFilterForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, "筛选条件无效：" + _form_error_text(form))
    qs = public_items().filter(column=value)
    f = form.cleaned_data
    if f["agency"]:
        qs = qs.filter(agency=f["agency"])
    if f["topic"]:
        qs = qs.filter(topic__code__startswith=f["topic"])
    if f["genre"]:
        qs = qs.filter(genre=f["genre"])
    if f["year"]:
        qs = qs.filter(published_at__year=f["year"])
    agency_id = f["agency"].pk if f["agency"] else ""
    filter_key = f"{value}|{agency_id}|{f['topic'] or ''}|{f['genre'] or ''}|{f['year'] or ''}"
    page = _page(request, qs.values_list(*ITEM_ROW_FIELDS), count=cached_count(qs, filter_key))
    context = {
        "column": column,
        "title": title,
        "page": page,
        "rows": item_rows(page.object_list),
        "filters": f,
        "options": _options() if column == "catalog" else None,
        "genres": Genre.choices,
        "feed_rss": reverse("portal:feed", kwargs={"column": column, "fmt": "rss"}),
        "feed_atom": reverse("portal:feed", kwargs={"column": column, "fmt": "atom"}),
    }
    return render(request, "portal/column.html", context)


def guide_list(request: HttpRequest) -> HttpResponse:
    """公开指南: every agency that has published a guide, newest version each."""
    latest: dict[int, Guide] = {}
    for guide in Guide.objects.select_related("agency").order_by("agency_id", "-version"):
        latest.setdefault(guide.agency_id, guide)
    guides = sorted(
        latest.values(), key=lambda g: (g.agency.region_id, g.agency.sort_order, g.agency.name)
    )
    return render(request, "portal/guide_list.html", {"title": "公开指南", "guides": guides})


@cached_page()
def guide(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency, code=code, is_active=True)
    current = Guide.objects.current_for(agency)
    if current is None:
        raise Http404("该机构尚未发布政府信息公开指南。")
    return render(
        request, "portal/guide.html", {"title": str(current), "guide": current, "agency": agency}
    )


# What the item page, its print view and the attachment download read (``_item_body.html``,
# ``item.html``, ``item_print.html``, ``_item_context``): loading only these keeps the one
# query small (the item, its agency and topics have 62 columns in all).
ITEM_PAGE_FIELDS = (
    "title", "summary", "body", "doc_number", "formed_on", "genre", "keywords", "validity",
    "invalid_on", "published_at", "index_number", "visit_count", "column",
    "agency__code", "agency__name",
    "topic__code", "topic__name", "topic__parent_id",
    "topic__parent__code", "topic__parent__name", "topic__parent__parent_id",
)  # fmt: skip


def _item_queryset(pk: int, now: dt.datetime | None = None) -> QuerySet[CatalogItem]:
    """The public item with its agency and topic, and whether it has attachments (no
    ordering: a primary-key lookup needs none)."""
    live = Attachment.objects.filter(item=OuterRef("pk"), removed_at__isnull=True)
    return (
        public_items(now)
        .select_related("topic", "topic__parent")
        .only(*ITEM_PAGE_FIELDS)
        .annotate(has_attachments=Exists(live))
        .filter(pk=pk)
        .order_by()[:1]
    )


class _CompiledItemQuery:
    """``_item_queryset`` compiled to SQL once per process and database alias.

    Building and compiling that ORM query cost about a third of an uncached item page (the
    ``public()`` conditions, three joins, ``only`` and an ``Exists``). The SQL does not change
    between requests, only two values do: the item's id and "now". They are compiled in as
    sentinels and swapped per request; the rows become model instances the way Django's
    ``ModelIterable`` makes them (``test_pages`` checks this against the ORM path).
    """

    SENTINEL_PK = -7_654_321
    SENTINEL_NOW = dt.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=dt.UTC)

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[Any, str, tuple[Any, ...], Any]] = {}

    def _compile(self, alias: str) -> tuple[Any, str, tuple[Any, ...], Any]:
        qs = _item_queryset(self.SENTINEL_PK, self.SENTINEL_NOW).using(alias)
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        ops = connections[alias].ops
        sentinel_now = ops.adapt_datetimefield_value(self.SENTINEL_NOW)
        if params.count(self.SENTINEL_PK) != 1 or sentinel_now not in params:
            raise RuntimeError("item query: unexpected parameters")
        entry = (compiler, sql, tuple(params), sentinel_now)
        self._compiled[alias] = entry
        return entry

    def get(self, pk: int, alias: str = "default") -> CatalogItem | None:
        compiler, sql, params, sentinel_now = self._compiled.get(alias) or self._compile(alias)
        now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
        values = [pk if p == self.SENTINEL_PK else now if p == sentinel_now else p for p in params]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if not rows:
            return None
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        row = next(iter(compiler.results_iter(results=[rows])))
        obj = klass_info["model"].from_db(alias, init_list, row[start:end])
        for populator in get_related_populators(klass_info, select, alias):
            populator.populate(row, obj)
        for name, position in compiler.annotation_col_map.items():
            setattr(obj, name, row[position])
        return obj


_compiled_item_query = _CompiledItemQuery()


def _item_or_404(pk: int) -> CatalogItem:
    """One query, compiled once (``_CompiledItemQuery``)."""
    item = _compiled_item_query.get(pk)
    if item is None:
        raise Http404("该信息不存在或已不再公开。")
    return item


def _attachments(item: CatalogItem) -> list[Attachment]:
    """The item's live attachments; no query when the item lookup found none."""
    if getattr(item, "has_attachments", True) is False:
        return []
    return list(item.attachments.filter(removed_at__isnull=True).defer("extracted_text"))


def _item_context(item: CatalogItem) -> dict[str, Any]:
    return {
        "item": item,
        "title": item.title,
        # the catalog's sanitiser (keeps the align-* classes of a right-aligned 落款; plain
        # legacy bodies become paragraphs at their blank lines)
        "body_html": sanitize_body(item.body or ""),
        "attachments": _attachments(item),
        "visit_count": item.visit_count + visits.pending_visits(item.pk),
        "column_name": next((n for n, (_t, v) in COLUMNS.items() if v == item.column), "catalog"),
        "column_title": next((t for _n, (t, v) in COLUMNS.items() if v == item.column), "主动公开"),
    }


@cached_page(timeout=60)
def _item_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/item.html", _item_context(_item_or_404(pk)))


# Set by deploy/nginx/portal-cache.conf on requests it counts in its visit log.
VISIT_COUNTED_HEADER = "X-Gongkai-Visit-Counted"


def item(request: HttpRequest, pk: int) -> HttpResponse:
    """The item page. A GET answered 200 or 304 counts one visit (buffered, no database
    write), unless nginx counts it from its visit log (it sets ``X-Gongkai-Visit-Counted``
    on the requests it logs) or the visitor is signed-in staff."""
    response = _item_page(request, pk)
    if (
        request.method == "GET"
        and response.status_code in (200, 304)
        and not request.headers.get(VISIT_COUNTED_HEADER)
        and (is_anonymous(request) or not request.user.is_authenticated)
    ):
        visits.record_visit(pk)
    return response


def item_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/item_print.html", _item_context(_item_or_404(pk)))


def attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    """Download an attachment of a public item (never of a withdrawn or removed one)."""
    item = _item_or_404(pk)
    a = get_object_or_404(Attachment, pk=att, item=item, removed_at__isnull=True)
    try:
        handle = a.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在。") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=a.original_name, content_type=a.content_type
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)
    agency = forms.CharField(required=False, max_length=40)
    topic = forms.RegexField(regex=r"^\d{2}(\d{2})?$", required=False, max_length=4)
    genre = forms.ChoiceField(choices=[("", "")] + list(Genre.choices), required=False)
    validity = forms.ChoiceField(choices=[("", "")] + list(Validity.choices), required=False)
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    sort = forms.ChoiceField(
        choices=[("relevance", "相关度"), ("date", "发布时间")], required=False
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    error_messages = {"q": "检索词过长，请不超过100个字。"}

    def clean_agency(self) -> Agency | None:
        return ListFilterForm.clean_agency(self)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


@cached_page(timeout=60)
def search(request: HttpRequest) -> HttpResponse:
    """站内检索: full-text search with filters, sort and pagination."""
    form = SearchForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "title": "站内检索",
        "options": _options(),
        "genres": Genre.choices,
        "validities": Validity.choices,
    }
    if not form.is_valid():
        errors = form.non_field_errors() or [_form_error_text(form)]
        if "q" in form.errors:
            errors = ["检索词过长，请不超过100个字。"]
        context["error"] = "；".join(str(e) for e in errors)
        return render(request, "portal/search.html", context, status=400)
    f = form.cleaned_data
    asked = bool(f["q"]) or any(
        f[k] for k in ("agency", "topic", "genre", "validity", "year", "date_from", "date_to")
    )
    if asked:
        query = SearchQuery(
            q=f["q"],
            agency_id=f["agency"].pk if f["agency"] else None,
            topic_code=f["topic"] or "",
            genre=f["genre"] or "",
            validity=f["validity"] or "",
            year=f["year"],
            date_from=f["date_from"],
            date_to=f["date_to"],
            sort=f["sort"] or ("relevance" if f["q"] else "date"),
            page=f["page"] or 1,
            per_page=PER_PAGE,
        )
        try:
            result = run_search(query)
        except SearchQueryError as exc:
            context["error"] = str(exc)
            return render(request, "portal/search.html", context, status=400)
        result.hits = _only_public(result.hits)
        names = {a["id"]: a["name"] for a in context["options"]["agencies"]}
        for hit in result.hits:
            hit.agency_name = names.get(hit.agency_id, "")  # type: ignore[attr-defined]
        context.update(
            result=result, page_links=_page_links(request, result.page, result.num_pages)
        )
    return render(request, "portal/search.html", context)


def _only_public(hits: list[Any]) -> list[Any]:
    """Drop hits whose catalog item is no longer public (index not yet swept)."""
    ids = [
        int(h.key.split(":", 1)[1])
        for h in hits
        if h.key.startswith("catalog:") and h.key[8:].isdigit()
    ]
    public = set(CatalogItem.objects.public().filter(pk__in=ids).values_list("pk", flat=True))
    return [
        h
        for h in hits
        if not h.key.startswith("catalog:") or (h.key[8:].isdigit() and int(h.key[8:]) in public)
    ]


def _page_links(request: HttpRequest, page: int, num_pages: int) -> dict[str, str]:
    params = request.GET.copy()
    links: dict[str, str] = {}
    if page > 1:
        params["page"] = str(page - 1)
        links["prev"] = "?" + params.urlencode()
    if page < num_pages:
        params["page"] = str(page + 1)
        links["next"] = "?" + params.urlencode()
    return links


@csrf_exempt
def elder_toggle(request: HttpRequest) -> HttpResponse:
    """Switch the 适老化 mode (larger text, high contrast, no motion); kept in a cookie.

    CSRF-exempt on purpose: it only flips a display preference of the caller's own browser,
    and a token in the header form would make every anonymous page uncacheable.
    """
    if request.method != "POST":
        return HttpResponse("请使用页面上的按钮切换适老模式。", status=405)
    target = request.POST.get("next", "/")
    # Only a local path: ``redirect()`` would treat "foo" as a URL name (NoReverseMatch → 500).
    if (
        not target.startswith("/")
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
        or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get("elder") == "1":
        response.delete_cookie("elder", samesite="Lax")
    else:
        # No script reads it (the server renders the mode); Secure on HTTPS (issue 13).
        response.set_cookie(
            "elder",
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response


@cached_page()
def sitemap_page(request: HttpRequest) -> HttpResponse:
    """网站地图 for people (sitemap.xml is for search engines): every section of the portal,
    the catalog by topic, and the agencies that publish, each linking to its list."""
    from gongkai.portal.templatetags.portal_nav import nav_urls

    urls = nav_urls()
    sections = [
        ("政府信息公开", [("主动公开目录", urls["catalog"]), ("公开指南", urls["guides"]),
                     ("公开制度", urls["rules"]), ("年度报告", urls["reports"]),
                     ("依申请公开", urls["apply"]), ("公共查阅点", urls["outreach"])]),
        ("信息发布", [("通知公告", urls["notices"]), ("工作动态", urls["news"]),
                  ("RSS 订阅", urls["feed_rss"])]),
        ("互动交流", [("调查征集", urls["participation"]), ("政务咨询", urls["questions"]),
                  ("在线咨询", urls["interviews"]), ("热点回应", urls["interpretations"])]),
        ("服务", [("站内检索", urls["search"]), ("适老模式", urls["home"] + "#main"),
                ("工作人员登录", urls["login"])]),
    ]  # fmt: skip
    options = _options()
    context = {
        "title": "网站地图",
        "sections": sections,
        "topics": options["topics"],
        "agencies": options["agencies"],
        "catalog_url": urls["catalog"],
        "sitemap_xml": urls["sitemap"],
    }
    return render(request, "portal/sitemap_page.html", context)
