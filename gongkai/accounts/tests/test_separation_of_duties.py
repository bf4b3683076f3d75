"""三员分立 and agency scoping, persona by persona (docs/roles.md is the matrix).

For every persona × protected business object: the access function and its queryset twin
agree, and both give what the matrix says. Over HTTP, the three administrators and the
outsider of another agency get 404 on every business object page and change nothing with
any business POST (the database is compared before and after), while the refusals are
recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.applications.permissions import get_application_for_user
from gongkai.assessment.permissions import get_inspection_for_user, inspections_for_user
from gongkai.audit.models import AuditEntry
from gongkai.interaction.models import Question
from gongkai.interaction.permissions import get_question_for_user
from gongkai.outreach.models import ReadingPoint
from gongkai.outreach.permissions import get_reading_point_for_user
from gongkai.publishing.models import (
    Attachment,
    CatalogItem,
    ChangeRequest,
    Guide,
    ImportJob,
    Revision,
)
from gongkai.publishing.permissions import (
    get_attachment_for_user,
    get_change_request_for_user,
    get_guide_for_user,
    get_import_job_for_user,
    get_item_for_user,
    get_revision_for_user,
    import_jobs_for_user,
)
from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.remedies.permissions import get_complaint_for_user, get_remedy_case_for_user
from gongkai.reports.models import AnnualReport
from gongkai.reports.permissions import get_report_for_user
from gongkai.reports.tests.helpers import make_application, make_item
from gongkai.test import BaseTestCase

ADMINS = ("sysadmin", "secadmin", "auditor")
OUTSIDERS = ("zhaoliu", "zhangsan")
# agency A's own staff and the city office's region-wide sections
INSIDERS = ("lisi", "wangwu", "sunba", "fenger", "chenzd", "chuwg")
BUSINESS_APPS = ("publishing", "applications", "remedies", "reports", "outreach")


def _snapshot(app_labels: tuple[str, ...] = BUSINESS_APPS) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of ``app_labels`` (the fixtures are small)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for app in app_labels
        for model in apps.get_app_config(app).get_models()
    }


class SeparationOfDutiesTest(BaseTestCase):
    item: CatalogItem
    draft: CatalogItem
    revision: Revision
    attachment: Attachment
    change: ChangeRequest
    guide: Guide
    import_job: ImportJob
    application: Application
    case: RemedyCase
    complaint: Complaint
    report: AnnualReport
    point: ReadingPoint
    question: Question
    inspection: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        a = cls.agency_a
        cls.item = make_item(a, dt.date(2025, 3, 3), title="已发布的通知")
        cls.draft = CatalogItem.objects.create(
            agency=a, title="尚未发布的草稿", formed_on=dt.date(2025, 3, 3), status="draft"
        )
        cls.revision = Revision.objects.create(
            item=cls.draft, number=1, author=cls.lisi, title="尚未发布的草稿",
            formed_on=dt.date(2025, 3, 3),
        )  # fmt: skip
        cls.attachment = Attachment.objects.create(
            item=cls.draft, file="catalog/draft.pdf", original_name="草稿附件.pdf", size=3,
            sha256="0" * 64, content_type="application/pdf",
        )  # fmt: skip
        cls.change = ChangeRequest.objects.create(
            item=cls.item, kind="change", reason="更正文号", requested_by=cls.lisi
        )
        cls.guide = Guide.objects.create(
            agency=a, version=1, classification="分类", arrangement="编排", access_methods="获取",
            office_name="民政局办公室", office_address="新华大街1号", office_hours="工作日",
            office_phone="0435-3200000",
        )  # fmt: skip
        cls.import_job = ImportJob.objects.create(filename="旧目录.csv", created_by=cls.lisi)
        cls.application = make_application(a, dt.date(2025, 3, 3), applicant_name="王小明")
        cls.case = RemedyCase.objects.create(agency=a, kind="review", filed_on=dt.date(2025, 3, 1))
        cls.complaint = Complaint.objects.create(
            agency=a, kind="complaint", received_on=dt.date(2025, 3, 1), complainant="李某",
            subject="未按期答复",
        )  # fmt: skip
        cls.report = AnnualReport.objects.create(agency=a, year=2025, title="2025年度报告")
        cls.point = ReadingPoint.objects.create(
            agency=a, name="市档案馆查阅点", kind="archive", address="新华大街1号"
        )
        from gongkai.interaction.tests.helpers import answered

        cls.question = answered(cls)  # a 留言 routed to agency A and answered (in review)
        from gongkai.assessment.services import inspection_create

        cls.inspection = inspection_create(
            agency=a, by=cls.chenzd, title="2025年政务公开专项检查", inspected_on=dt.date(2025, 3, 4),
            inspectors="陈指导",
        )  # fmt: skip

    # --- the access functions and their queryset twins ------------------------------------

    def objects(self) -> list[tuple[str, Model, Callable[[Any, Any], Any], Callable[[Any], QuerySet]]]:  # fmt: skip
        """(name, object, access function, queryset twin) for every protected object type."""
        return [
            ("已发布条目", self.item, get_item_for_user, CatalogItem.objects.for_user),
            ("草稿条目", self.draft, get_item_for_user, CatalogItem.objects.for_user),
            ("版本", self.revision, get_revision_for_user, Revision.objects.for_user),
            (
                "附件",
                self.attachment,
                get_attachment_for_user,
                lambda u: Attachment.objects.filter(item__in=CatalogItem.objects.for_user(u)),
            ),
            ("变更申请", self.change, get_change_request_for_user, ChangeRequest.objects.for_user),
            ("公开指南", self.guide, get_guide_for_user, Guide.objects.for_user),
            ("导入任务", self.import_job, get_import_job_for_user, import_jobs_for_user),
            (
                "依申请公开",
                self.application,
                get_application_for_user,
                Application.objects.for_user,
            ),
            ("复议诉讼", self.case, get_remedy_case_for_user, RemedyCase.objects.for_user),
            ("投诉举报", self.complaint, get_complaint_for_user, Complaint.objects.for_user),
            ("年度报告", self.report, get_report_for_user, AnnualReport.objects.for_user),
            ("查阅点", self.point, get_reading_point_for_user, ReadingPoint.objects.for_user),
            ("留言", self.question, get_question_for_user, Question.objects.for_user),
            ("监督检查", self.inspection, get_inspection_for_user, inspections_for_user),
        ]

    def expected_visible(self, persona: str, name: str) -> bool:
        if persona in ADMINS or persona in OUTSIDERS:
            return False
        if name == "导入任务":
            return persona == "lisi"  # a job is its starter's
        if name == "监督检查":
            return persona != "chuwg"  # supervision is the 指导科's and the agency's, not 网管科's
        return True

    def test_it_gives_every_persona_exactly_the_matrix(self) -> None:
        for persona, user in self.personas().items():
            if persona not in ADMINS + OUTSIDERS + INSIDERS:
                continue
            for name, obj, access, twin in self.objects():
                with self.subTest(persona=persona, object=name):
                    try:
                        access(user, obj.pk)
                        allowed = True
                    except Http404:
                        allowed = False
                    listed = twin(user).filter(pk=obj.pk).exists()
                    self.assertEqual(allowed, listed, "access function and queryset disagree")
                    self.assertEqual(allowed, self.expected_visible(persona, name))

    # --- over HTTP: pages --------------------------------------------------------------------

    def object_pages(self) -> list[str]:
        return [
            reverse("publishing:item", args=[self.item.pk]),
            reverse("publishing:item", args=[self.draft.pk]),
            reverse("publishing:revision_edit", args=[self.revision.pk]),
            reverse("publishing:attachment", args=[self.attachment.pk]),
            reverse("publishing:change", args=[self.change.pk]),
            reverse("publishing:guide", args=[self.guide.pk]),
            reverse("publishing:guide_edit", args=[self.agency_a.pk]),
            reverse("publishing:import_job", args=[self.import_job.pk]),
            reverse("applications:detail", args=[self.application.pk]),
            reverse("remedies:case", args=[self.case.pk]),
            reverse("remedies:complaint", args=[self.complaint.pk]),
            reverse("reports:detail", args=[self.report.pk]),
            reverse("outreach:point", args=[self.point.pk]),
            reverse("interaction:question", args=[self.question.pk]),
            reverse("assessment:inspection", args=[self.inspection.pk]),
        ]

    def test_it_gives_administrators_and_outsiders_404_on_every_business_page(self) -> None:
        for persona in ADMINS + ("zhaoliu",):
            self.login(self.personas()[persona])
            for url in self.object_pages():
                with self.subTest(persona=persona, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
        # and each refusal is in the audit log, naming the person and the page
        denied = AuditEntry.objects.filter(action="audit.access.denied")
        self.assertEqual(denied.count(), 4 * len(self.object_pages()))
        self.assertTrue(denied.filter(actor=self.sysadmin, object_repr=self.object_pages()[0]))

    def test_it_shows_the_pages_to_the_agency_and_the_city_office(self) -> None:
        pages = [u for u in self.object_pages() if "attachments" not in u and "import" not in u]
        for persona in ("lisi", "chenzd"):
            self.login(self.personas()[persona])
            for url in pages:
                if "guides/agency" in url and persona == "chenzd":
                    continue
                with self.subTest(persona=persona, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_hides_business_navigation_from_administrators(self) -> None:
        from gongkai.console import panels

        for persona in ADMINS:
            labels = {i.label for i in panels.collect("nav", self.personas()[persona])}
            for business in ("公开目录", "依申请公开", "复议诉讼投诉", "年度报告", "查阅点与活动"):
                self.assertNotIn(business, labels, persona)

    # --- over HTTP: every business state change ----------------------------------------------

    def business_posts(self) -> list[tuple[str, dict[str, Any]]]:
        item, draft, rev = self.item.pk, self.draft.pk, self.revision.pk
        app = self.application.pk
        guide_data = {
            "classification": "改写", "arrangement": "改写", "access_methods": "改写",
            "office_name": "改写", "office_address": "改写", "office_hours": "改写",
            "office_phone": "0435-1111111", "office_postcode": "134001",
        }  # fmt: skip
        posts: list[tuple[str, dict[str, Any]]] = [
            (reverse("publishing:create"), {"agency": self.agency_a.pk, "title": "新条目"}),
            (reverse("publishing:attach", args=[draft]), {}),
            (reverse("publishing:change_create", args=[item]), {"kind": "delete", "reason": "x"}),
            (reverse("publishing:validity", args=[item]), {"validity": "invalid"}),
            (reverse("publishing:unschedule", args=[item]), {}),
            (reverse("publishing:withheld_review", args=[item]), {"comment": "x"}),
            (reverse("publishing:revision_edit", args=[rev]), {"title": "改写"}),
            (reverse("publishing:submit", args=[rev]), {}),
            (reverse("publishing:review", args=[rev]), {"decision": "approve"}),
            (reverse("publishing:override", args=[rev]), {"reason": "x"}),
            (reverse("publishing:publish", args=[rev]), {}),
            (reverse("publishing:attachment_remove", args=[self.attachment.pk]), {}),
            (reverse("publishing:change_step", args=[self.change.pk]), {"accept": "1"}),
            (reverse("publishing:guide_edit", args=[self.agency_a.pk]), guide_data),
            (reverse("publishing:import"), {"agency": self.agency_a.pk}),
            (reverse("applications:register"), {"agency": self.agency_a.pk}),
            (reverse("remedies:case_conclude", args=[self.case.pk]),
             {"outcome": "upheld", "concluded_on": "2025-06-01"}),
            (reverse("remedies:complaint_close", args=[self.complaint.pk]), {"result": "x"}),
            (reverse("remedies:create", args=["cases"]),
             {"agency": self.agency_a.pk, "kind": "review", "filed_on": "2025-05-01"}),
            (reverse("remedies:create", args=["complaints"]),
             {"agency": self.agency_a.pk, "kind": "complaint", "received_on": "2025-05-01",
              "subject": "x"}),
            (reverse("outreach:create", args=["points"]),
             {"agency": self.agency_a.pk, "name": "x", "kind": "archive", "address": "x"}),
            (reverse("reports:create"), {"year": 2025, "style": "2021", "agency": self.agency_a.pk}),
            (reverse("reports:narrative", args=[self.report.pk]), {"text": "改写"}),
            (reverse("reports:publish", args=[self.report.pk]), {}),
            (reverse("reports:new_version", args=[self.report.pk]), {}),
        ]  # fmt: skip
        steps = [
            "confirm", "assign", "correction", "consultation", "extension", "extension_approve",
            "correction_received", "delayed", "reasons",
            "reasons_received", "reasons_accept", "withdraw", "fee",
            "payment", "reply", "service",
        ]  # fmt: skip
        for step in steps:
            posts.append((reverse(f"applications:{step}", args=[app]), {}))
        return posts

    def test_it_lets_administrators_and_outsiders_change_no_business_data(self) -> None:
        for persona in ADMINS + ("zhaoliu",):
            self.login(self.personas()[persona])
            before = _snapshot()
            for url, data in self.business_posts():
                with self.subTest(persona=persona, url=url):
                    status = self.client.post(url, data).status_code
                    # object URLs: 404 (or 403); create pages: 403, or 302/400 with the refusal
                    self.assertIn(status, (302, 400, 403, 404))
            self.assertEqual(_snapshot(), before, f"{persona} changed business data")
        # the report, remedy and guide URLs of issue 12 answer 404 to the system administrator
        self.login(self.sysadmin)
        for url in (
            reverse("reports:publish", args=[self.report.pk]),
            reverse("remedies:case_conclude", args=[self.case.pk]),
            reverse("publishing:guide_edit", args=[self.agency_a.pk]),
        ):
            self.assertEqual(self.client.post(url, {}).status_code, 404, url)

    def every_object_url(self) -> list[str]:
        """Every console URL of a business app that names one object, found by walking the URL
        configuration (so a step added later is covered too), filled with agency A's objects.
        Notice templates (系统管理员's configuration) are left out."""
        from django.urls import get_resolver
        from django.urls.resolvers import URLPattern, URLResolver

        objects = {
            ("publishing", "items"): self.item.pk,
            ("publishing", "revisions"): self.revision.pk,
            ("publishing", "attachments"): self.attachment.pk,
            ("publishing", "changes"): self.change.pk,
            ("publishing", "guides"): self.guide.pk,
            ("publishing", "import"): self.import_job.pk,
            ("remedies", "case"): self.case.pk,
            ("remedies", "complaint"): self.complaint.pk,
            ("outreach", "point"): self.point.pk,
        }
        found: list[str] = []

        def walk(patterns: list[Any], ns: str | None) -> None:
            for p in patterns:
                if isinstance(p, URLResolver):
                    walk(p.url_patterns, p.namespace or ns)
                elif isinstance(p, URLPattern) and ns in BUSINESS_APPS and p.name:
                    kwargs: dict[str, Any] = {}
                    route = str(p.pattern)
                    head = route.split("/", 1)[0]
                    for name in p.pattern.converters:
                        if name == "pk":
                            if ns == "applications":
                                kwargs[name] = self.application.pk
                            elif ns == "reports":
                                kwargs[name] = self.report.pk
                            else:
                                kwargs[name] = objects[(ns, head)]
                        elif name == "agency_pk":
                            kwargs[name] = self.agency_a.pk
                        elif name in ("fmt", "slug", "action"):
                            kwargs[name] = "pdf" if name == "fmt" else "x"
                        else:
                            kwargs[name] = 1
                    if ("pk" in kwargs or "agency_pk" in kwargs) and head != "templates":
                        found.append(reverse(f"{ns}:{p.name}", kwargs=kwargs))

        walk(get_resolver().url_patterns, None)
        return found

    def test_it_answers_404_on_every_object_url_of_the_business_apps(self) -> None:
        urls = self.every_object_url()
        self.assertGreater(len(urls), 50)
        for persona in ADMINS + ("zhaoliu",):
            self.login(self.personas()[persona])
            before = _snapshot()
            for url in urls:
                with self.subTest(persona=persona, url=url):
                    self.assertIn(self.client.get(url).status_code, (404, 405))
                    self.assertEqual(self.client.post(url, {}).status_code, 404)
            self.assertEqual(_snapshot(), before, f"{persona} changed business data")

    def test_it_keeps_the_staffing_figures_of_the_report_from_the_system_administrator(
        self,
    ) -> None:
        from gongkai.agencies.models import Staffing

        url = reverse("agencies:staffing", args=[self.agency_a.pk])
        data = {"year": 2025, "full_time": 3, "part_time": 2}
        self.login(self.sysadmin)
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.assertFalse(Staffing.objects.exists())
        self.login(self.wushi)  # the agency's 信息公开工作机构负责人 fills them in
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertTrue(Staffing.objects.filter(agency=self.agency_a, year=2025).exists())

    def test_it_still_lets_each_administrator_do_their_own_job(self) -> None:
        self.login(self.sysadmin)
        for name in ("workdays:home", "applications:templates", "agencies:list", "agencies:create"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 200, name)
        self.assertEqual(
            self.client.get(reverse("agencies:edit", args=[self.agency_a.pk])).status_code, 200
        )
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.login(self.secadmin)
        self.assertEqual(self.client.get(reverse("accounts:user_list")).status_code, 200)
        self.assertEqual(self.client.get(reverse("pki:application_list")).status_code, 200)
        self.login(self.auditor)
        self.assertEqual(self.client.get(reverse("audit:list")).status_code, 200)
        for name in ("agencies:list", "accounts:user_list", "workdays:home"):
            self.assertIn(self.client.get(reverse(name)).status_code, (200, 403, 404), name)
        self.assertEqual(self.client.get(reverse("accounts:user_list")).status_code, 403)

    def test_it_keeps_certificates_out_of_the_system_administrators_django_admin(self) -> None:
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/admin/pki/certificate/").status_code, 403)
        self.assertEqual(self.client.get("/admin/pki/certapplication/").status_code, 403)
        self.assertEqual(self.client.get("/admin/pki/certificateauthority/").status_code, 200)
