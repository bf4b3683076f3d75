"""The read API: agencies, items, guides, reports; filters, cursors, ETag, problem+json."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import override_settings

from gongkai.api.tests.fixtures import PERSONAL, ApiDataCase


class ReadApiTest(ApiDataCase):
    def test_it_lists_public_items_with_attachments(self) -> None:
        data = self.client.get("/api/v1/items").json()
        ids = [i["id"] for i in data["items"]]
        self.assertCountEqual(ids, [self.item1.pk, self.item2.pk, self.legacy.pk])
        item2 = next(i for i in data["items"] if i["id"] == self.item2.pk)
        self.assertEqual(item2["agency"], {"code": "th-mzj", "name": "通化市民政局"})
        self.assertEqual(item2["topic"]["code"], "1703")
        self.assertTrue(item2["index_number"])
        (att,) = item2["attachments"]
        self.assertEqual(att["name"], "要点.txt")
        self.assertEqual(len(att["sha256"]), 64)
        download = self.client.get(att["url"])
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.getvalue().decode(), "社会救助工作要点全文。")

    def test_it_never_lists_drafts(self) -> None:
        from gongkai.publishing import services
        from gongkai.publishing.tests.factories import fields

        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields(title="草稿"))
        ids = [i["id"] for i in self.client.get("/api/v1/items?limit=100").json()["items"]]
        self.assertNotIn(rev.item_id, ids)
        self.assertEqual(self.client.get(f"/api/v1/items/{rev.item_id}").status_code, 404)

    def test_it_filters_items(self) -> None:
        def ids(query: str) -> set[int]:
            response = self.client.get("/api/v1/items?" + query)
            self.assertEqual(response.status_code, 200, response.content)
            return {i["id"] for i in response.json()["items"]}

        self.assertEqual(ids("agency=th-czj"), {self.legacy.pk})
        self.assertEqual(ids("genre=plan"), {self.item2.pk})
        self.assertEqual(ids("topic=17"), {self.item1.pk, self.item2.pk})  # parent code
        self.assertEqual(ids("topic=1703"), {self.item1.pk, self.item2.pk})
        self.assertEqual(ids("validity=repealed"), set())
        today = dt.date.today()
        self.assertEqual(
            ids(f"date_from={today - dt.timedelta(days=5)}&date_to={today - dt.timedelta(days=1)}"),
            {self.legacy.pk},
        )
        since = (self.item1.updated_at).isoformat()
        self.assertEqual(ids("updated_since=" + since.replace("+", "%2B")), {self.item2.pk})

    def test_it_pages_with_a_cursor_without_gaps_or_repeats(self) -> None:
        seen, cursor, pages = [], None, 0
        while True:
            url = "/api/v1/items?limit=1" + (f"&cursor={cursor}" if cursor else "")
            data = self.client.get(url).json()
            seen += [i["id"] for i in data["items"]]
            pages += 1
            cursor = data["next_cursor"]
            if not cursor:
                break
        self.assertEqual(pages, 3)
        self.assertCountEqual(seen, [self.item1.pk, self.item2.pk, self.legacy.pk])
        self.assertEqual(len(set(seen)), 3)

    def test_it_answers_304_to_a_matching_if_none_match(self) -> None:
        first = self.client.get("/api/v1/items")
        etag = first["ETag"]
        self.assertTrue(etag.startswith('"'))
        second = self.client.get("/api/v1/items", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(second.status_code, 304)
        self.assertEqual(second.content, b"")
        third = self.client.get("/api/v1/items", HTTP_IF_NONE_MATCH='"other"')
        self.assertEqual(third.status_code, 200)

    def test_it_serves_agencies_guides_and_reports(self) -> None:
        agencies = self.client.get("/api/v1/agencies?limit=100").json()["items"]
        self.assertIn("th-mzj", [a["code"] for a in agencies])
        county = self.client.get("/api/v1/agencies?region=220502").json()["items"]
        self.assertEqual({a["code"] for a in county}, {"dc-gov", "t220502101"})
        guide = self.client.get("/api/v1/agencies/th-mzj/guide").json()
        self.assertEqual(guide["version"], 1)
        self.assertEqual(guide["office_phone"], "0435-3201234")
        self.assertEqual(self.client.get("/api/v1/agencies/th-czj/guide").status_code, 404)
        reports = self.client.get("/api/v1/reports?year=2025").json()["items"]
        self.assertEqual([r["id"] for r in reports], [self.report.pk])
        report = self.client.get(f"/api/v1/reports/{self.report.pk}").json()
        self.assertEqual(report["data"]["style"], "2021")
        self.assertIn("table3", report["data"])
        self.assertNotIn("charts", report["data"])

    def test_it_answers_bad_input_with_chinese_problems_never_500(self) -> None:
        cases = {
            "/api/v1/items?date_from=2026-02-30": ("date_from", 400),
            "/api/v1/items?limit=0": ("limit", 400),
            "/api/v1/items?limit=abc": ("limit", 400),
            "/api/v1/items?genre=poem": ("genre", 400),
            "/api/v1/items?cursor=!!!": ("cursor", 400),
            "/api/v1/items?cursor=WzEsMl0": ("cursor", 400),
            "/api/v1/items?date_from=2026-02-01&date_to=2026-01-01": ("date_from", 400),
            "/api/v1/items?updated_since=9999-12-31T23:59:59": ("", 200),
            "/api/v1/items?agency=nope": ("nope", 404),
            "/api/v1/items/9223372036854775807": ("", 404),
            "/api/v1/items/99999999999999999999": ("item_id", 400),
            "/api/v1/items/-1": ("", 400),
            "/api/v1/agencies?region=12": ("region", 400),
            "/api/v1/agencies?region=999999": ("999999", 400),
            "/api/v1/nothing/here": ("接口地址不存在", 404),
            "/api/v1/items?agnecy=th-mzj": ("未知的查询参数：agnecy", 400),
        }
        for url, (needle, status) in cases.items():
            response = self.client.get(url)
            self.assertEqual(response.status_code, status, (url, response.content))
            if status >= 400:
                self.assertEqual(response["Content-Type"], "application/problem+json", url)
                body = response.json()
                self.assertEqual(body["status"], status)
                self.assertIn(needle, json.dumps(body, ensure_ascii=False), url)
                self.assertRegex(body["title"], r"[\u4e00-\u9fff]")
        response = self.client.delete("/api/v1/items")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Content-Type"], "application/problem+json")

    @override_settings(API_RATE_PER_IP=3)
    def test_it_limits_requests_per_ip(self) -> None:
        codes = [self.client.get("/api/v1/agencies").status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])
        response = self.client.get("/api/v1/agencies")
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertIn("请求过于频繁", response.json()["detail"])
        other = self.client.get("/api/v1/agencies", REMOTE_ADDR="192.0.2.7")
        self.assertEqual(other.status_code, 200)

    def test_it_serves_published_answers(self) -> None:
        (answer,) = self.client.get("/api/v1/answers").json()["items"]
        self.assertEqual(answer["number"], "ZX2026000001")
        self.assertEqual(answer["agency"]["code"], "th-mzj")
        self.assertIn("低保申请条件详见", answer["answer"])
        self.assertNotIn("name", answer)
        self.assertNotIn("contact", answer)
        self.assertEqual(self.client.get("/api/v1/answers?agency=th-czj").json()["items"], [])

    def test_it_serves_openapi_3_1_and_a_docs_page(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertEqual(schema["openapi"], "3.1.0")
        self.assertIn("/api/v1/items", schema["paths"])
        responses = schema["paths"]["/api/v1/items"]["get"]["responses"]
        self.assertIn("application/problem+json", responses["400"]["content"])
        page = self.client.get("/api/v1/docs/")
        self.assertContains(page, "GET /api/v1/items")
        self.assertContains(page, "Idempotency-Key")
        self.assertContains(
            page, "枚举：resolution、decision、"
        )  # the enum behind a $ref is spelled out
        self.assertNotRegex(page.content.decode(), r"(src|href)=\"(https?:)?//")  # nothing off-site


class PersonalDataTest(ApiDataCase):
    """No API response — read, write or export — contains an ID number, a phone number or an
    applicant's name, though the database holds them (an application, a remedy case, and a
    legacy item whose body carries them)."""

    def test_it_never_returns_personal_data(self) -> None:
        from gongkai.api.export import catalog_export

        urls = [
            "/api/v1/agencies?limit=100", "/api/v1/items?limit=100", "/api/v1/guides",
            "/api/v1/reports", f"/api/v1/reports/{self.report.pk}", f"/api/v1/items/{self.legacy.pk}",
            f"/api/v1/items/{self.item1.pk}", "/api/v1/agencies/th-mzj", "/api/v1/agencies/th-mzj/guide",
            "/api/v1/openapi.json", "/api/v1/docs/", "/api/v1/answers",
        ]  # fmt: skip
        bodies = []

        def text(response: Any) -> str:  # JSON decoded, so \\u escapes cannot hide anything
            body = response.content.decode()
            if response["Content-Type"].startswith("application/json"):
                return json.dumps(json.loads(body), ensure_ascii=False)
            return body

        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            bodies.append(text(response))
        for code in [
            a["code"] for a in self.client.get("/api/v1/agencies?limit=100").json()["items"]
        ]:
            bodies.append(text(self.client.get(f"/api/v1/agencies/{code}")))
        sub = self.client.post(
            "/api/v1/submissions",
            data=json.dumps(
                {"title": "测试信息", "formed_on": "2026-01-05", "body": "<p>正文</p>"}
            ),
            content_type="application/json",
            **self.auth(),
        )
        self.assertEqual(sub.status_code, 201)
        bodies.append(text(sub))
        bodies.append(text(self.client.get("/api/v1/submissions", **self.auth())))
        with self.settings(API_EXPORT_DIR=str(self._tmp())):
            catalog_export()
            manifest = self.client.get("/api/v1/exports/").json()
            for f in manifest["files"]:
                import gzip

                response = self.client.get(f"/api/v1/exports/{f['name']}")
                bodies.append(gzip.decompress(response.getvalue()).decode("utf-8-sig"))
        everything = "\n".join(bodies)
        self.assertIn("低保对象公示", everything)  # the legacy item is there, masked
        self.assertIn("低保申请条件咨询", everything)  # so is the published 留言, masked
        self.assertIn("我是欧***，电话138****5678", everything)  # the name the writer typed too
        for secret in PERSONAL:
            self.assertNotIn(secret, everything)

    def _tmp(self):  # type: ignore[no-untyped-def]
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp(prefix="gongkai-export-"))
        self.addCleanup(__import__("shutil").rmtree, path, True)
        return path
