"""Every state-changing view: rejects GET, hides other agencies (404), refuses read-only (403)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.publishing import services
from gongkai.publishing.models import CatalogItem
from gongkai.publishing.tests.factories import approved, published
from gongkai.test import BaseTestCase


class ViewGuardTest(BaseTestCase):
    def test_post_views_reject_get_outsiders_and_viewers(self) -> None:
        rev = approved(self)
        item = published(self, title="已发布信息")
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        urls = [
            reverse("publishing:submit", args=[rev.pk]),
            reverse("publishing:review", args=[rev.pk]),
            reverse("publishing:scan", args=[rev.pk]),
            reverse("publishing:override", args=[rev.pk]),
            reverse("publishing:publish", args=[rev.pk]),
            reverse("publishing:attach", args=[rev.item_id]),
            reverse("publishing:validity", args=[item.pk]),
            reverse("publishing:withheld_review", args=[item.pk]),
            reverse("publishing:change_step", args=[cr.pk]),
        ]
        self.login(self.lisi)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 405, url)
        self.login(self.zhaoliu)
        for url in urls:
            self.assertEqual(self.client.post(url).status_code, 404, url)
        self.login(self.fenger)
        for url in urls:
            if "/scan/" in url:
                continue  # scanning only reads and stores findings; a viewer may run it
            self.assertEqual(self.client.post(url).status_code, 403, url)
        self.assertEqual(
            self.client.get(reverse("publishing:change_create", args=[item.pk])).status_code, 403
        )
        self.assertEqual(
            self.client.get(reverse("publishing:revision_edit", args=[rev.pk])).status_code, 403
        )

    def test_it_marks_validity_over_http(self) -> None:
        item = published(self)
        self.login(self.lisi)
        response = self.client.post(
            reverse("publishing:validity", args=[item.pk]),
            {"validity": "expired", "invalid_on": ""},
            follow=True,
        )
        self.assertContains(response, "请填写失效或废止日期")
        self.client.post(
            reverse("publishing:validity", args=[item.pk]),
            {"validity": "expired", "invalid_on": "2026-11-20"},
        )
        item.refresh_from_db()
        self.assertEqual(item.validity, "expired")

    def test_a_reviewer_cannot_publish_for_the_clerk(self) -> None:
        rev = approved(self)
        self.login(self.sunba)
        response = self.client.post(reverse("publishing:publish", args=[rev.pk]), follow=True)
        self.assertContains(response, "录入人本人")
        self.assertEqual(CatalogItem.objects.get().status, "draft")

    def test_the_schedule_command_is_idempotent(self) -> None:
        rev = approved(self)
        services.item_publish(
            revision=rev, by=self.lisi, publish_at=timezone.now() + dt.timedelta(seconds=1)
        )
        out = io.StringIO()
        call_command("publishing_schedule", "--dry-run", stdout=out)
        self.assertIn("发布 0 条", out.getvalue())
        CatalogItem.objects.update(publish_at=timezone.now() - dt.timedelta(minutes=1))
        call_command("publishing_schedule", stdout=out)
        call_command("publishing_schedule", stdout=out)
        self.assertEqual(CatalogItem.objects.get().status, "published")
        self.assertEqual(CatalogItem.objects.exclude(index_number="").count(), 1)
