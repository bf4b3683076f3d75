"""The write API through HTTP: tokens from the console, a submission that goes through review."""

from __future__ import annotations

import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from gongkai.api.models import ApiToken, Submission
from gongkai.api.services import token_create
from gongkai.publishing.models import CatalogItem, Revision
from gongkai.test import BaseTestCase

SUBMISSION = {
    "title": "通化市民政局关于2026年城乡低保标准的通知",
    "formed_on": "2026-11-02",
    "doc_number": "通民发〔2026〕12号",
    "summary": "公布2026年城乡居民最低生活保障标准。",
    "body": "<p>各县（市、区）民政局：现将2026年低保标准通知如下。</p><script>x()</script>",
    "topic": "1703",
    "genre": "notice",
    "external_id": "MZ-2026-0012",
}


class WriteApiTest(BaseTestCase):
    def issue(self, scopes: list[str] | None = None, agency: Any = None, clerk: Any = None) -> str:
        return token_create(
            agency=agency or self.agency_a,
            name="民政业务系统",
            scopes=scopes or ["catalog:submit", "catalog:read-status"],
            acting_user=clerk or self.lisi,
            by=self.secadmin,
        ).secret

    def post(self, secret: str, body: Any, key: str = "", raw: bool = False) -> Any:
        headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return self.client.post(
            "/api/v1/submissions",
            data=body if raw else json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            **headers,
        )

    def get(self, url: str, secret: str = "") -> Any:
        headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
        return self.client.get(url, **headers)

    # --- tokens in the console ----------------------------------------------------------

    def test_it_lets_the_security_administrator_create_a_token_shown_once(self) -> None:
        self.login(self.secadmin)
        response = self.client.post(
            reverse("api:token_create"),
            {
                "agency": self.agency_a.pk,
                "name": "民政业务系统",
                "acting_user": self.lisi.pk,
                "scopes": ["catalog:submit", "catalog:read-status"],
            },
        )
        self.assertEqual(response.status_code, 200)
        secret = response.context["secret"]
        self.assertTrue(secret.startswith("gk_"))
        self.assertEqual(response["Cache-Control"], "no-store")
        token = ApiToken.objects.get()
        self.assertNotIn(secret, json.dumps([token.key_hash, token.prefix]))  # hashed at rest
        self.assertNotEqual(token.key_hash, secret)
        self.assertAudited("api.token.created", object_id=str(token.pk))
        listing = self.client.get(reverse("api:tokens"))
        self.assertContains(listing, token.prefix)
        self.assertNotContains(listing, secret)

    def test_it_refuses_token_pages_to_everyone_but_the_security_administrator(self) -> None:
        for user in (self.sysadmin, self.auditor, self.lisi, self.chenzd, self.sunba):
            self.login(user)
            self.assertEqual(self.client.get(reverse("api:tokens")).status_code, 403, user)
            response = self.client.post(
                reverse("api:token_create"),
                {"agency": self.agency_a.pk, "name": "x", "acting_user": self.lisi.pk,
                 "scopes": ["catalog:submit"]},
            )  # fmt: skip
            self.assertEqual(response.status_code, 403, user)
        self.assertFalse(ApiToken.objects.exists())

    def test_it_refuses_an_acting_user_who_is_not_a_clerk_of_the_agency(self) -> None:
        self.login(self.secadmin)
        response = self.client.post(
            reverse("api:token_create"),
            {"agency": self.agency_a.pk, "name": "x", "acting_user": self.zhaoliu.pk,
             "scopes": ["catalog:submit"]},
        )  # fmt: skip
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "责任录入员须为通化市民政局的录入员", status_code=400)
        self.assertFalse(ApiToken.objects.exists())

    def test_it_revokes_a_token_which_then_gets_401(self) -> None:
        secret = self.issue()
        token = ApiToken.objects.get()
        self.login(self.secadmin)
        response = self.client.post(
            reverse("api:token_revoke", args=[token.pk]), {"reason": "系统下线"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertAudited("api.token.revoked", object_id=str(token.pk))
        self.client.logout()
        response = self.post(secret, SUBMISSION)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertIn("吊销", response.json()["detail"])
        self.assertFalse(CatalogItem.objects.exists())

    def test_it_rejects_get_on_revoke(self) -> None:
        self.issue()
        self.login(self.secadmin)
        response = self.client.get(reverse("api:token_revoke", args=[ApiToken.objects.get().pk]))
        self.assertEqual(response.status_code, 405)

    # --- submissions --------------------------------------------------------------------

    def test_it_takes_a_submission_through_review_to_publication(self) -> None:
        """The issue's done-when: an agency system submits through the write API; the item
        is a draft in review (not public), goes through 一校/二校/终审 in the console and is
        published by the agency's clerk; the API then reports it published."""
        secret = self.issue()
        response = self.post(secret, SUBMISSION, key="2b1f7c1e-0001")
        self.assertEqual(response.status_code, 201, response.content)
        sub = response.json()
        self.assertEqual(sub["status"], "in_review")
        self.assertEqual(sub["stage"], "一校")
        self.assertEqual(sub["item_status"], "draft")
        self.assertIsNone(sub["url"])
        self.assertEqual(sub["external_id"], "MZ-2026-0012")
        rev = Revision.objects.get(pk=sub["revision_id"])
        self.assertEqual(rev.author, self.lisi)
        self.assertNotIn("<script>", rev.body)  # sanitised like hand entry
        self.assertAudited("api.submission.created", object_id=str(sub["item_id"]))
        # not public anywhere
        self.assertEqual(self.get("/api/v1/items").json()["items"], [])
        self.assertEqual(self.get(f"/api/v1/items/{sub['item_id']}").status_code, 404)
        self.assertEqual(self.client.get(f"/xxgk/{sub['item_id']}/").status_code, 404)

        for reviewer in (self.wangwu, self.qianqi, self.sunba):
            self.client.force_login(reviewer)
            self.client.post(
                reverse("publishing:review", args=[rev.pk]),
                {"decision": "approve", "comment": "同意"},
            )
        self.client.logout()
        status = self.get(f"/api/v1/submissions/{sub['id']}", secret).json()
        self.assertEqual(status["status"], "approved")
        self.assertEqual([r["stage"] for r in status["reviews"]], ["一校", "二校", "终审"])
        self.client.force_login(self.lisi)
        self.client.post(reverse("publishing:publish", args=[rev.pk]), {})
        self.client.logout()
        status = self.get(f"/api/v1/submissions/{sub['id']}", secret).json()
        self.assertEqual(status["item_status"], "published")
        self.assertEqual(status["url"], f"/xxgk/{sub['item_id']}/")
        self.assertTrue(status["index_number"])
        listed = self.get("/api/v1/items").json()["items"]
        self.assertEqual([i["id"] for i in listed], [sub["item_id"]])

    def test_it_never_creates_a_duplicate_on_retry_with_the_same_key(self) -> None:
        secret = self.issue()
        first = self.post(secret, SUBMISSION, key="retry-key-1")
        second = self.post(secret, SUBMISSION, key="retry-key-1")
        self.assertEqual(first.status_code, 201)
        self.assertEqual(second.status_code, 200)
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(CatalogItem.objects.count(), 1)
        self.assertEqual(Submission.objects.count(), 1)

    def test_it_refuses_the_same_key_with_another_payload(self) -> None:
        secret = self.issue()
        self.post(secret, SUBMISSION, key="k-2")
        response = self.post(secret, {**SUBMISSION, "title": "另一条信息"}, key="k-2")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["title"], "幂等键与请求内容不符")
        self.assertEqual(CatalogItem.objects.count(), 1)

    def test_it_creates_two_items_without_a_key(self) -> None:
        secret = self.issue()
        self.post(secret, SUBMISSION)
        self.post(secret, SUBMISSION)
        self.assertEqual(CatalogItem.objects.count(), 2)

    def test_it_answers_401_without_a_token(self) -> None:
        response = self.client.post(
            "/api/v1/submissions", data=json.dumps(SUBMISSION), content_type="application/json"
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], "Bearer")
        self.assertIn("机构令牌", response.json()["detail"])

    def test_it_answers_403_without_the_scope(self) -> None:
        secret = self.issue(scopes=["catalog:read-status"])
        response = self.post(secret, SUBMISSION)
        self.assertEqual(response.status_code, 403)
        self.assertIn("提交目录信息", response.json()["detail"])
        secret = self.issue(scopes=["catalog:submit"])
        sub = self.post(secret, SUBMISSION).json()
        self.assertEqual(self.get(f"/api/v1/submissions/{sub['id']}", secret).status_code, 403)

    def test_it_hides_another_agencys_submission(self) -> None:
        secret_a = self.issue()
        sub = self.post(secret_a, SUBMISSION).json()
        secret_b = self.issue(agency=self.agency_b, clerk=self.zhaoliu)
        response = self.get(f"/api/v1/submissions/{sub['id']}", secret_b)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.get("/api/v1/submissions", secret_b).json()["items"], [])

    def test_it_rejects_bad_payloads_with_chinese_problems(self) -> None:
        secret = self.issue()
        cases = [
            ({**SUBMISSION, "formed_on": "2026-13-45"}, 422, "formed_on"),
            ({**SUBMISSION, "title": ""}, 422, "title"),
            ({**SUBMISSION, "genre": "poem"}, 422, "genre"),
            ({**SUBMISSION, "unknown": 1}, 422, "unknown"),
            ({**SUBMISSION, "topic": "9999"}, 422, "主题分类代码"),
            ({**SUBMISSION, "formed_on": "2099-01-01"}, 422, "生成日期不能晚于今天"),
        ]
        for body, status, needle in cases:
            response = self.post(secret, body)
            self.assertEqual(response.status_code, status, (body, response.content))
            self.assertEqual(response["Content-Type"], "application/problem+json")
            self.assertIn(needle, response.content.decode(), body)
        for raw, status in (("{not json", 400), ("[1, 2]", 400), ("", 422)):
            response = self.post(secret, raw, raw=True)
            self.assertEqual(response.status_code, status, (raw, response.content))
            self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertFalse(CatalogItem.objects.exists())

    @override_settings(API_RATE_PER_TOKEN=2)
    def test_it_limits_requests_per_token(self) -> None:
        secret = self.issue()
        codes = [self.get("/api/v1/submissions", secret).status_code for _ in range(3)]
        self.assertEqual(codes, [200, 200, 429])
        response = self.get("/api/v1/submissions", secret)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertTrue(response["Retry-After"].isdigit())
