"""Check characters of Chinese identification codes.

* 统一社会信用代码 (GB 32100-2015): 18 characters, the last a mod-31 check character.
* 组织机构代码 (GB 11714-1997): 8 body characters + a mod-11 check character (0-9 or X),
  written as the 8 body characters, a hyphen and the check character, or without the hyphen.
* 居民身份证号码 (GB 11643-1999): 17 digits + a mod-11 check character (0-9 or X).
* Luhn (ISO/IEC 7812) for bank card numbers.

Each ``*_valid`` function returns a bool; each ``*_error`` returns ``None`` or a Chinese
message saying what is wrong, for forms and imports.
"""

from __future__ import annotations

import datetime as dt
import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _today() -> dt.date:
    from django.utils import timezone  # Beijing's date (TIME_ZONE), not the server's

    return timezone.localdate()


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - 55  # A=10 … Z=35

    total = sum(value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def uscc_error(code: str) -> str | None:
    code = (code or "").strip().upper()
    if len(code) != 18:
        return "统一社会信用代码应为18位。"
    if any(c not in USCC_ALPHABET for c in code):
        return "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为登记管理机关行政区划码。"
    if org_code_error(code[8:17]) is not None:
        return "统一社会信用代码第9至17位（主体标识码）校验错误。"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误。"
    return None


def uscc_valid(code: str) -> bool:
    return uscc_error(code) is None


def normalize_org_code(code: str) -> str:
    return (code or "").strip().upper().replace("-", "")


def org_code_error(code: str) -> str | None:
    code = normalize_org_code(code)
    if len(code) != 9 or not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return "组织机构代码应为9位（8位本体代码加1位校验码）。"
    if org_code_check_char(code[:8]) != code[8]:
        return "组织机构代码校验码错误。"
    return None


def org_code_valid(code: str) -> bool:
    return org_code_error(code) is None


def id_number_error(number: str, *, today: dt.date | None = None) -> str | None:
    """Validate an 18-digit 居民身份证号码: format, birth date and check character."""
    number = (number or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "居民身份证号码应为18位，最后一位可以是数字或X。"
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效。"
    if born > (today or _today()) or born.year < 1890:
        return "居民身份证号码中的出生日期不合理。"
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        return "居民身份证号码校验位错误。"
    return None


def id_number_valid(number: str) -> bool:
    return id_number_error(number) is None


def id_check_char(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """Mask the middle of a personal identifier for display: 220502********1234."""
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
