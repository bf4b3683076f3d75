"""The console page of the search index: who sees it, and the audited repair action."""

from __future__ import annotations

from django.urls import reverse

from gongkai.search.models import SearchEntry
from gongkai.search.permissions import can_manage_search
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase


class SearchConsoleTest(BaseTestCase):
    def test_it_shows_the_page_to_managers_only(self) -> None:
        for name, user in self.personas().items():
            self.client.force_login(user)
            response = self.client.get(reverse("search:status"))
            expected = 200 if name in ("chuwg", "weiwg", "sysadmin") else 403
            self.assertEqual(response.status_code, expected, name)
            self.assertEqual(can_manage_search(user), expected == 200, name)

    def test_it_redirects_anonymous_users_to_login(self) -> None:
        response = self.client.get(reverse("search:status"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_reconciles_on_post_and_audits(self) -> None:
        make_item(self.agency_a)
        self.login(self.chuwg)
        self.assertEqual(self.client.get(reverse("search:reconcile")).status_code, 405)
        response = self.client.post(reverse("search:reconcile"), follow=True)
        self.assertContains(response, "重新索引 1 条")
        self.assertEqual(SearchEntry.objects.count(), 1)
        self.assertAudited("search.index.reconciled", actor=self.chuwg)

    def test_it_refuses_the_action_to_others(self) -> None:
        make_item(self.agency_a)
        self.login(self.lisi)
        self.assertEqual(self.client.post(reverse("search:reconcile")).status_code, 403)
        self.assertFalse(SearchEntry.objects.exists())
