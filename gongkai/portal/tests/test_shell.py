from gongkai.test import BaseTestCase


class PortalShellTestCase(BaseTestCase):
    def test_it_has_the_original_navigation_in_chinese(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        for label in (
            "首页",
            "主动公开",
            "依申请公开",
            "通知公告",
            "工作动态",
            "公开指南",
            "年度报告",
        ):
            self.assertContains(r, f">{label}</a>")
        self.assertContains(r, 'lang="zh-CN"')
        self.assertContains(r, "跳到主要内容")

    def test_it_answers_unknown_pages_in_chinese(self) -> None:
        r = self.client.get("/no-such-page/")
        self.assertContains(r, "页面不存在", status_code=404)

    def test_it_sends_security_headers(self) -> None:
        r = self.client.get("/")
        self.assertIn("default-src 'self'", r["Content-Security-Policy"])
        self.assertEqual(r["X-Frame-Options"], "DENY")
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")

    def test_it_toggles_the_elder_mode_with_post_only(self) -> None:
        self.assertEqual(self.client.get("/elder/").status_code, 405)
        r = self.client.post("/elder/", {"next": "/"})
        self.assertEqual(r.cookies["elder"].value, "1")
        self.assertContains(self.client.get("/"), 'class="elder')
        r = self.client.post("/elder/", {"next": "https://evil.example.com/"})
        self.assertEqual(r["Location"], "/")

    def test_it_reports_health(self) -> None:
        self.assertJSONEqual(self.client.get("/healthz").content, {"status": "ok"})
