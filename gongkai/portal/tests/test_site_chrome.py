"""Error pages in Chinese for both audiences, the favicon, the human 网站地图, the configurable
footer items (党政机关 identifier, 我为政府网站找错) and the 【字体：大 中 小】 tool."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from gongkai.agencies.models import SiteProfile
from gongkai.test import BaseTestCase


class ErrorPagesTest(BaseTestCase):
    def test_it_answers_a_missing_portal_page_in_the_portal_frame(self) -> None:
        response = self.client.get("/xxgk/987654/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "errors/portal.html")
        self.assertContains(response, "页面不存在", status_code=404)
        self.assertContains(response, "提出政府信息公开申请", status_code=404)

    def test_it_answers_staff_403_and_404_in_the_console_frame(self) -> None:
        self.login(self.lisi)
        response = self.client.get(reverse("audit:list"))
        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "errors/console.html")
        self.assertContains(response, "无权访问", status_code=403)
        self.assertContains(response, "返回工作台首页", status_code=403)
        response = self.client.get("/console/catalog/items/987654/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "errors/console.html")

    @override_settings(DEBUG=True)
    def test_it_shows_the_chinese_404_instead_of_the_debug_page_in_development(self) -> None:
        self.login(self.lisi)
        response = self.client.get("/console/catalog/items/987654/")
        self.assertEqual(response.status_code, 404)
        body = response.content.decode()
        self.assertIn("页面不存在", body)
        self.assertNotIn("Page not found", body)

    def test_it_renders_the_500_page_without_the_database(self) -> None:
        from django.test import RequestFactory

        from gongkai.lib.errors import server_error

        with self.assertNumQueries(0):
            response = server_error(RequestFactory().get("/console/catalog/"))
        self.assertEqual(response.status_code, 500)
        self.assertIn("服务器暂时无法处理您的请求", response.content.decode())
        self.assertIn('href="/console/"', response.content.decode())


class SiteChromeTest(BaseTestCase):
    def test_it_serves_a_favicon(self) -> None:
        self.assertContains(self.client.get("/"), 'rel="icon"')
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("favicon.svg"))

    def test_it_has_a_human_site_map_beside_sitemap_xml(self) -> None:
        response = self.client.get(reverse("portal:sitemap_html"))
        self.assertContains(response, "<h1>网站地图</h1>", html=True)
        for label in ("主动公开目录", "依申请公开", "年度报告", "政务咨询", "sitemap.xml"):
            self.assertContains(response, label)
        self.assertContains(response, f"?agency={self.agency_a.code}")
        self.assertContains(self.client.get("/"), f'href="{reverse("portal:sitemap_html")}"')

    def test_it_shows_the_footer_items_as_configured(self) -> None:
        profile = SiteProfile.current()
        profile.site_code, profile.conac_url, profile.error_report_url = "2205000001", "", ""
        profile.save()
        from django.core.cache import cache

        cache.clear()  # the site profile and the anonymous page are cached
        page = self.client.get("/").content.decode()
        self.assertNotIn('alt="党政机关"', page)
        self.assertIn("errorInfo_querySiteInfo.action?sitecode=2205000001", page)
        profile.conac_url = "https://bszs.conac.cn/sitename?method=show&id=X"
        profile.error_report_url = "https://example.gov.cn/zhaocuo"
        profile.save()
        cache.clear()
        page = self.client.get("/").content.decode()
        self.assertIn('alt="党政机关"', page)
        self.assertIn("https://bszs.conac.cn/sitename?method=show&amp;id=X", page)
        self.assertIn('href="https://example.gov.cn/zhaocuo"', page)
        profile.site_code = profile.error_report_url = ""
        profile.save()
        cache.clear()
        self.assertNotIn("我为政府网站找错", self.client.get("/").content.decode())
