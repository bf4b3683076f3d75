"""从Word导入正文 and the editor's paste filter, through HTTP."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.lib.codes import id_check_char
from gongkai.publishing import services
from gongkai.publishing.models import ReviewStage, Revision, Topic
from gongkai.publishing.services.common import sanitize_body
from gongkai.publishing.tests.word_samples import SIGN_DATE, SIGNER, sample_docx
from gongkai.publishing.topics import topics_load
from gongkai.test import BaseTestCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class WordImportTest(BaseTestCase):
    rev: Revision

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        topics_load(Topic, ReviewStage)
        cls.rev = services.item_create(
            agency=cls.agency_a,
            by=cls.lisi,
            fields={
                "title": "农机购置补贴实施方案",
                "formed_on": dt.date(2026, 3, 2),
                "body": "旧正文",
            },
        )

    def _upload(self, data: bytes, name: str = "方案.docx"):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("publishing:word_import", kwargs={"pk": self.rev.pk}),
            {"file": SimpleUploadedFile(name, data, content_type=DOCX)},
            follow=True,
        )

    def test_it_imports_headings_lists_tables_alignment_and_images(self) -> None:
        self.login(self.lisi)
        response = self._upload(sample_docx())
        self.assertContains(response, "已从“方案.docx”导入正文，1张图片已作为附件上传")
        body = Revision.objects.get(pk=self.rev.pk).body
        self.assertIn("<h2>一、补贴对象和补贴标准</h2>", body)
        self.assertIn("<ol><li>耕整地机械</li><li>收获机械</li></ol>", body)
        self.assertIn("<td><p>单机补贴上限</p></td>", body)
        self.assertIn(f'<p class="align-right">{SIGNER}</p>', body)
        self.assertIn(f'<p class="align-right">{SIGN_DATE}</p>', body)
        self.assertIn("<p>补贴对象为直接从事农业生产的个人和农业生产经营组织。</p>", body)
        self.assertNotIn("<img", body)
        self.assertNotIn("旧正文", body)
        images = list(self.rev.item.attachments.all())
        self.assertEqual([a.original_name for a in images], ["方案-图1.png"])
        self.assertEqual(images[0].content_type, "image/png")
        self.assertIn("（图片：方案-图1.png，见附件）", body)

    def test_it_runs_the_confidentiality_scan_on_the_result(self) -> None:
        self.login(self.lisi)
        base = "22050219800101123"
        number = base + id_check_char(base)
        response = self._upload(sample_docx(extra_paragraph=f"联系人身份证号{number}。"))
        shown = [str(m) for m in response.context["messages"]]
        warning = next(m for m in shown if m.startswith("保密审查：导入的正文中发现1处"))
        self.assertIn("身份证号", warning)
        self.assertNotIn(number, warning)  # the message names the kind, not the number

    def test_it_refuses_other_files_in_chinese(self) -> None:
        self.login(self.lisi)
        for name, data, message in [
            ("方案.doc", b"\xd0\xcf\x11\xe0" + b"0" * 100, "另存为” .docx"),
            ("方案.wps", b"\xd0\xcf\x11\xe0" + b"0" * 100, "另存为” .docx"),
            ("方案.docx", b"PK\x03\x04 not a zip", "不是有效的 Word 文档"),
            ("方案.pdf", b"%PDF-1.4", "请上传 Word 文档"),
        ]:
            response = self._upload(data, name)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, message)
        self.assertEqual(Revision.objects.get(pk=self.rev.pk).body, "<p>旧正文</p>")

    def test_it_lets_only_the_author_import(self) -> None:
        self.login(self.zhaoliu)
        response = self._upload(sample_docx())
        self.assertEqual(response.status_code, 404)
        self.login(self.wangwu)
        self._upload(sample_docx())
        self.assertEqual(Revision.objects.get(pk=self.rev.pk).body, "<p>旧正文</p>")

    def test_it_rejects_get(self) -> None:
        self.login(self.lisi)
        url = reverse("publishing:word_import", kwargs={"pk": self.rev.pk})
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_it_cleans_pasted_word_html_with_the_same_sanitiser(self) -> None:
        self.login(self.lisi)
        pasted = (
            "<html><head><style>p.MsoNormal{}</style></head><body><!--[if gte mso 9]><xml>x</xml><![endif]-->"
            "<p class=MsoTitle>通知</p><p class=MsoNormal style='text-align:right;mso-x:1'>"
            "通化市民政局<o:p></o:p></p><script>alert(1)</script><p onclick='x()'>正文</p></body></html>"
        )
        response = self.client.post(reverse("publishing:sanitize"), {"html": pasted})
        self.assertEqual(
            response.json()["html"],
            '<h2>通知</h2><p class="align-right">通化市民政局</p><p>正文</p>',
        )

    def test_it_keeps_blank_line_paragraphs_of_plain_bodies(self) -> None:
        self.assertEqual(
            sanitize_body("第一段\n第一段续\n\n　\n第二段"),
            "<p>第一段<br>第一段续</p><p>第二段</p>",
        )
        self.assertEqual(
            sanitize_body('<p style="text-align: right; color: red" class="x">落款</p>'),
            '<p class="align-right">落款</p>',
        )

    def test_it_lets_the_editors_text_align_decide_over_an_older_class(self) -> None:
        # Jodit aligns with style="text-align:…" over the stored class: made left again,
        # a 落款 must lose its align-right; images never stay in the body (no data: URIs)
        self.assertEqual(
            sanitize_body('<p class="align-right" style="text-align: left;">落款</p>'),
            "<p>落款</p>",
        )
        self.assertEqual(
            sanitize_body(
                '<table><tr><td class="align-center" style="text-align: right;">12万元</td></tr>'
                "</table>"
            ),
            '<table><tbody><tr><td class="align-right">12万元</td></tr></tbody></table>',
        )
        self.assertEqual(
            sanitize_body('<p>图<img src="data:image/png;base64,iVBORw0KGgo="></p>'), "<p>图</p>"
        )

    def test_it_maps_pasted_headings_like_the_docx_import(self) -> None:
        self.login(self.lisi)
        url = reverse("publishing:sanitize")
        word = (
            "<html xmlns:o='urn:schemas-microsoft-com:office:office'><body>"
            "<h1 style='mso-outline-level:1'>一、总则<o:p></o:p></h1>"
            "<h2>（一）对象</h2><h3>1.范围</h3></body></html>"
        )
        self.assertEqual(
            self.client.post(url, {"html": word}).json()["html"],
            "<h2>一、总则</h2><h3>（一）对象</h3><h4>1.范围</h4>",
        )
        page = "<h1>通知</h1><h2>一、对象</h2><h6>注</h6>"  # not from Word: no shift
        self.assertEqual(
            self.client.post(url, {"html": page}).json()["html"],
            "<h2>通知</h2><h2>一、对象</h2><h4>注</h4>",
        )
