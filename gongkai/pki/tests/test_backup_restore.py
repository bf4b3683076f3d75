"""Backup and restore (SPEC C11, issue 13): a world with applications, an encrypted ID proof,
an attachment and certificates is backed up, restored into an empty database and empty
directories, and every row, file and the audit chain come back intact; on SQLite and on
PostgreSQL (a separate database on the same server)."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.lib.backup import BackupError, backup_restore
from gongkai.lib.crypto import EncryptedFileSystemStorage
from gongkai.lib.testing import ROOT

PNG = b"\x89PNG\r\n\x1a\n" + b"ID-SCAN" * 50


@pytest.fixture
def world(pki_world: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    from gongkai.applications.models import Attachment
    from gongkai.applications.services import application_submit_online
    from gongkai.applications.tests.factories import person

    settings.MEDIA_ROOT = str(tmp_path / "media")
    agency = pki_world["people"]["lisi"].memberships.first().agency
    app, _ = application_submit_online(
        agency=agency,
        data=person(),
        id_proof=SimpleUploadedFile("id.png", PNG, content_type="image/png"),
    )
    att = Attachment(application=app, name="答复.pdf", size=20)
    att.file.save("答复.pdf", ContentFile(b"%PDF-1.4 the reply"), save=True)
    from gongkai.audit.services import audit_head

    return {**pki_world, "app": app, "attachment": att, "head": audit_head()}


def _target_url(tmp_path: Path) -> tuple[str, Any]:
    """An empty database of the same engine, and a function that drops it afterwards."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import psycopg

    db = connection.settings_dict
    name = f"gongkai_restore_{uuid.uuid4().hex[:8]}"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{auth}{params['host']}:{params['port']}/{name}", drop


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def test_it_backs_up_and_restores_everything(world: dict[str, Any], tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "已备份" in out.getvalue()
    assert (archive.stat().st_mode & 0o777) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "gongkai-backup/manifest.json" in names
    assert any(n.startswith("gongkai-backup/pki/private/") for n in names)
    assert any(n.startswith("gongkai-backup/db.") for n in names)

    url, drop = _target_url(tmp_path)
    restored = tmp_path / "restored"
    try:
        # what an operator runs on the new machine: a separate process, the new database
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(restored / "media"),
            "PKI_CA_DIR": str(restored / "private"),
            "PKI_PUBLISH_DIR": str(restored / "public"),
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "审计链完好" in result.stdout  # the command checked counts and the chain
        result = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        head = world["head"]
        assert f"链头 #{head[0]} 哈希 {head[1]}" in result.stdout
        app = world["app"]
        assert _rows(url, f"SELECT number FROM applications_application WHERE id = {app.pk}") == [
            (app.number,)
        ]
        serials = {r[0] for r in _rows(url, "SELECT serial FROM pki_certificate")}
        assert serials == {world["lisi"][0].serial, world["wangwu"][0].serial}
        storage = EncryptedFileSystemStorage(location=str(restored / "media"))
        with storage.open(app.id_proof.name) as handle:
            assert handle.read() == PNG  # still encrypted on disk, readable with the key
        assert b"ID-SCAN" not in (restored / "media" / app.id_proof.name).read_bytes()
        with storage.open(world["attachment"].file.name) as handle:
            assert handle.read() == b"%PDF-1.4 the reply"
        assert any((restored / "private").iterdir())  # the CA key came back
        assert (restored / "public" / "crl.pem").is_file()
    finally:
        drop()


def test_it_refuses_a_damaged_archive_and_a_non_empty_target(
    world: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="不为空"):  # the live database is not empty
        call_command("restore", str(archive), stdout=io.StringIO())
    # change one file inside the archive, keep the manifest
    src = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(src, filter="data")
    victim = next(p for p in (src / "gongkai-backup" / "media").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        tar.add(src / "gongkai-backup", arcname="gongkai-backup")
    with pytest.raises(BackupError, match="校验和不符|清单不符"):
        backup_restore(archive=str(damaged), media_root=str(tmp_path / "new-media"))
