from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志的哈希链，报告第一处断裂（被修改、删除或插入的记录）。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"审计日志校验失败：第一处断裂在 #{result.broken_id}。{result.reason}（此前 {result.checked} 条完好）"
            )
        from gongkai.audit.models import AuditHead

        head = AuditHead.objects.filter(pk=1).first()
        self.stdout.write(
            f"审计日志完好：共 {result.checked} 条，链头哈希 {head.last_hash if head else '-'}"
        )
