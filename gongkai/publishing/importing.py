"""Bulk import of a legacy catalog (CSV, XLSX, JSON) — all-or-nothing per file.

1. Read the rows (``read_rows``); headers may be the Chinese column names or the English
   keys of ``COLUMNS`` (docs/catalog-import.md).
2. Validate every row (``validate_row``) and collect every error with its row number and
   column; progress is written to the ``ImportJob`` row as it goes.
3. If any row is wrong, nothing is imported: the job is REJECTED and its errors can be
   downloaded as CSV. Otherwise all rows are created in one transaction.
4. By default (a clerk's import) every row becomes an unpublished item with a 框架录入
   draft authored by the importing clerk, already scanned by the confidentiality scanner:
   it goes through the same 一校/二校/终审, scan and publication as a hand-entered item.
5. Only a 系统迁移 (``migration_reason`` given; reserved to the 指导科, audited as
   ``publishing.import.migrated`` with the reason) imports the rows as already published, as
   they were on the legacy site: 索引号 kept when given and allocated from the gap-free
   counter when not, and the public ones indexed for search after commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_log
from gongkai.lib import tabular
from gongkai.lib.taxonomy import Art20Item, ContentClass
from gongkai.publishing import scanner
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    CatalogItem,
    Column,
    DisclosureMode,
    Genre,
    ImportJob,
    Revision,
    Scope,
    TimeLimit,
    Topic,
    Validity,
)
from gongkai.publishing.services import index_prefix_period, sanitize_body

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    required: bool = False


COLUMNS = [
    Col("agency", "发布机构代号"),
    Col("index_number", "索引号"),
    Col("title", "名称", True),
    Col("summary", "内容概述"),
    Col("body", "正文"),
    Col("doc_number", "文号"),
    Col("formed_on", "生成日期", True),
    Col("published_at", "发布日期"),  # required for a 系统迁移 only
    Col("topic", "主题分类"),
    Col("genre", "体裁分类"),
    Col("keywords", "主题词"),
    Col("disclosure_mode", "公开方式"),
    Col("disclosure_reason", "不公开理由"),
    Col("scope", "公开范围"),
    Col("time_limit", "公开时限"),
    Col("validity", "有效性"),
    Col("effective_on", "生效日期"),
    Col("invalid_on", "失效日期"),
    Col("content_class", "内容类别"),
    Col("art20_item", "第二十条事项"),
    Col("art20_amount", "收费金额"),
    Col("column", "栏目"),
]
_BY_NAME = {c.key: c for c in COLUMNS} | {c.label: c for c in COLUMNS}
CHOICES = {
    "genre": Genre,
    "disclosure_mode": DisclosureMode,
    "scope": Scope,
    "time_limit": TimeLimit,
    "validity": Validity,
    "content_class": ContentClass,
    "art20_item": Art20Item,
    "column": Column,
}
DEFAULTS = {
    "genre": Genre.OTHER,
    "disclosure_mode": DisclosureMode.PROACTIVE,
    "scope": Scope.PUBLIC,
    "time_limit": TimeLimit.LONG_TERM,
    "validity": Validity.VALID,
    "content_class": ContentClass.OTHER,
    "art20_item": Art20Item.NONE,
    "column": Column.CATALOG,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (message in Chinese)."""


# --- reading -------------------------------------------------------------------------------


def _check_header(headers: list[str]) -> None:
    """Called by the reader before any data row: unknown or missing columns stop at line 1."""
    unknown = [h for h in headers if h and h not in _BY_NAME]
    if unknown:
        raise ImportFileError(
            "无法识别的列：" + "、".join(unknown) + "（列名见 docs/catalog-import.md）。"
        )
    missing = [
        c.label for c in COLUMNS if c.required and not any(h in (c.key, c.label) for h in headers)
    ]
    if missing:
        raise ImportFileError("缺少必填列：" + "、".join(missing) + "。")


def read_rows(name: str, data: bytes) -> list[dict[str, Any]]:
    """Rows as dicts keyed by the English column keys (unknown columns are an error).

    One reader for the three formats (``gongkai.lib.tabular``: encodings, header first, caps on
    rows, cell size and JSON nesting)."""
    try:
        table = tabular.read_table(
            name,
            data,
            max_rows=MAX_ROWS,
            check_header=_check_header,
            formats=("csv", "xlsx", "json"),
        )
    except tabular.TabularError as exc:
        raise ImportFileError(str(exc)) from exc
    if not table.rows:
        raise ImportFileError("文件中没有数据行。")
    return [
        {_BY_NAME[k].key: v for k, v in zip(table.header, row, strict=False) if k in _BY_NAME}
        for row in table.rows
    ]


# --- validating ----------------------------------------------------------------------------


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _datetime(v: Any) -> dt.datetime:
    if isinstance(v, dt.datetime):
        value = v
    else:
        s = _text(v).replace("/", "-")
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
            try:
                value = dt.datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
        else:
            value = dt.datetime.combine(_date(v), dt.time(9, 0))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Context:
    """Lookups shared by every row of one file."""

    def __init__(
        self,
        default_agency: Agency | None,
        allowed_agency_ids: set[int] | None,
        *,
        migration: bool = True,
    ) -> None:
        self.migration = migration
        self.default_agency = default_agency
        self.allowed = allowed_agency_ids
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.topics: dict[str, Topic] = {}
        for t in Topic.objects.select_related("parent"):
            self.topics[t.code] = t
            self.topics[str(t)] = t
            if t.parent_id is None:
                self.topics.setdefault(t.name, t)
        self.labels: dict[str, dict[str, str]] = {
            key: {str(label): str(value) for value, label in enum.choices}
            | {str(value): str(value) for value, _label in enum.choices}
            for key, enum in CHOICES.items()
        }  # type: ignore[attr-defined]
        self.index_numbers: set[str] = set()
        self.today = timezone.localdate()


def validate_row(row: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The model values of one row, and its errors as (column label, Chinese message)."""
    errors: list[tuple[str, str]] = []
    out: dict[str, Any] = {}

    def err(key: str, msg: str) -> None:
        errors.append((_BY_NAME[key].label, msg))

    code = _text(row.get("agency"))
    agency = ctx.agencies.get(code) if code else ctx.default_agency
    if agency is None:
        err(
            "agency",
            f"找不到机构代号“{code}”。" if code else "未填写发布机构代号，也没有选择默认机构。",
        )
    elif ctx.allowed is not None and agency.pk not in ctx.allowed:
        err("agency", f"您无权为“{agency.name}”导入信息。")
    out["agency"] = agency
    title = _text(row.get("title"))
    if not title:
        err("title", "名称不能为空。")
    elif len(title) > 300:
        err("title", "名称超过300字。")
    out["title"] = title
    for key, limit in (
        ("summary", 5000),
        ("doc_number", 100),
        ("keywords", 200),
        ("disclosure_reason", 300),
    ):
        text = _text(row.get(key))
        if len(text) > limit:
            err(key, f"超过{limit}字。")
        out[key] = text
    out["body"] = sanitize_body(_text(row.get("body")))
    for key in ("formed_on", "effective_on", "invalid_on"):
        value = row.get(key)
        if _text(value):
            try:
                out[key] = _date(value)
            except ValueError:
                err(key, f"日期“{_text(value)}”无法识别，请用 YYYY-MM-DD。")
                out[key] = None
        else:
            out[key] = None
            if key == "formed_on":
                err(key, "生成日期不能为空。")
    if out.get("formed_on") and out["formed_on"] > ctx.today:
        err("formed_on", "生成日期不能晚于今天。")
    published = row.get("published_at")
    out["published_at"] = None
    if not ctx.migration:
        pass  # a draft gets its 发布日期 when it is published after review
    elif not _text(published):
        err("published_at", "发布日期不能为空。")
    else:
        try:
            out["published_at"] = _datetime(published)
            if (
                out["formed_on"]
                and timezone.localtime(out["published_at"]).date() < out["formed_on"]
            ):
                err("published_at", "发布日期早于生成日期。")
        except ValueError:
            err("published_at", f"日期“{_text(published)}”无法识别。")
    topic_text = _text(row.get("topic")).replace("/", "\\")
    out["topic"] = None
    if topic_text:
        out["topic"] = ctx.topics.get(topic_text)
        if out["topic"] is None:
            err(
                "topic",
                f"主题分类“{topic_text}”不在国务院主题分类中（写作“综合政务\\政务公开”或代码）。",
            )
    for key in CHOICES:
        value = _text(row.get(key))
        if not value:
            out[key] = DEFAULTS[key]
            continue
        if value not in ctx.labels[key]:
            allowed = "、".join(label for label in ctx.labels[key] if not label.isascii())
            err(key, f"“{value}”不是有效取值（可选：{allowed}）。")
            out[key] = DEFAULTS[key]
        else:
            out[key] = ctx.labels[key][value]
    if out["disclosure_mode"] != DisclosureMode.PROACTIVE and not out["disclosure_reason"]:
        err("disclosure_reason", "依申请公开或不予公开的信息须说明理由。")
    if out["validity"] != Validity.VALID and not out["invalid_on"]:
        err("invalid_on", "失效或废止的信息须填写失效日期。")
    amount = _text(row.get("art20_amount"))
    out["art20_amount"] = None
    if amount:
        try:
            out["art20_amount"] = Decimal(amount)
            if out["art20_amount"] < 0:
                err("art20_amount", "收费金额不能为负数。")
        except InvalidOperation:
            err("art20_amount", f"收费金额“{amount}”不是数字。")
    if out["art20_item"] == Art20Item.FEE and out["art20_amount"] is None:
        err("art20_amount", "行政事业性收费须填写收费金额（万元）。")
    index_number = _text(row.get("index_number"))
    if index_number and not ctx.migration:
        err(
            "index_number",
            "导入为待审核草稿时不保留原索引号（发布时生成）；"
            "按原索引号和发布状态导入须由指导科选择“系统迁移”。",
        )
    elif index_number:
        if len(index_number) > 40 or "/" not in index_number:
            err("index_number", "索引号格式应为“前段码/后段码”。")
        elif index_number in ctx.index_numbers:
            err("index_number", f"索引号“{index_number}”在文件中重复。")
        ctx.index_numbers.add(index_number)
    out["index_number"] = index_number
    return out, errors


# --- importing -----------------------------------------------------------------------------


def error_report_csv(errors: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow(["行号", "列", "原因"])
    for e in errors:
        writer.writerow([e["row"], e["column"], e["message"]])
    return buf.getvalue()


def import_file(
    *,
    name: str,
    data: bytes,
    by: Any = None,
    default_agency: Agency | None = None,
    allowed_agency_ids: set[int] | None = None,
    index: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    batch: int = 1000,
    migration_reason: str = "",
) -> ImportJob:
    """Import one file now (see the module docstring); returns the finished ``ImportJob``.

    Without ``migration_reason`` the rows become drafts of ``by`` (a clerk of each row's
    agency). With it, a 系统迁移: ``by`` must be of the 指导科 (``None`` only for trusted
    code such as benchmarks; the command always names a user)."""
    migration, reason = import_mode_check(by=by, migration_reason=migration_reason)
    rows = read_rows(name, data)
    job = ImportJob.objects.create(
        agency=default_agency,
        filename=name[:200],
        total_rows=len(rows),
        created_by=by if getattr(by, "pk", None) else None,
        allowed_agency_ids=sorted(allowed_agency_ids) if allowed_agency_ids is not None else None,
        migration=migration,
        reason=reason,
    )
    return _run(job, rows, index=index, progress=progress, batch=batch)


def can_migrate(user: Any) -> bool:
    """系统迁移 (import as already published) is reserved to the 指导科."""
    return bool(
        getattr(user, "is_authenticated", False)
        and any(m.role == Role.GUIDANCE for m in user.active_memberships)
    )


def import_mode_check(*, by: Any, migration_reason: str) -> tuple[bool, str]:
    """Decide the import mode: ``(migration, reason)``; refuse what is not allowed."""
    reason = (migration_reason or "").strip()
    if not reason:
        if not getattr(by, "pk", None):
            raise ImportFileError("导入为待审核草稿须指定录入人（--by 录入员用户名）。")
        return False, ""
    if len(reason) < 4:
        raise ImportFileError("系统迁移须写明理由（至少4个字）。")
    if getattr(by, "pk", None) and not can_migrate(by):
        raise ImportFileError("“系统迁移”（按原发布状态导入）只能由协调办指导科办理。")
    return True, reason


def import_job_start(
    *,
    name: str,
    data: bytes,
    by: Any,
    default_agency: Agency | None = None,
    allowed_agency_ids: set[int] | None = None,
    migration_reason: str = "",
) -> ImportJob:
    """Console upload: check the file is readable, keep it, and import it in the background
    (a Celery task after commit; without a broker the task runs at once, in-process)."""
    migration, reason = import_mode_check(by=by, migration_reason=migration_reason)
    rows = read_rows(name, data)
    with transaction.atomic():
        job = ImportJob.objects.create(
            agency=default_agency,
            filename=name[:200],
            total_rows=len(rows),
            created_by=by,
            allowed_agency_ids=sorted(allowed_agency_ids)
            if allowed_agency_ids is not None
            else None,
            migration=migration,
            reason=reason,
        )
        job.source.save(
            f"{job.pk}-{scanner.sha256_hex(data)[:16]}.{name.rsplit('.', 1)[-1].lower()}",
            ContentFile(data),
        )
        audit_log("publishing.import.started", obj=job, actor=by, message=name)

        def enqueue() -> None:
            from django.conf import settings

            from gongkai.publishing.tasks import import_run_task

            if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
                import_job_run(job.pk)  # no broker: run in-process, as Celery would eagerly
            else:
                import_run_task.delay(job.pk)

        transaction.on_commit(enqueue)
    return job


def import_job_run(job_id: int) -> ImportJob:
    """Run a started console import (the Celery task). Safe to call twice: a finished job
    is left alone."""
    job = ImportJob.objects.select_related("agency", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING or job.finished_at is not None:
        return job
    try:
        with job.source.open("rb") as fh:
            data = fh.read()
        rows = read_rows(job.filename, data)
    except (OSError, ImportFileError) as exc:
        job.status, job.message, job.finished_at = ImportJob.Status.FAILED, str(exc), timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    return _run(job, rows)


def _run(
    job: ImportJob,
    rows: list[dict[str, Any]],
    *,
    index: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    batch: int = 1000,
) -> ImportJob:
    by = job.created_by
    allowed = set(job.allowed_agency_ids) if job.allowed_agency_ids is not None else None
    ctx = Context(job.agency, allowed, migration=job.migration)
    values: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        out, errs = validate_row(row, ctx)
        values.append(out)
        errors += [{"row": n, "column": col, "message": msg} for col, msg in errs]
        if not job.migration and out["agency"] is not None and not _is_clerk(by, out["agency"]):
            errors.append(
                {"row": n, "column": "发布机构代号",
                 "message": f"您不是“{out['agency'].name}”的录入员，不能为其导入草稿。"}
            )  # fmt: skip
        if (n - 1) % batch == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=n - 1)
            if progress:
                progress("校验", n - 1, len(rows))
    row_of = {v["index_number"]: n for n, v in enumerate(values, start=2) if v["index_number"]}
    given = list(row_of)
    for i in range(0, len(given), 900):
        taken_numbers = CatalogItem.objects.filter(index_number__in=given[i : i + 900])
        for taken in taken_numbers.values_list("index_number", flat=True):
            errors.append(
                {"row": row_of[taken], "column": "索引号", "message": f"索引号“{taken}”已存在。"}
            )
    if errors:
        errors.sort(key=lambda e: e["row"])
        job.status, job.errors = ImportJob.Status.REJECTED, errors
        job.error_rows = len({e["row"] for e in errors})
        job.processed_rows, job.finished_at = len(rows), timezone.now()
        job.message = "有错误，整个文件未导入。"
        job.save()
        with transaction.atomic():
            audit_log(
                "publishing.import.rejected",
                obj=job,
                actor=by,
                message=f"{job.filename}：{job.error_rows} 行错误",
            )
        return job
    if not job.migration:
        return _create_drafts(values, by, job, len(rows))
    created_ids = _create(values, by, job, progress, batch)
    job.status, job.imported_rows, job.processed_rows = (
        ImportJob.Status.DONE,
        len(created_ids),
        len(rows),
    )
    job.finished_at, job.message = (
        timezone.now(),
        f"系统迁移：已按原发布状态导入 {len(created_ids)} 条。",
    )
    job.save()
    if index:
        _index(created_ids, progress)
    return job


def _is_clerk(user: Any, agency: Agency) -> bool:
    return bool(getattr(user, "pk", None)) and Role.CLERK in user.roles_in(agency.pk)


def _create_drafts(values: list[dict[str, Any]], by: Any, job: ImportJob, total: int) -> ImportJob:
    """Every row a new unpublished item with a 框架录入 draft of ``by``, scanned at once so
    the findings show on the item page (publication is blocked until they are resolved)."""
    from gongkai.publishing.services import revision_scan

    flagged = 0
    with transaction.atomic():
        for v in values:
            fields = {k: v[k] for k in CONTENT_FIELDS}
            item = CatalogItem.objects.create(
                agency=v["agency"], created_by=by, imported=True, **fields
            )
            rev = Revision.objects.create(item=item, number=1, author=by, **fields)
            rev.item = item
            flagged += bool(revision_scan(revision=rev))
        job.status, job.imported_rows, job.processed_rows = (
            ImportJob.Status.DONE,
            len(values),
            total,
        )
        job.finished_at = timezone.now()
        job.message = f"已导入 {len(values)} 条待审核草稿，请逐条提交审核。" + (
            f"其中 {flagged} 条保密审查有发现，须修改或经审核人员放行后才能发布。"
            if flagged
            else ""
        )
        job.save()
        audit_log(
            "publishing.import.done", obj=job, actor=by, message=f"{job.filename}：导入草稿 {len(values)} 条",
            changes={"imported": [0, len(values)], "flagged": [0, flagged]},
        )  # fmt: skip
    return job


def _create(
    values: list[dict[str, Any]], by: Any, job: ImportJob, progress: Any, batch: int
) -> list[int]:
    created: list[int] = []
    user = by if getattr(by, "pk", None) else None
    author = user or _system_user()
    with transaction.atomic():
        _number(values)
        for start in range(0, len(values), batch):
            chunk = values[start : start + batch]
            items = [
                CatalogItem(
                    agency=v["agency"],
                    index_number=v["index_number"],
                    status=CatalogItem.Status.PUBLISHED,
                    published_at=v["published_at"],
                    created_by=user,
                    created_at=v["published_at"],
                    updated_at=v["published_at"],
                    imported=True,
                    **{k: v[k] for k in CONTENT_FIELDS},
                )  # fmt: skip
                for v in chunk
            ]
            items = CatalogItem.objects.bulk_create(items)
            if items and items[0].pk is None:  # backends without RETURNING
                numbers = [i.index_number for i in items]
                items = list(CatalogItem.objects.filter(index_number__in=numbers))
            Revision.objects.bulk_create(
                [
                    Revision(
                        item=i,
                        number=1,
                        status=Revision.Status.PUBLISHED,
                        author=author,
                        created_at=i.published_at or timezone.now(),
                        published_at=i.published_at,
                        **{k: getattr(i, k) for k in CONTENT_FIELDS},
                    )  # fmt: skip
                    for i in items
                ]
            )
            created += [i.pk for i in items]
            if progress:
                progress("导入", start + len(chunk), len(values))
        audit_log(
            "publishing.import.migrated", obj=job, actor=by,
            message=f"{job.filename}：系统迁移，按原发布状态导入 {len(created)} 条。理由：{job.reason}",
            changes={"imported": [0, len(created)]},
        )  # fmt: skip
    return created


def _reserve(*, scope: str, period: str, agency: Agency, count: int) -> int:
    """Reserve ``count`` consecutive numbers of a counter (inside the import transaction,
    so a rollback returns the whole block); returns the first."""
    from gongkai.numbering.services import counter_next_block

    return counter_next_block(scope=scope, period=period, agency=agency, count=count)


def _number(chunk: list[dict[str, Any]]) -> None:
    """Give every row without a 索引号 the next serials of its agency and period.

    Serials already used by legacy numbers given in the file (or in the database) are
    skipped, so numbers never collide.
    """
    groups: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
    for v in chunk:
        if not v["index_number"]:
            prefix, period = index_prefix_period(v["agency"], v["published_at"])
            groups.setdefault((v["agency"].pk, prefix, period), []).append(v)
    for (_agency_id, prefix, period), rows in groups.items():
        agency = rows[0]["agency"]
        stem = f"{prefix}/{period}-"
        taken = set(
            CatalogItem.objects.filter(index_number__startswith=stem).values_list(
                "index_number", flat=True
            )
        )
        pending = list(rows)
        while pending:
            first = _reserve(
                scope="catalog_index", period=period, agency=agency, count=len(pending)
            )
            if first + len(pending) - 1 > 99999:
                raise ImportFileError(f"{agency.name} {period} 的索引号流水号已用尽（超过99999）。")
            rest = []
            for offset, v in enumerate(pending):
                number = f"{stem}{first + offset:05d}"
                if number in taken:
                    rest.append(v)
                else:
                    v["index_number"] = number
            pending = rest


def _system_user() -> Any:
    """Imports from the command line without a user are recorded against a service account."""
    from gongkai.accounts.models import User

    user, _ = User.objects.get_or_create(
        username="import-bot", defaults={"display_name": "目录导入", "is_active": False}
    )
    return user


def _index(ids: Iterable[int], progress: Any, batch: int = 500) -> None:
    from gongkai.publishing.services import _sync_search

    ids = list(ids)
    for start in range(0, len(ids), batch):
        _sync_search(ids[start : start + batch])
        if progress:
            progress("索引", min(start + batch, len(ids)), len(ids))


__all__ = [
    "COLUMNS",
    "ImportFileError",
    "can_migrate",
    "error_report_csv",
    "import_file",
    "import_mode_check",
    "read_rows",
    "scanner",
]
