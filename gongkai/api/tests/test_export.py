"""The nightly bulk export: files, manifest, checksums, downloads, the beat entry."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from gongkai.api.tests.fixtures import ApiDataCase


class ExportTest(ApiDataCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="gongkai-export-"))
        self.addCleanup(shutil.rmtree, self.folder, True)
        override = self.settings(API_EXPORT_DIR=str(self.folder))
        override.enable()
        self.addCleanup(override.disable)

    def test_it_writes_jsonl_and_csv_with_a_manifest_of_checksums(self) -> None:
        out = io.StringIO()
        call_command("api_export", stdout=out)
        manifest = json.loads(out.getvalue())
        self.assertEqual(manifest["count"], 3)
        on_disk = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        self.assertEqual(on_disk, manifest)
        by_format = {f["format"]: f for f in manifest["files"]}
        for f in manifest["files"]:
            data = (self.folder / f["name"]).read_bytes()
            self.assertEqual(hashlib.sha256(data).hexdigest(), f["sha256"])
            self.assertEqual(len(data), f["bytes"])
        lines = gzip.decompress((self.folder / by_format["jsonl"]["name"]).read_bytes()).decode()
        rows = [json.loads(line) for line in lines.splitlines()]
        self.assertEqual({r["id"] for r in rows}, {self.item1.pk, self.item2.pk, self.legacy.pk})
        text = gzip.decompress((self.folder / by_format["csv"]["name"]).read_bytes()).decode(
            "utf-8-sig"
        )
        table = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(table), 3)
        self.assertEqual({r["agency_code"] for r in table}, {"th-mzj", "th-czj"})

    def test_it_serves_the_manifest_and_only_the_files_it_names(self) -> None:
        self.assertEqual(self.client.get("/api/v1/exports/").status_code, 404)
        call_command("api_export", stdout=io.StringIO())
        manifest = self.client.get("/api/v1/exports/").json()
        name = manifest["files"][0]["name"]
        response = self.client.get(f"/api/v1/exports/{name}")
        self.assertEqual(response.status_code, 200)
        body = response.getvalue()
        self.assertEqual(hashlib.sha256(body).hexdigest(), manifest["files"][0]["sha256"])
        (self.folder / "secret.txt").write_text("x")
        for bad in ("secret.txt", "manifest.json", "..%2Fsecret.txt", "catalog-0.jsonl.gz"):
            response = self.client.get(f"/api/v1/exports/{bad}")
            self.assertEqual(response.status_code, 404, bad)
            self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_it_replaces_the_previous_run_and_is_safe_to_run_twice(self) -> None:
        import datetime as dt

        from django.utils import timezone

        from gongkai.api.export import catalog_export

        first = catalog_export(now=timezone.now() - dt.timedelta(days=1))
        second = catalog_export()
        names = sorted(p.name for p in self.folder.glob("catalog-*.gz"))
        self.assertEqual(names, sorted(f["name"] for f in second["files"]))
        self.assertNotEqual(first["files"][0]["name"], second["files"][0]["name"])
        self.assertEqual(catalog_export(dry_run=True), {"dry_run": True, "count": 3})

    def test_it_is_scheduled_nightly(self) -> None:
        entry = settings.CELERY_BEAT_SCHEDULE["api-export-catalog"]
        self.assertEqual(entry["task"], "api.export_catalog")
        from gongkai.api.tasks import export_catalog

        self.assertEqual(export_catalog.apply().get(), {"count": 3})
