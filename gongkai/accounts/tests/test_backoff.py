"""Login backoff per (account, address) and the per-address limit, with explicit clocks."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.test import override_settings

from gongkai.accounts import services
from gongkai.audit.models import AuditEntry
from gongkai.test import PASSWORD, BaseTestCase

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
URL = "/accounts/login/"
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.10"


@override_settings(
    LOGIN_MAX_FAILURES=5,
    LOGIN_BACKOFF_SECONDS=30,
    LOGIN_BACKOFF_MAX_SECONDS=3600,
    LOGIN_MAX_FAILURES_PER_IP=30,
)
class BackoffTests(BaseTestCase):
    def setUp(self) -> None:
        self.now = T0
        clock = mock.patch("django.utils.timezone.now", side_effect=lambda: self.now)
        clock.start()
        self.addCleanup(clock.stop)

    def post(self, password: str, ip: str, username: str = "lisi"):  # type: ignore[no-untyped-def]
        return self.client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)

    def test_it_doubles_the_wait_and_caps_it(self) -> None:
        waits = [services.backoff_seconds(n) for n in range(1, 14)]
        self.assertEqual(waits[:4], [0, 0, 0, 0])
        self.assertEqual(waits[4:10], [30, 60, 120, 240, 480, 960])
        self.assertEqual(waits[-1], 3600)
        self.assertEqual(services.backoff_seconds(10_000), 3600)

    def test_one_wrong_password_every_15_minutes_does_not_lock_the_account(self) -> None:
        # The old lock: 5 failures → 15 min lock; the count never reset, so one wrong
        # password every 15 minutes kept the account locked forever.
        for _ in range(40):
            self.post("wrong", ATTACKER)
            self.advance(15 * 60 + 1)
        self.assertRedirects(self.post(PASSWORD, OFFICE), "/console/")
        self.lisi.refresh_from_db()
        self.assertFalse(self.lisi.is_locked())

    def test_an_attacker_cannot_lock_the_real_user_out(self) -> None:
        for _ in range(5):
            self.post("wrong", ATTACKER)
        self.assertContains(self.post("wrong", ATTACKER), "30秒后再试", status_code=400)
        self.assertRedirects(self.post(PASSWORD, OFFICE), "/console/")

    def test_it_refuses_during_the_wait_even_with_the_right_password(self) -> None:
        for _ in range(5):
            self.post("wrong", ATTACKER)
        self.advance(29)
        response = self.post(PASSWORD, ATTACKER)
        self.assertContains(response, "1秒后再试", status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.advance(2)
        self.assertRedirects(self.post(PASSWORD, ATTACKER), "/console/")

    def test_refused_attempts_are_not_counted_and_the_wait_grows(self) -> None:
        for _ in range(5):
            self.post("wrong", ATTACKER)
        for _ in range(20):  # hammering during the wait changes nothing
            self.post("wrong", ATTACKER)
        failures = AuditEntry.objects.filter(action="accounts.login.failed").count()
        self.assertEqual(failures, 5)
        self.advance(31)
        self.post("wrong", ATTACKER)  # 6th real failure → 60 s
        self.assertContains(self.post("wrong", ATTACKER), "1分0秒后再试", status_code=400)

    def test_a_success_clears_the_backoff_of_that_address(self) -> None:
        for _ in range(4):
            self.post("wrong", ATTACKER)
        self.assertRedirects(self.post(PASSWORD, ATTACKER), "/console/")
        self.client.post("/accounts/logout/")
        for _ in range(4):
            self.post("wrong", ATTACKER)
        self.assertRedirects(self.post(PASSWORD, ATTACKER), "/console/")

    def test_it_limits_failures_per_address_across_accounts(self) -> None:
        # 40 attempts in 21 s were all processed before; now the 31st is refused.
        statuses = []
        for i in range(40):
            statuses.append(self.post("wrong", ATTACKER, username=f"user{i}").status_code)
            self.advance(0.5)
        failures = AuditEntry.objects.filter(action="accounts.login.failed").count()
        self.assertEqual(failures, 30)
        self.assertContains(self.post(PASSWORD, ATTACKER), "该网络地址", status_code=400)
        self.assertRedirects(self.post(PASSWORD, OFFICE), "/console/")
        self.advance(15 * 60)
        self.assertRedirects(self.post(PASSWORD, ATTACKER), "/console/")

    def test_it_audits_the_wait(self) -> None:
        for _ in range(5):
            self.post("wrong", ATTACKER)
        entry = AuditEntry.objects.filter(action="accounts.login.failed").latest("id")
        self.assertEqual(entry.ip, ATTACKER)
        self.assertIn("等待30秒", entry.message)

    def test_user_name_case_shares_one_bucket(self) -> None:
        for name in ("lisi", "LISI", "Lisi", "lIsi", "liSI"):
            self.post("wrong", ATTACKER, username=name)
        self.assertContains(self.post(PASSWORD, ATTACKER), "后再试", status_code=400)

    def test_the_service_takes_an_explicit_clock(self) -> None:
        for i in range(6):
            services.login_failed(username="lisi", ip=ATTACKER, now=T0 + dt.timedelta(seconds=i))
        refusal = services.login_refusal(
            username="lisi", ip=ATTACKER, now=T0 + dt.timedelta(seconds=10)
        )
        self.assertIn("后再试", refusal)
        later = T0 + dt.timedelta(seconds=5 + 61)
        self.assertEqual(services.login_refusal(username="lisi", ip=ATTACKER, now=later), "")
