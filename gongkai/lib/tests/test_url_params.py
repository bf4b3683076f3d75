"""Integer URL parameters and the 适老模式 switch: bad values are 404 / a safe redirect, never 500."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from gongkai.lib.converters import IdConverter, YearConverter
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase

TOO_BIG = "9223372036854775808"  # 2**63: one past the largest BIGINT


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found.extend(_patterns(p, route))
        elif isinstance(p, URLPattern):
            found.append((route, dict(getattr(p.pattern, "converters", {}))))
    return found


class UrlParamsTest(BaseTestCase):
    def test_it_answers_404_for_an_item_id_past_bigint(self) -> None:
        for url in (f"/xxgk/{TOO_BIG}/", f"/xxgk/{TOO_BIG}/print/", f"/xxgk/{TOO_BIG}/fj/1/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        item = make_item(self.agency_a, title="一条公开信息")
        self.assertEqual(self.client.get(f"/xxgk/{item.pk}/fj/{TOO_BIG}/").status_code, 404)
        self.assertEqual(self.client.get(f"/xxgk/{item.pk}/").status_code, 200)

    def test_it_answers_404_for_a_year_that_is_not_four_digits(self) -> None:
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/console/calendar/year/99999999999/").status_code, 404)
        self.assertEqual(self.client.get("/console/calendar/year/0/").status_code, 404)

    def test_it_uses_a_bounded_converter_for_every_integer_parameter(self) -> None:
        patterns = _patterns(get_resolver())
        unbounded = [
            r for r, conv in patterns if any(type(c) is IntConverter for c in conv.values())
        ]
        self.assertEqual(unbounded, [], "use <id:…> or <year:…> (gongkai/lib/converters.py)")
        self.assertTrue(
            any(isinstance(c, IdConverter) for _, conv in patterns for c in conv.values())
        )
        self.assertTrue(
            any(isinstance(c, YearConverter) for _, conv in patterns for c in conv.values())
        )

    def test_it_redirects_the_elder_switch_home_for_a_next_that_is_not_a_path(self) -> None:
        for nxt in ("foo", "portal:home", "https://evil.example/", "//evil.example/", "/a\r\nb"):
            response = self.client.post("/elder/", {"next": nxt})
            self.assertEqual(response.status_code, 302, nxt)
            self.assertEqual(response["Location"], "/", nxt)
        response = self.client.post("/elder/", {"next": "/xxgk/?page=2"})
        self.assertEqual(response["Location"], "/xxgk/?page=2")

    def test_it_treats_digit_like_characters_in_query_numbers_as_bad_input(self) -> None:
        # "²".isdigit() is True but int("²") raises: such checks use str.isdecimal()
        self.login(self.secadmin)
        response = self.client.get("/console/pki/ca/", {"year": "²"})
        self.assertEqual(response.status_code, 200)

    def test_it_refuses_nul_characters_in_path_query_and_form_with_400(self) -> None:
        # PostgreSQL text cannot hold NUL: without the middleware these were DataError 500s
        response = self.client.get("/gkzn/%00x/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("空字符", response.content.decode())
        for response in (
            self.client.get("/search/", {"q": "a\x00b"}),
            self.client.post("/elder/", {"next": "/\x00"}),
        ):
            self.assertEqual(response.status_code, 400)
            self.assertIn("空字符", response.content.decode())
        self.assertEqual(self.client.get("/search/", {"q": "低保"}).status_code, 200)
