"""The online application form: captcha and the per-address rate limit (issue 13)."""

from __future__ import annotations

import re

from django.test import override_settings
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.applications.tests.factories import AppTestCase
from gongkai.applications.tests.test_views import form_data
from gongkai.lib import captcha


class FormProtectionTests(AppTestCase):
    def test_it_shows_an_accessible_captcha(self) -> None:
        page = self.client.get(reverse("apply:form")).content.decode()
        token = re.search(r'name="captcha_token" value="([^"]+)"', page)
        assert token is not None
        self.assertIn(f"/captcha/{token.group(1)}.png", page)
        self.assertIn(captcha.question_text(token.group(1)), page)

    def test_it_refuses_a_missing_or_wrong_captcha_and_keeps_the_data(self) -> None:
        data = form_data(self.agency_a.pk)
        data["captcha"] = str(int(data["captcha"]) + 1)
        response = self.client.post(reverse("apply:form"), data)
        self.assertContains(response, "验证码答案不正确", status_code=400)
        self.assertContains(response, "2025年度城乡低保资金发放明细", status_code=400)
        del data["captcha"]
        response = self.client.post(reverse("apply:form"), data)
        self.assertContains(response, "请填写验证码", status_code=400)
        self.assertEqual(Application.objects.count(), 0)

    def test_a_solved_captcha_cannot_be_replayed(self) -> None:
        data = form_data(self.agency_a.pk)
        self.assertEqual(self.client.post(reverse("apply:form"), data).status_code, 302)
        response = self.client.post(reverse("apply:form"), data)
        self.assertContains(response, "已使用过", status_code=400)
        self.assertEqual(Application.objects.count(), 1)

    @override_settings(APPLY_FORM_MAX_PER_IP=3)
    def test_it_limits_submissions_per_address(self) -> None:
        statuses = [
            self.client.post(
                reverse("apply:form"), form_data(self.agency_a.pk), REMOTE_ADDR="203.0.113.8"
            ).status_code
            for _ in range(5)
        ]
        self.assertEqual(statuses, [302, 302, 302, 429, 429])
        response = self.client.post(
            reverse("apply:form"), form_data(self.agency_a.pk), REMOTE_ADDR="203.0.113.8"
        )
        self.assertContains(response, "提交过于频繁", status_code=429)
        self.assertContains(response, "2025年度城乡低保资金发放明细", status_code=429)
        self.assertEqual(Application.objects.count(), 3)
        other = self.client.post(
            reverse("apply:form"), form_data(self.agency_a.pk), REMOTE_ADDR="198.51.100.3"
        )
        self.assertEqual(other.status_code, 302)

    @override_settings(APPLY_FORM_MAX_PER_IP=2, TRUSTED_PROXIES=["127.0.0.1"])
    def test_applicants_behind_the_proxies_are_not_one_address(self) -> None:
        for n in range(4):  # four applicants through the two nginx layers
            response = self.client.post(
                reverse("apply:form"),
                form_data(self.agency_a.pk),
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 20}, 127.0.0.1",
            )
            self.assertEqual(response.status_code, 302)
