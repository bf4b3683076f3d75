"""The fuzz tier: every URL pattern and every form of the site, driven with hostile input.

On the 通化市 demo (``load_demo``), as an anonymous visitor and as logged-in staff:

1. **URLs** — the list of patterns comes from the URLconf. Each pattern is requested with the
   parameter values found by crawling the site's own links, and with hostile values for each
   of its parameters (0, 2⁶³, 19 nines, ``..``, 300 characters, NUL, Chinese …).
2. **Forms** — every ``<form>`` on every crawled page is submitted empty and with each value
   of a bad-input corpus in all its fields (hidden fields and the CSRF token kept, captchas
   solved so the fields behind them are reached, file inputs given hostile files).
3. **Hypothesis** — random per-field values (text, numbers, dates, huge and odd Unicode)
   for randomly chosen forms, with a fixed seed so CI is reproducible.

Asserted: no response is a 5xx, and a rejected POST (4xx) stores nothing: the row counts of
the business tables are unchanged. The counts (requests, inputs, 500s) are printed and
written to ``test-artifacts/fuzz.json``.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, path, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.lib import converters as _converters  # noqa: F401  (<id:…> for the harness URLconf)

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PERSONAS = ["", "lisi", "zhengyi", "sysadmin"]  # "" = anonymous
PARAM_PERSONAS = ["", "lisi"]  # hostile URL parameters: 404s decided before any per-role logic
PER_PATTERN = 2  # crawled URLs per URL pattern and persona
MAX_PAGES = 260  # crawled pages per persona
HYPOTHESIS_EXAMPLES = 250
# Not driven: leaving the session, Django's own admin (its forms are Django's), binary renders
# that cost seconds each and take no input beyond the URL (requested once, not fuzzed).
SKIP_PREFIXES = ("/accounts/logout/", "/admin/")
SLOW_SUFFIXES = (".pdf", "/pdf/", "download.pdf", ".docx", ".xlsx")
BAD_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "9223372036854775808",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2025-02-30",
    "0000-00-00",
    "9999-12-31T99:99",
    "{x.y}{a[b]}{名称:>2000000}",
    "<script>alert(1)</script>",
    "\x00",
    "a\r\nSet-Cookie: x=1",
    "１２３",
    "²",  # str.isdigit() is True, int() refuses it
    "../../etc/passwd",
    "' OR 1=1 --",
    "中" * 3000,
    "x" * 100_000,
]
BAD_PARAMS = ["0", "9223372036854775808", "9" * 19, "x" * 300, "%00中文"]
# Tables whose rows legitimately change on a refused request: the audit trail (denied access
# is logged), sessions, rate-limit counters, captcha, login throttling.
IGNORED_APPS = {"audit", "sessions", "lib", "admin", "contenttypes", "auth"}
IGNORED_MODEL_WORDS = ("attempt", "failure", "throttle", "lockout", "visit", "captcha")


def _hostile_files() -> list[tuple[str, bytes]]:
    deep = b"[" * 50_000 + b"]" * 50_000
    empty_xlsx = io.BytesIO()
    with zipfile.ZipFile(empty_xlsx, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook><sheets/></workbook>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    return [
        ("x.html", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
        ("x.svg", b'\x89PNG\r\n\x1a\n<svg onload="alert(1)"/>'),
        ("deep.json", deep),
        ("deep.csv", deep),
        ("empty.xlsx", empty_xlsx.getvalue()),
        ("big.csv", b"a,b\n" + b"x" * (2 * 1024 * 1024) + b"\n"),
    ]


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)
    options: dict[str, list[str]] = field(default_factory=dict)

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self._route(), self.method, tuple(sorted({n for n, _t, _v in self.fields})))

    def _route(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).route
        except Resolver404:
            return self.action


class _PageParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = Form(
                page=self.page,
                action=urljoin(self.page, a.get("action") or self.page),
                method=(a.get("method") or "get").lower(),
            )
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name:
                return
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if kind in ("submit", "button", "image", "reset") or tag == "button":
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.options.setdefault(name, []).append(a.get("value", "on"))
                if kind == "radio":
                    return
                value = ""
            else:
                value = a.get("value", "")
            self._form.fields.append((name, kind, value))
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select:
            self._form.options.setdefault(self._select, []).append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every route of the URLconf, with its converters, e.g. ``xxgk/<id:pk>/print/``."""
    resolver = resolver or get_resolver()
    out: list[str] = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out.extend(url_patterns(p, route))
        elif isinstance(p, URLPattern):
            out.append(route)
    return out


def _with_params(route: str, value: str) -> str | None:
    """``route`` with every parameter replaced by ``value`` (None for regex-only patterns)."""
    if route.startswith("^") or "(?P" in route:
        return None
    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, route).lstrip("^").rstrip("$")


def business_counts() -> dict[str, int]:
    """Row count of every business table (one query)."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in IGNORED_APPS
        and not m._meta.proxy
        and m._meta.managed
        and not any(w in m.__name__.lower() for w in IGNORED_MODEL_WORDS)
    ]
    qn = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{m._meta.label}', COUNT(*) FROM {qn(m._meta.db_table)}" for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


class Fuzzer:
    def __init__(self) -> None:
        self.requests = 0
        self.inputs = 0
        self.errors: list[str] = []
        self.stored_on_rejection: list[str] = []

    def send(
        self, client: Client, method: str, url: str, data: dict | None = None, *, check: bool
    ) -> Any:
        path = urlsplit(url)
        target = path.path + (f"?{path.query}" if path.query else "")
        before = business_counts() if check else None
        if method == "post":
            from gongkai.lib.models import RateCounter

            RateCounter.objects.all().delete()  # reach the fields behind the rate limits
            response = client.post(target, data or {})
        else:
            query = dict(parse_qsl(path.query, keep_blank_values=True)) | (data or {})
            response = client.get(path.path, query)
        self.requests += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            detail = f"{exc[0].__name__}: {str(exc[1])[:200]}" if exc else ""
            self.errors.append(f"{method.upper()} {target[:200]} → {response.status_code} {detail}")
        elif before is not None and 400 <= response.status_code < 500:
            after = business_counts()
            changed = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            if changed:
                self.stored_on_rejection.append(f"{method.upper()} {target[:120]}: {changed}")
        return response


class FuzzTest(TestCase):
    """One pass over the whole site; see the module docstring."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def _client(self, username: str) -> Client:
        from gongkai.accounts.models import User

        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    def _crawl(self, fz: Fuzzer, client: Client) -> tuple[set[str], list[Form]]:
        seen_per_route: dict[str, int] = {}
        visited: set[str] = set()
        queue = ["/", "/console/"]
        forms: dict[tuple, Form] = {}
        while queue and len(visited) < MAX_PAGES:
            url = queue.pop(0)
            parts = urlsplit(url)
            if parts.netloc not in ("", "testserver") or url in visited:
                continue
            if parts.path.startswith(SKIP_PREFIXES):
                continue
            try:
                route = resolve(parts.path).route
            except Resolver404:
                continue
            limit = 1 if parts.path.endswith(SLOW_SUFFIXES) else PER_PATTERN
            if seen_per_route.get(route, 0) >= limit:
                continue
            seen_per_route[route] = seen_per_route.get(route, 0) + 1
            visited.add(url)
            response = fz.send(client, "get", url, check=False)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _PageParser(url)
            parser.feed(response.content.decode("utf-8", "replace"))
            for link in parser.links:
                link = link.split("#", 1)[0]
                if link and link not in visited:
                    queue.append(link)
            for form in parser.forms:
                if not urlsplit(form.action).path.startswith(SKIP_PREFIXES):
                    forms.setdefault(form.key(), form)
        return visited, list(forms.values())

    def _payload(self, form: Form, value: str | None, files: list[tuple[str, bytes]]) -> dict:
        from gongkai.lib import captcha

        data: dict[str, Any] = {}
        for name, kind, original in form.fields:
            if name == "csrfmiddlewaretoken" or kind == "hidden" or value is None:
                data[name] = original
            elif kind == "file":
                fname, content = files[len(data) % len(files)]
                data[name] = SimpleUploadedFile(fname, content)
            else:
                data[name] = value
        if any(n.endswith("_token") for n, _k, _v in form.fields):
            for name, _k, _v in form.fields:
                if name.endswith("_token") and name[: -len("_token")] in data:
                    data.update(captcha.solved_data(name[: -len("_token")]))
        return data

    def test_it_answers_no_500_to_any_url_parameter_or_form_input(self) -> None:
        started = time.monotonic()
        fz = Fuzzer()
        files = _hostile_files()
        patterns = url_patterns()
        all_forms: list[tuple[str, Form]] = []
        for username in PERSONAS:
            client = self._client(username)
            visited, forms = self._crawl(fz, client)
            # 1. every pattern of the URLconf with hostile parameter values
            for route in patterns if username in PARAM_PERSONAS else []:
                if route.startswith(SKIP_PREFIXES[1:]) or "<" not in route:
                    continue
                for value in BAD_PARAMS:
                    url = _with_params(route, value)
                    if url is not None:
                        fz.send(client, "get", url, check=False)
                        fz.inputs += 1
            # 2. every form: empty, then each bad value in all its fields
            for form in forms:
                all_forms.append((username, form))
                values: list[str | None] = [None, *BAD_VALUES]
                for bad in values:
                    payload = self._payload(form, bad, files)
                    fz.send(client, form.method, form.action, payload, check=form.method == "post")
                    fz.inputs += len(form.fields)
            if username:
                client.logout()
        # 3. hypothesis: random values per field of random forms
        clients = {u: self._client(u) for u in PERSONAS}
        text = st.one_of(
            st.text(max_size=40),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
            st.dates().map(str),
            st.sampled_from(BAD_VALUES),
            st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
        )

        @settings(
            max_examples=HYPOTHESIS_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def drive(data: st.DataObject) -> None:
            username, form = data.draw(st.sampled_from(all_forms))
            payload = self._payload(form, None, files)
            for name, kind, _v in form.fields:
                if kind in ("hidden", "file") or name == "csrfmiddlewaretoken":
                    continue
                choices = form.options.get(name)
                if choices and data.draw(st.booleans()):
                    payload[name] = data.draw(st.sampled_from(choices))
                else:
                    payload[name] = data.draw(text)
            fz.send(
                clients[username], form.method, form.action, payload, check=form.method == "post"
            )
            fz.inputs += len(form.fields)

        drive()
        counts = {
            "url_patterns": len(patterns),
            "forms": len(all_forms),
            "requests": fz.requests,
            "inputs": fz.inputs,
            "server_errors": len(fz.errors),
            "stored_on_rejection": len(fz.stored_on_rejection),
            "seconds": round(time.monotonic() - started, 1),
        }
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "fuzz.json").write_text(
            json.dumps(
                {**counts, "errors": fz.errors, "stored": fz.stored_on_rejection},
                ensure_ascii=False,
                indent=1,
            )
        )
        print("\nfuzz:", json.dumps(counts))
        self.assertEqual(fz.errors, [], "\n".join(fz.errors[:40]))
        self.assertEqual(fz.stored_on_rejection, [], "\n".join(fz.stored_on_rejection[:20]))


def _boom(request: Any, pk: int) -> Any:
    raise ValueError("boom")


urlpatterns = [path("boom/<id:pk>/", _boom)]


class FuzzHarnessTest(TestCase):
    """The harness itself: a view that raises is counted, so 0 × 500 means something."""

    def test_it_counts_a_server_error(self) -> None:
        from django.test import override_settings

        with override_settings(ROOT_URLCONF=__name__):
            fz = Fuzzer()
            fz.send(Client(raise_request_exception=False), "get", "/boom/1/", check=False)
        self.assertEqual(len(fz.errors), 1)
        self.assertIn("ValueError: boom", fz.errors[0])
        self.assertEqual([r for r in url_patterns() if "boom" in r], [])
