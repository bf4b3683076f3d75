"""Applicants' e-mail bodies never reach the server log (issue 13)."""

from __future__ import annotations

import io
import tempfile

from django.core.mail import EmailMessage
from django.test import SimpleTestCase

from gongkai.lib.mailbackend import OneLineEmailBackend


class MailLogTests(SimpleTestCase):
    def test_it_logs_one_line_without_the_body(self) -> None:
        stream = io.StringIO()
        backend = OneLineEmailBackend(file_path=tempfile.mkdtemp(), stream=stream)
        body = "张三，您的申请已受理。通信地址：通化市东昌区新华大街1号，电话13812345678。"
        backend.send_messages([EmailMessage("申请已受理", body, to=["zhangsan@example.com"])])
        logged = stream.getvalue()
        self.assertIn("申请已受理", logged)
        self.assertNotIn("新华大街", logged)
        self.assertNotIn("13812345678", logged)
        self.assertEqual(logged.count("\n"), 1)

    def test_it_is_the_default_without_smtp(self) -> None:
        from gongkai import settings as base

        if not base.EMAIL_HOST:
            self.assertEqual(base.EMAIL_BACKEND, "gongkai.lib.mailbackend.OneLineEmailBackend")
