"""The development mail backend: one readable line per message, the message kept as a file."""

from __future__ import annotations

import tempfile
from email import message_from_bytes, policy
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.test import SimpleTestCase

from gongkai.lib.mailbackend import OneLineEmailBackend


class OneLineEmailBackendTest(SimpleTestCase):
    def test_it_prints_one_line_per_mail_and_saves_the_message(self) -> None:
        stream = StringIO()
        with tempfile.TemporaryDirectory() as tmp:
            backend = OneLineEmailBackend(file_path=tmp, stream=stream)
            body = "申请编号：TH-MZJ-2012-00001；查询码：ABCD-1234"
            sent = backend.send_messages(
                [
                    EmailMessage(
                        "【政府信息公开】您的申请已登记", body, to=["zhangsan@example.com"]
                    ),
                    EmailMessage("【政府信息公开】您的申请已答复", body, to=["lisi@example.com"]),
                ]
            )
            self.assertEqual(sent, 2)
            lines = stream.getvalue().splitlines()
            self.assertEqual(len(lines), 2)
            self.assertIn("zhangsan@example.com", lines[0])
            self.assertIn(
                "主题：【政府信息公开】您的申请已登记", lines[0]
            )  # decoded, not =?utf-8?b?
            self.assertNotIn("ABCD-1234", stream.getvalue())  # bodies stay out of the log
            files = sorted(Path(tmp).glob("*.eml"))
            self.assertEqual(len(files), 2)
            saved = message_from_bytes(files[0].read_bytes(), policy=policy.default)
            self.assertEqual(saved["Subject"].strip(), "【政府信息公开】您的申请已登记")
            self.assertIn("ABCD-1234", saved.get_content())

    def test_it_is_the_backend_without_smtp(self) -> None:
        # settings.py chooses it when EMAIL_HOST is empty (the test settings use locmem)
        source = (Path(settings.BASE_DIR) / "gongkai" / "settings.py").read_text(encoding="utf-8")
        self.assertIn('else "gongkai.lib.mailbackend.OneLineEmailBackend"', source)
