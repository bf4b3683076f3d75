"""Bulk import: CSV, XLSX and JSON; every row validated; all-or-nothing per file."""

from __future__ import annotations

import io
import json
import os
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.publishing import importing
from gongkai.publishing.models import CatalogItem, ImportJob, Topic
from gongkai.test import BaseTestCase

HEADER = "发布机构代号,名称,生成日期,发布日期,主题分类,体裁分类,文号,第二十条事项,收费金额\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8-sig")


# A 系统迁移 by trusted code or the 指导科 (a clerk's import makes drafts instead).
REASON = "迁移原网站目录"

GOOD = [
    "th-mzj,通化市2012年城乡低保标准,2012-01-16,2012-02-01,民政、扶贫、救灾\\社会福利,通知,通民发〔2012〕5号,,",
    "th-czj,通化市行政事业性收费目录,2012-08-01,2012-08-10,0401,通知,,行政事业性收费,12.5",
]


class ImportTest(BaseTestCase):
    def test_it_imports_a_valid_csv(self) -> None:
        job = importing.import_file(
            name="old.csv", data=csv_bytes(*GOOD), by=self.chenzd, migration_reason=REASON
        )
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(job.imported_rows, 2)
        item = CatalogItem.objects.get(agency=self.agency_a)
        self.assertEqual(item.index_number, f"{self.agency_a.org_code}/2012-00001")
        self.assertEqual(item.topic_id, Topic.objects.get(code="1703").pk)
        self.assertEqual(item.status, "published")
        self.assertEqual(item.revisions.get().status, "published")
        fee = CatalogItem.objects.get(agency=self.agency_b)
        self.assertEqual(str(fee.art20_amount), "12.5000")
        self.assertAudited("publishing.import.migrated")

    def test_it_imports_nothing_when_one_row_is_wrong(self) -> None:
        bad = [
            *GOOD,
            "th-xxx,,2099-01-01,昨天,不存在的分类,通知书,,行政事业性收费,",
        ]
        job = importing.import_file(
            name="old.csv", data=csv_bytes(*bad), by=self.chenzd, migration_reason=REASON
        )
        self.assertEqual(job.status, ImportJob.Status.REJECTED)
        self.assertEqual(job.error_rows, 1)
        self.assertFalse(CatalogItem.objects.exists())
        messages = {e["column"]: e["message"] for e in job.errors}
        self.assertIn("找不到机构代号", messages["发布机构代号"])
        self.assertIn("名称不能为空", messages["名称"])
        self.assertIn("不能晚于今天", messages["生成日期"])
        self.assertIn("无法识别", messages["发布日期"])
        self.assertIn("主题分类", messages["主题分类"])
        self.assertIn("不是有效取值", messages["体裁分类"])
        self.assertIn("收费金额", messages["收费金额"])
        self.assertTrue(all(e["row"] == 4 for e in job.errors))
        report = importing.error_report_csv(job.errors)
        self.assertIn("行号,列,原因", report)

    def test_it_refuses_duplicate_index_numbers(self) -> None:
        data = json.dumps([
            {"agency": "th-mzj", "index_number": "X/2012-00001", "title": "甲", "formed_on": "2012-01-01", "published_at": "2012-01-02"},
            {"agency": "th-mzj", "index_number": "X/2012-00001", "title": "乙", "formed_on": "2012-01-01", "published_at": "2012-01-02"},
        ]).encode()  # fmt: skip
        job = importing.import_file(name="old.json", data=data, migration_reason=REASON)
        self.assertEqual(job.status, ImportJob.Status.REJECTED)
        self.assertIn("重复", job.errors[0]["message"])

    def test_it_reads_xlsx_and_json(self) -> None:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.active.append(["agency", "title", "formed_on", "published_at", "validity", "invalid_on"])
        wb.active.append(
            ["th-mzj", "已废止的旧规定", "2010-01-01", "2010-01-05", "废止", "2012-01-01"]
        )
        buf = io.BytesIO()
        wb.save(buf)
        job = importing.import_file(name="old.xlsx", data=buf.getvalue(), migration_reason=REASON)
        self.assertEqual(job.status, ImportJob.Status.DONE, job.errors)
        self.assertEqual(CatalogItem.objects.get().validity, "repealed")
        data = json.dumps(
            {
                "items": [
                    {
                        "发布机构代号": "th-czj",
                        "名称": "乙",
                        "生成日期": "2012-01-01",
                        "发布日期": "2012-01-02 10:30",
                    }
                ]
            }
        )
        job = importing.import_file(name="old.json", data=data.encode(), migration_reason=REASON)
        self.assertEqual(job.status, ImportJob.Status.DONE, job.errors)

    def test_it_refuses_unreadable_files(self) -> None:
        for name, data, message in (
            ("a.doc", b"x", "只支持"),
            ("a.json", b"{oops", "JSON"),
            ("a.csv", "名称,颜色\n甲,红\n".encode(), "无法识别的列"),
            ("a.csv", "名称\n甲\n".encode(), "缺少必填列"),
        ):
            with self.assertRaisesMessage(importing.ImportFileError, message):
                importing.import_file(name=name, data=data, migration_reason=REASON)

    def test_the_command_reports_rejected_rows(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "old.csv")
            report = os.path.join(tmp, "errors.csv")
            with open(path, "wb") as fh:
                fh.write(csv_bytes(GOOD[0], "th-mzj,,2012-01-01,2012-01-02,,,,,"))
            with self.assertRaisesMessage(CommandError, "整个文件未导入"):
                call_command(
                    "import_catalog",
                    path,
                    "--by=chenzd",
                    "--migration-reason=迁移原网站目录",
                    "--report",
                    report,
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
            with open(report, encoding="utf-8-sig") as fh:
                self.assertIn("名称不能为空", fh.read())
            with open(path, "wb") as fh:
                fh.write(csv_bytes(*GOOD))
            out = io.StringIO()
            call_command(
                "import_catalog", path, "--by=chenzd", "--migration-reason=迁移原网站目录",
                stdout=out, stderr=io.StringIO(),
            )  # fmt: skip
            self.assertIn("已导入 2 条", out.getvalue())

    def test_the_console_upload_is_scoped_to_the_clerks_agency(self) -> None:
        self.login(self.lisi)
        upload = SimpleUploadedFile("old.csv", csv_bytes(*GOOD))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("publishing:import"), {"file": upload, "agency": ""}
            )
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("publishing:import_job", args=[job.pk]))
        page = self.client.get(reverse("publishing:import_job", args=[job.pk]))
        self.assertContains(page, "您无权为“通化市财政局”导入信息")
        self.assertContains(page, "有错误，未导入")
        self.assertEqual(
            self.client.get(reverse("publishing:import_report", args=[job.pk])).status_code, 200
        )
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.get(reverse("publishing:import_job", args=[job.pk])).status_code, 404
        )
        self.login(self.lisi)
        upload = SimpleUploadedFile("old.csv", csv_bytes(GOOD[0]))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("publishing:import"), {"file": upload})
        self.assertAudited("publishing.import.started")
        # running the task again leaves a finished job alone
        from gongkai.publishing.importing import import_job_run

        done = ImportJob.objects.get(status="done")
        self.assertEqual(import_job_run(done.pk).imported_rows, 1)
        self.assertEqual(CatalogItem.objects.count(), 1)


class ImportReviewTest(BaseTestCase):
    """Imports enter the same review and scan as hand-entered items (issue 12)."""

    ID17 = "22050219800101123"
    PLANTED = (
        "发布机构代号,名称,生成日期,正文\n"
        "th-mzj,低保对象名单,2026-11-02,"
        '"<p>王某，身份证号{id}，手机13943512345，机密★5年</p>"\n'
    )

    def _clerk_upload(self, data: bytes, **extra: str) -> ImportJob:
        self.login(self.lisi)
        upload = SimpleUploadedFile("old.csv", data)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("publishing:import"), {"file": upload, **extra})
        return ImportJob.objects.get()

    def test_it_turns_a_clerks_import_into_a_scanned_draft_that_cannot_be_published(self) -> None:
        from gongkai.lib.codes import id_check_char
        from gongkai.publishing import services
        from gongkai.publishing.services import PublishingError

        id_number = self.ID17 + id_check_char(self.ID17)
        job = self._clerk_upload(self.PLANTED.format(id=id_number).encode(), reason="想直接发布")
        self.assertEqual(job.status, ImportJob.Status.DONE, job.errors)
        self.assertFalse(job.migration)
        self.assertIn("保密审查有发现", job.message)
        item = CatalogItem.objects.get()
        self.assertEqual((item.status, item.index_number), ("draft", ""))
        self.assertEqual(self.client.get(f"/xxgk/{item.pk}/").status_code, 404)
        self.assertFalse(CatalogItem.objects.public().exists())
        rev = item.revisions.get()
        self.assertEqual((rev.status, rev.author_id), ("draft", self.lisi.pk))
        kinds = {f["kind"] for f in rev.scan_findings}
        self.assertEqual(kinds, {"id_number", "mobile", "secret"})
        page = self.client.get(reverse("publishing:item", args=[item.pk]))
        self.assertContains(page, "密级标志")
        self.assertNotIn(id_number, str(rev.scan_findings))  # findings are stored masked
        # the same review chain as a hand-entered item, and the scan still blocks
        services.revision_submit(revision=rev, by=self.lisi)
        for who in (self.wangwu, self.qianqi, self.sunba):
            services.review_record(revision=rev, by=who, decision="approve")
        with self.assertRaisesMessage(PublishingError, "保密审查发现3处疑似问题"):
            services.item_publish(revision=rev, by=self.lisi)
        self.assertFalse(CatalogItem.objects.public().exists())

    def test_a_clerk_gets_no_migration_option_and_the_service_refuses_it(self) -> None:
        self.login(self.lisi)
        page = self.client.get(reverse("publishing:import"))
        self.assertNotContains(page, "系统迁移理由")
        self.assertContains(page, "待审核草稿")
        with self.assertRaisesMessage(importing.ImportFileError, "只能由协调办指导科办理"):
            importing.import_file(
                name="old.csv", data=csv_bytes(GOOD[0]), by=self.lisi, migration_reason=REASON
            )
        self.assertFalse(CatalogItem.objects.exists())

    def test_a_draft_import_keeps_no_legacy_index_number(self) -> None:
        data = "发布机构代号,索引号,名称,生成日期\nth-mzj,X/2012-00001,甲,2012-01-01\n"
        job = importing.import_file(name="old.csv", data=data.encode(), by=self.lisi)
        self.assertEqual(job.status, ImportJob.Status.REJECTED)
        self.assertIn("系统迁移", job.errors[0]["message"])

    def test_a_draft_import_needs_a_clerk_of_the_rows_agency(self) -> None:
        job = importing.import_file(name="old.csv", data=csv_bytes(GOOD[0]), by=self.chenzd)
        self.assertEqual(job.status, ImportJob.Status.REJECTED)
        self.assertIn("不是“通化市民政局”的录入员", job.errors[0]["message"])
        with self.assertRaisesMessage(importing.ImportFileError, "须指定录入人"):
            importing.import_file(name="old.csv", data=csv_bytes(GOOD[0]))

    def test_the_guidance_section_migrates_published_items_with_an_audited_reason(self) -> None:
        self.login(self.chenzd)
        page = self.client.get(reverse("publishing:import"))
        self.assertContains(page, "系统迁移理由")
        response = self.client.post(
            reverse("publishing:import"), {"file": SimpleUploadedFile("a.csv", csv_bytes(*GOOD))}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ImportJob.objects.exists())
        upload = SimpleUploadedFile("a.csv", csv_bytes(*GOOD))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("publishing:import"), {"file": upload, "reason": "迁移原网站2012年目录"}
            )
        job = ImportJob.objects.get()
        self.assertEqual((job.status, job.migration), (ImportJob.Status.DONE, True))
        self.assertEqual(CatalogItem.objects.public().count(), 2)
        self.assertAudited("publishing.import.migrated")
        from gongkai.audit.models import AuditEntry

        entry = AuditEntry.objects.get(action="publishing.import.migrated")
        self.assertIn("迁移原网站2012年目录", entry.message)
        self.assertEqual(entry.actor_id, self.chenzd.pk)
