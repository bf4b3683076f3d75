"""Create the platform's certificate authority (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.pki import services


class Command(BaseCommand):
    help = "创建平台证书颁发机构（CA）：私钥以口令加密存放在 PKI_CA_DIR，口令来自 PKI_CA_KEY_PASSPHRASE(_FILE)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default="", help="CA 名称（CN）")
        parser.add_argument("--algorithm", choices=["ecdsa-p256", "rsa-2048"], default=None)
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ca = services.ca_create(
                name=options["name"], algorithm=options["algorithm"], days=options["days"]
            )
        except services.PkiError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已创建 CA：{ca.subject_dn}\nSHA-256 指纹：{ca.fingerprint_sha256}")
        self.stdout.write(f"私钥文件：{ca.key_file}")
