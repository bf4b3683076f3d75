"""Bulk export of the public catalog (nightly): JSON Lines and CSV, gzip, with a manifest.

Files go to ``API_EXPORT_DIR`` (default ``var/exports``)::

    catalog-20260101T020000.jsonl.gz   one item per line (the API's item shape)
    catalog-20260101T020000.csv.gz     one item per row (flat columns, UTF-8 with BOM)
    manifest.json                      generated_at, counts, sizes, sha256 of each file

1. Both files are written to temporary names and renamed into place; the manifest is
   replaced last, so a reader always sees a manifest whose files exist and match.
2. Files of earlier runs that the new manifest does not name are removed afterwards.
3. Items are streamed in id order in chunks (memory stays flat at the seed's 220,000 items).
Text fields are masked the same way as the API (``mask_personal``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

CSV_COLUMNS = [
    "id", "index_number", "title", "doc_number", "formed_on", "published_at", "updated_at",
    "agency_code", "agency_name", "topic_code", "topic_name", "genre", "genre_label",
    "validity", "validity_label", "content_class", "column", "keywords", "summary", "url",
    "attachment_count",
]  # fmt: skip
CHUNK = 1000


def export_dir() -> Path:
    path = Path(getattr(settings, "API_EXPORT_DIR", "") or Path(settings.VAR_DIR) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_manifest() -> dict[str, Any] | None:
    """The current manifest, or ``None`` before the first export."""
    path = export_dir() / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _rows() -> Any:
    from gongkai.api.v1 import _item_out, _public_items

    qs = _public_items().order_by("id")
    last = 0
    while True:
        chunk = list(qs.filter(id__gt=last)[:CHUNK])
        if not chunk:
            return
        for item in chunk:
            yield _item_out(item)
        last = chunk[-1].pk


def _csv_row(d: dict[str, Any]) -> list[Any]:
    topic = d["topic"] or {}
    flat = dict(d)
    flat.update(
        agency_code=d["agency"]["code"], agency_name=d["agency"]["name"],
        topic_code=topic.get("code", ""), topic_name=topic.get("name", ""),
        attachment_count=len(d["attachments"]),
    )  # fmt: skip
    return [flat.get(c) if flat.get(c) is not None else "" for c in CSV_COLUMNS]


def catalog_export(*, dry_run: bool = False, now: Any = None) -> dict[str, Any]:
    """Write the export and its manifest (see the module docstring); returns the manifest.

    ``dry_run`` counts the items and writes nothing."""
    now = now or timezone.now()
    if dry_run:
        from gongkai.api.v1 import _public_items

        return {"dry_run": True, "count": _public_items().count()}
    folder = export_dir()
    stamp = timezone.localtime(now).strftime("%Y%m%dT%H%M%S")
    jsonl_name, csv_name = f"catalog-{stamp}.jsonl.gz", f"catalog-{stamp}.csv.gz"
    tmp_jsonl, tmp_csv = folder / f".{jsonl_name}.tmp", folder / f".{csv_name}.tmp"
    count = 0
    with (
        gzip.open(tmp_jsonl, "wt", encoding="utf-8", newline="\n") as fj,
        gzip.open(tmp_csv, "wt", encoding="utf-8-sig", newline="") as fc,
    ):
        writer = csv.writer(fc)
        writer.writerow(CSV_COLUMNS)
        for row in _rows():
            fj.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n")
            writer.writerow(_csv_row(json.loads(json.dumps(row, cls=DjangoJSONEncoder))))
            count += 1
    os.replace(tmp_jsonl, folder / jsonl_name)
    os.replace(tmp_csv, folder / csv_name)
    files = []
    for name, fmt in ((jsonl_name, "jsonl"), (csv_name, "csv")):
        p = folder / name
        files.append(
            {"name": name, "format": fmt, "compression": "gzip", "bytes": p.stat().st_size,
             "sha256": _sha256(p), "records": count}
        )  # fmt: skip
    manifest = {
        "dataset": "public-catalog",
        "title": "政府信息公开目录（主动公开）全量导出",
        "generated_at": timezone.localtime(now).isoformat(),
        "count": count,
        "files": files,
        "csv_columns": CSV_COLUMNS,
        "schema": "每行一条，结构同 GET /api/v1/items/{id}",
    }
    tmp = folder / ".manifest.json.tmp"
    buf = io.StringIO()
    json.dump(manifest, buf, ensure_ascii=False, indent=2)
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")
    keep = {f["name"] for f in files} | {"manifest.json"}
    for old in folder.glob("catalog-*.gz"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return manifest
