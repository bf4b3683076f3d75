"""Backup and restore of one installation (SPEC C11): database, media files, CA directory.

``manage.py backup --output FILE.tar.gz`` writes one archive (0600):

* ``db.dump`` — PostgreSQL, ``pg_dump --format=custom`` (the engine's own tool, consistent
  snapshot while the site runs), or ``db.sqlite3`` — SQLite, the online backup API;
* ``media/`` — ``MEDIA_ROOT`` as it is on disk (personal files stay encrypted);
* ``pki/private/`` and ``pki/public/`` — ``PKI_CA_DIR`` (the CA key, encrypted with its
  passphrase) and ``PKI_PUBLISH_DIR``;
* ``manifest.json`` — engine, time, the row count of every table, the audit chain head,
  and the SHA-256 and size of every other file in the archive.

``DATABASE_URL=<new empty database> manage.py restore FILE.tar.gz [--media-root DIR]
[--ca-dir DIR] [--publish-dir DIR]`` checks every checksum first (a damaged archive restores nothing),
restores into an *empty* database and empty directories only (it never overwrites), then
checks that every table has the manifest's row count and that the audit chain is intact with
the manifest's head. The keys (``SECRET_KEY``, ``FIELD_ENCRYPTION_KEY``, ``AUDIT_HMAC_KEY``,
the CA passphrase) are not in the archive: keep them separately, the restored data needs them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A refused backup or restore; the message is Chinese."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: Any) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}，请安装 postgresql-client（与服务器同一主版本）。")
    return path


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{os.path.basename(cmd[0])} 失败：{result.stderr.strip()[:2000]}")


def table_counts(alias: str = "default") -> dict[str, int]:
    """Rows per concrete, managed model table on ``alias``."""
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped:
            continue
        counts[meta.db_table] = model._default_manager.using(alias).count()
    return counts


def _copy_tree(src: str, dst: Path) -> None:
    if src and os.path.isdir(src):
        shutil.copytree(src, dst, symlinks=False)
    else:
        dst.mkdir(parents=True)


def backup_create(*, output: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Write the archive ``output``; returns its manifest (see the module docstring)."""
    from gongkai.audit.services import audit_head

    db = settings.DATABASES["default"]
    connection = connections["default"]
    with tempfile.TemporaryDirectory(prefix="gk-backup-") as tmp_name:
        tmp = Path(tmp_name)
        if connection.vendor == "postgresql":
            dump = tmp / "db.dump"
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(dump), db["NAME"]],
                _pg_env(db),
            )
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(tmp / "db.sqlite3")
            try:
                connection.connection.backup(target)  # the online backup API
            finally:
                target.close()
        else:  # pragma: no cover - settings allow only the two
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        _copy_tree(str(settings.MEDIA_ROOT), tmp / "media")
        _copy_tree(str(getattr(settings, "PKI_CA_DIR", "")), tmp / "pki" / "private")
        _copy_tree(str(getattr(settings, "PKI_PUBLISH_DIR", "")), tmp / "pki" / "public")
        last_id, last_hash = audit_head()
        files = {
            str(p.relative_to(tmp)): {"sha256": _sha256(p), "size": p.stat().st_size}
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        manifest = {
            "format": FORMAT,
            "created_at": (now or timezone.now()).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "tables": table_counts(),
            "audit_head": {"last_id": last_id, "last_hash": last_hash},
            "files": files,
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        out = Path(output)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as tar:
            tar.add(tmp, arcname="gongkai-backup")
    return manifest


# --- restore ---------------------------------------------------------------------------


def _extract(archive: str, into: Path) -> Path:
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, links out, devices
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    root = into / "gongkai-backup"
    if not (root / "manifest.json").is_file():
        raise BackupError("备份文件中没有 manifest.json，不是本平台的备份。")
    return root


def _check(root: Path) -> dict[str, Any]:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError("备份格式版本不符。")
    listed = set(manifest["files"])
    present = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} - {"manifest.json"}
    if listed != present:
        extra = sorted(present - listed)[:3]
        missing = sorted(listed - present)[:3]
        raise BackupError(f"备份内容与清单不符：多出 {extra}，缺少 {missing}。")
    for name, meta in manifest["files"].items():
        if _sha256(root / name) != meta["sha256"]:
            raise BackupError(f"校验和不符：{name}（备份文件已损坏或被改动）。")
    return manifest


def _empty_dir(path: str) -> None:
    if os.path.isdir(path) and any(os.scandir(path)):
        raise BackupError(f"目标目录 {path} 不为空；恢复只写入空目录。")


def _restore_tree(src: Path, dst: str) -> None:
    if not dst:
        return
    _empty_dir(dst)
    os.makedirs(dst, exist_ok=True)
    for item in src.rglob("*"):
        target = Path(dst) / item.relative_to(src)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, target)
            os.chmod(target, 0o600)


def backup_restore(
    *,
    archive: str,
    media_root: str | None = None,
    ca_dir: str | None = None,
    publish_dir: str | None = None,
) -> dict[str, Any]:
    """Restore ``archive`` (see the module docstring); returns the verified manifest."""
    alias = "default"
    media_root = str(settings.MEDIA_ROOT) if media_root is None else media_root
    ca_dir = str(getattr(settings, "PKI_CA_DIR", "")) if ca_dir is None else ca_dir
    publish_dir = (
        str(getattr(settings, "PKI_PUBLISH_DIR", "")) if publish_dir is None else publish_dir
    )
    with tempfile.TemporaryDirectory(prefix="gk-restore-") as tmp_name:
        root = _extract(archive, Path(tmp_name))
        manifest = _check(root)
        connection = connections[alias]
        if connection.vendor != manifest["engine"]:
            raise BackupError(
                f"备份来自 {manifest['engine']}，目标数据库是 {connection.vendor}；请用同一种数据库恢复。"
            )
        if connection.introspection.table_names():
            raise BackupError("目标数据库不为空；请恢复到新建的空数据库。")
        for path in (media_root, ca_dir, publish_dir):
            if path:
                _empty_dir(path)
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            connection.close()
            _run(
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    "-d",
                    db["NAME"],
                    str(root / "db.dump"),
                ],
                _pg_env(db),
            )
        else:
            source = sqlite3.connect(root / "db.sqlite3")
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        _restore_tree(root / "media", media_root)
        _restore_tree(root / "pki" / "private", ca_dir)
        _restore_tree(root / "pki" / "public", publish_dir)
        verify_restored(manifest, alias=alias)
    return manifest


def verify_restored(manifest: dict[str, Any], *, alias: str = "default") -> None:
    """Every table has the manifest's row count; the audit chain verifies to its head."""
    from gongkai.audit.models import AuditEntry, AuditHead
    from gongkai.audit.services import GENESIS, compute_hash

    counts = table_counts(alias)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"恢复后的行数与备份清单不符：{dict(list(wrong.items())[:5])}")
    prev, expected = GENESIS, 1
    for entry in AuditEntry.objects.using(alias).order_by("id").iterator(chunk_size=2000):
        if entry.id != expected or entry.prev_hash != prev:
            raise BackupError(f"恢复后的审计日志在 #{entry.id} 断裂。")
        if compute_hash(entry, prev) != entry.entry_hash:
            raise BackupError(f"恢复后的审计日志 #{entry.id} 与哈希不符。")
        prev, expected = entry.entry_hash, expected + 1
    head = AuditHead.objects.using(alias).filter(pk=1).first()
    want = manifest["audit_head"]
    got = (head.last_id, head.last_hash) if head else (0, GENESIS)
    if got != (want["last_id"], want["last_hash"]) or prev != want["last_hash"]:
        raise BackupError("恢复后的审计日志链头与备份清单不符。")
