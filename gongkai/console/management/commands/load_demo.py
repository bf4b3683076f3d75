from __future__ import annotations

import importlib
import importlib.util
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.services import audit_log

# Order matters: later parts use the organisations, users and calendar of earlier ones.
DEMO_MODULES = [
    "gongkai.agencies.demo",
    "gongkai.accounts.demo",
    "gongkai.workdays.demo",
    "gongkai.publishing.demo",
    "gongkai.search.demo",
    "gongkai.applications.demo",
    "gongkai.remedies.demo",
    "gongkai.outreach.demo",
    "gongkai.interaction.demo",
    "gongkai.pki.demo",
    "gongkai.reports.demo",
    "gongkai.assessment.demo",  # last: scores the 2012 demo data of every module above
]


class Command(BaseCommand):
    help = "载入通化市演示数据（机构、各角色演示用户及各模块样例）；可重复运行。--full 载入2012年全年规模数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="载入2012年全年规模的数据（较慢）")
        parser.add_argument("--quiet", action="store_true", help="不打印演示账号")

    def handle(self, *args: Any, **options: Any) -> None:
        full = options["full"]
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            started = time.monotonic()
            module = importlib.import_module(name)
            result = module.load(full=full, out=self.stdout)
            self.stdout.write(
                f"{name.split('.')[1]:<14} {result}  ({time.monotonic() - started:.1f}s)"
            )
        audit_log("console.demo.loaded", message="载入演示数据" + ("（完整）" if full else ""))
        if not options["quiet"]:
            from gongkai.accounts.demo import DEMO_PASSWORD, DEMO_USERS

            self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
            for username, name, _admin, _m, note in DEMO_USERS:
                self.stdout.write(f"  {username:<10} {name:<6} {note}")
