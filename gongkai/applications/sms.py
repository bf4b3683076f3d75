"""SMS behind an adapter; off by default (settings.SMS_ENABLED).

``settings.SMS_BACKEND`` names a class with ``send(to, text)``; the default backend
refuses, so enabling SMS without configuring a gateway fails loudly in the outbox
(``last_error``) instead of pretending to send.
"""

from __future__ import annotations

import abc

from django.conf import settings
from django.utils.module_loading import import_string


class SmsBackend(abc.ABC):
    """The adapter a gateway implements: deliver ``text`` to the mobile number ``to``."""

    @abc.abstractmethod
    def send(self, to: str, text: str) -> None: ...


class DisabledSmsBackend(SmsBackend):
    def send(self, to: str, text: str) -> None:
        raise RuntimeError("短信网关未配置（SMS_BACKEND），短信未发送。")


class MemorySmsBackend(SmsBackend):
    """For tests: keeps the messages in ``outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        self.outbox.append((to, text))


def get_backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", "gongkai.applications.sms.DisabledSmsBackend")
    return import_string(path)()
