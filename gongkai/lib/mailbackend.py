"""A quiet e-mail backend for installations without SMTP (``make run``, demos, tests of setup).

Django's console backend prints every message in full — with ``make run`` loading the demo
that is fifteen screens of MIME headers and base64-encoded Chinese subjects, and it puts
applicants' notification bodies into the server log. This backend instead

1. writes each message as an ``.eml`` file under ``EMAIL_FILE_PATH`` (default ``var/mail``),
   so a developer can open exactly what would have been sent, and
2. prints one line per message to stderr: time, recipients, the decoded subject and the file.

Bodies never reach the log. Configure real delivery with ``EMAIL_HOST`` (settings.py).
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class OneLineEmailBackend(BaseEmailBackend):
    """Saves each message to ``EMAIL_FILE_PATH`` and prints a single summary line."""

    _lock = threading.Lock()
    _serial = 0

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        base = file_path or getattr(settings, "EMAIL_FILE_PATH", None)
        self.directory = Path(base) if base else Path(settings.BASE_DIR) / "var" / "mail"
        self.stream = kwargs.get("stream") or sys.stderr

    def _path_for(self) -> Path:
        with self._lock:
            OneLineEmailBackend._serial += 1
            serial = OneLineEmailBackend._serial
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.directory / f"{stamp}-{serial:04d}.eml"

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            path = self._path_for()
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            recipients = "、".join(message.recipients()) or "（无收件人）"
            line = f"[邮件] → {recipients}  主题：{message.subject}  （全文：{path}）\n"
            try:
                self.stream.write(line)
                self.stream.flush()
            except (OSError, ValueError):  # a closed stream must not lose the mail
                pass
            sent += 1
        return sent
