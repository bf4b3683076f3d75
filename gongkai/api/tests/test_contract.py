"""Contract test: schemathesis drives every operation of ``/api/v1/openapi.json`` through the
WSGI application (in the test's database transaction, on SQLite and on PostgreSQL) and checks
each response against the document: no 5xx, documented status codes and content types, bodies
valid against their schemas. Generated data includes invalid input (negative testing), with
and without a valid token.

The totals are printed (run with ``-s``) and written to
``test-artifacts/schemathesis-summary.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from gongkai.api.tests.fixtures import ApiDataCase

EXAMPLES_PER_OPERATION = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]  # fmt: skip


class InTransactionWSGI:
    """Django's WSGI handler without closing the connection at the end of each request (the
    test's transaction must stay open, as django.test.Client does)."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return self.handler(environ, start_response)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@override_settings(
    API_RATE_PER_IP=10**9, API_RATE_PER_TOKEN=10**9, DEBUG_PROPAGATE_EXCEPTIONS=False
)
class ContractTest(ApiDataCase):
    def test_it_conforms_to_its_openapi_document(self) -> None:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", InTransactionWSGI())
        self.assertEqual(schema.raw_schema["openapi"], "3.1.0")
        totals: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        failures: list[str] = []
        operations = 0
        for result in schema.get_all_operations():
            operation: Any = result.ok()  # type: ignore[union-attr]
            operations += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                for with_token in (False, True):
                    headers = self.auth_headers() if with_token else {}
                    self.exercise(operation, mode, headers, totals, statuses, failures)
        summary = {
            "operations": operations,
            "requests": totals["requests"],
            "positive_cases": totals["positive"],
            "negative_cases": totals["negative"],
            "server_errors": totals["server_errors"],
            "schema_violations": totals["violations"],
            "status_codes": {str(k): v for k, v in sorted(statuses.items())},
        }
        out = Path(settings.BASE_DIR) / "test-artifacts"
        out.mkdir(exist_ok=True)
        (out / "schemathesis-summary.json").write_text(json.dumps(summary, indent=2))
        print("schemathesis:", json.dumps(summary))  # noqa: T201
        self.assertEqual(failures[:5], [], "\n\n".join(failures[:5]))
        self.assertEqual(summary["server_errors"], 0)
        self.assertGreater(totals["negative"], operations * 20)
        self.assertGreater(totals["positive"], operations * 20)
        self.assertGreater(statuses[200], 0)
        self.assertGreater(sum(v for k, v in statuses.items() if 400 <= k < 500), 0)

    def exercise(
        self,
        operation: Any,
        mode: GenerationMode,
        headers: dict[str, str],
        totals: Counter[str],
        statuses: Counter[int],
        failures: list[str],
    ) -> None:
        @given(case=operation.as_strategy(generation_mode=mode, headers=headers or None))
        @hsettings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
            suppress_health_check=list(HealthCheck), derandomize=True,
        )  # fmt: skip
        def run(case: Any) -> None:
            response = case.call()
            totals["requests"] += 1
            totals[mode.value] += 1
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                totals["server_errors"] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup) as exc:  # counted, reported below
                totals["violations"] += 1
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:600]}")

        run()

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token_secret}"}
