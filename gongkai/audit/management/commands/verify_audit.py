from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.services import audit_check_anchor, audit_head, audit_read_anchor, audit_verify


class Command(BaseCommand):
    help = (
        "校验审计日志的哈希链，报告第一处断裂（被修改、删除或插入的记录）；"
        "--expect-head / --anchor-file 还核对此前保存在数据库之外的链头（发现截断与重算）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="[ID:]HASH",
            help="此前记录的链头哈希（可带编号，如 1234:ab12…），它必须仍在链中",
        )
        parser.add_argument(
            "--anchor-file", metavar="PATH", help="audit_anchor 写出的文件；核对其中最新的链头"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"审计日志校验失败：第一处断裂在 #{result.broken_id}。{result.reason}（此前 {result.checked} 条完好）"
            )
        anchors: list[tuple[int | None, str]] = []
        if options.get("expect_head"):
            raw = str(options["expect_head"]).strip()
            head_id, _, head_hash = raw.rpartition(":")
            if head_id and not head_id.isdigit():
                raise CommandError("--expect-head 的格式应为 HASH 或 编号:HASH。")
            anchors.append((int(head_id) if head_id else None, head_hash))
        if options.get("anchor_file"):
            try:
                anchors.append(audit_read_anchor(options["anchor_file"]))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"无法读取锚定文件：{exc}") from exc
        for expect_id, expect_hash in anchors:
            anchored = audit_check_anchor(expect_hash=expect_hash, expect_id=expect_id)
            if not anchored.ok:
                raise CommandError(f"审计日志校验失败：{anchored.reason}")
        last_id, last_hash = audit_head()
        self.stdout.write(
            f"审计日志完好：共 {result.checked} 条，链头 #{last_id} 哈希 {last_hash}"
            + ("；与锚定的链头一致" if anchors else "")
        )
