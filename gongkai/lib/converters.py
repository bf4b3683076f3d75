"""Path converters for integer URL parameters, registered once (imported by ``gongkai/urls.py``).

Django's ``<int:…>`` matches any run of digits, so ``/xxgk/9223372036854775808/`` reaches the
database and fails there (``OverflowError`` on SQLite, ``DataError`` on PostgreSQL) as a 500.
Every integer parameter in the URLconf uses one of these instead; a value that cannot be a row
of a 64-bit column does not match, so the request is an ordinary 404.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A primary key or counter: 1–18 digits, always below 2⁶³ (the largest BIGINT)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class YearConverter:
    """A four-digit calendar year (1000–9999: ``datetime.date`` accepts every one of them)."""

    regex = "[1-9][0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
