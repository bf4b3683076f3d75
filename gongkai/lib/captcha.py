"""A self-hosted captcha: a small arithmetic question drawn as an image, no external service.

Usage in any public form::

    from gongkai.lib.captcha import CaptchaFormMixin

    class MessageForm(CaptchaFormMixin, forms.Form):   # adds the field "captcha"
        ...

or declare ``captcha = CaptchaField()`` yourself. Render it like any field (label, widget,
errors); the widget draws the image ``/captcha/<token>.png``, a hidden token input, the
answer box, and a text version of the question under "看不清图片？" for screen readers and
people who cannot read the image (no audio needed; axe passes).

In tests, read the answer out of the token (only code holding ``SECRET_KEY`` can)::

    from gongkai.lib import captcha

    data = {**form_data, **captcha.solved_data()}       # a fresh, solved challenge
    answer = captcha.solve(token)                        # e.g. from a rendered page / browser

How it works:

1. ``new_challenge()`` picks ``a ± b`` or ``a × b`` with a small answer, and encrypts
   ``{answer, question, nonce}`` with Fernet under a key derived from ``SECRET_KEY``
   (stateless: nothing is stored at issue time; the token is opaque to the client).
2. ``verify(token, answer)`` checks the Fernet timestamp against ``CAPTCHA_TTL`` (600 s),
   compares the answer, and marks the nonce used in the shared rate-limit store
   (``gongkai.lib.ratelimit``, database or Redis), so a solved token works once, in every
   worker process. A wrong answer also burns the token: one guess per challenge.
3. The image view renders the question with Pillow when it is installed, else as SVG text.

A captcha only slows automated submission; the rate limits next to it are what bound the
damage (``docs/security.md``).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import random
import secrets
import time
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from gongkai.lib import ratelimit

DEFAULT_TTL = 600
USED_SCOPE = "captcha.used"
_DIGITS = "零一二三四五六七八九"
_OPS = {"+": "加", "-": "减", "×": "乘以"}
_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


class CaptchaError(ValueError):
    """A refused captcha answer; the message is Chinese and shown under the field."""


def _ttl() -> int:
    return int(getattr(settings, "CAPTCHA_TTL", DEFAULT_TTL))


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gongkai", info=b"captcha").derive(
        settings.SECRET_KEY.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals (七, 十二, 二十, 九十九)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def new_challenge(*, now: dt.datetime | None = None) -> str:
    """A fresh encrypted challenge token (see the module docstring)."""
    rng = random.SystemRandom()
    op = rng.choice(list(_OPS))
    if op == "×":
        a, b = rng.randint(2, 9), rng.randint(2, 9)
        answer = a * b
    elif op == "-":
        a = rng.randint(10, 30)
        b = rng.randint(1, a - 1)
        answer = a - b
    else:
        a, b = rng.randint(1, 30), rng.randint(1, 20)
        answer = a + b
    payload = json.dumps({"q": [a, op, b], "a": answer, "n": secrets.token_hex(8)})
    at = int(now.timestamp() if now else time.time())
    return _fernet().encrypt_at_time(payload.encode("ascii"), at).decode("ascii")


def _open(token: str, *, now: dt.datetime | None = None, check_ttl: bool = True) -> dict[str, Any]:
    at = int(now.timestamp() if now else time.time())
    try:
        if check_ttl:
            raw = _fernet().decrypt_at_time(str(token).encode("ascii"), _ttl(), at)
        else:
            raw = _fernet().decrypt(str(token).encode("ascii"))
    except (InvalidToken, UnicodeEncodeError, ValueError, TypeError) as exc:
        raise CaptchaError("验证码已过期，请按新的题目重新填写。") from exc
    data = json.loads(raw)
    if not isinstance(data, dict) or "a" not in data or "q" not in data:
        raise CaptchaError("验证码已过期，请按新的题目重新填写。")
    return data


def question_text(token: str) -> str:
    """The question in words, e.g. ``七加三等于多少？`` (the accessible alternative)."""
    a, op, b = _open(token, check_ttl=False)["q"]
    return f"{chinese_number(a)}{_OPS[op]}{chinese_number(b)}等于多少？"


def verify(token: str, answer: str, *, now: dt.datetime | None = None) -> None:
    """Accept ``answer`` to ``token`` once; raise ``CaptchaError`` (Chinese) otherwise."""
    data = _open(token, now=now)
    first_use = ratelimit.hit(USED_SCOPE, str(data["n"]), window=_ttl() + 60, now=now) == 1
    if not first_use:
        raise CaptchaError("该验证码已使用过，请按新的题目重新填写。")
    given = str(answer or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not given.isdigit() or int(given) != int(data["a"]):
        raise CaptchaError("验证码答案不正确，请按新的题目重新填写。")


# --- test helpers ----------------------------------------------------------------------


def solve(token: str) -> str:
    """The expected answer of ``token`` (tests and the browser tests use this)."""
    return str(_open(token, check_ttl=False)["a"])


def solved_data(name: str = "captcha", *, now: dt.datetime | None = None) -> dict[str, str]:
    """POST fields of a fresh, correctly answered challenge for the field ``name``."""
    token = new_challenge(now=now)
    return {f"{name}_token": token, name: solve(token)}


# --- form field ------------------------------------------------------------------------


class CaptchaWidget(forms.Widget):
    """Image + text alternative + hidden token + answer box; a new challenge per render."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (str(data.get(f"{name}_token", ""))[:400], str(data.get(name, ""))[:20])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        token = new_challenge()
        attrs = {**self.attrs, **(attrs or {})}
        input_id = attrs.get("id") or f"id_{name}"
        image = reverse("captcha_image", kwargs={"token": token})
        return format_html(
            '<span class="captcha">'
            '<img src="{}" width="200" height="50" alt="验证码图片：一道算术题，请把得数填在右侧框内">'
            '<input type="hidden" name="{}_token" value="{}">'
            '<input type="text" name="{}" id="{}" inputmode="numeric" autocomplete="off" '
            'maxlength="4" size="6" required aria-describedby="{}_alt">'
            '<details id="{}_alt"><summary>看不清图片？</summary>'
            "<span>文字题目：{}请用阿拉伯数字填写得数。</span></details>"
            "</span>",
            image,
            name,
            token,
            name,
            input_id,
            input_id,
            input_id,
            question_text(token),
        )


class CaptchaField(forms.Field):
    widget = CaptchaWidget
    default_error_messages = {"required": "请填写验证码（算术题的得数）。"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "验证码")
        kwargs.setdefault("help_text", "请计算图中算式，填写得数。每道题只能作答一次。")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        token, answer = value if isinstance(value, tuple | list) else ("", "")
        if not str(answer).strip():
            raise forms.ValidationError(self.error_messages["required"], code="required")
        try:
            verify(token, answer)
        except CaptchaError as exc:
            raise forms.ValidationError(str(exc), code="captcha") from exc
        return ""


class CaptchaFormMixin:
    """Adds ``captcha = CaptchaField()`` as the last field of a form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["captcha"] = CaptchaField()  # type: ignore[attr-defined]


# --- the image -------------------------------------------------------------------------


def _png(text: str) -> bytes | None:
    try:
        from PIL import Image, ImageDraw, ImageFilter, ImageFont
    except ImportError:
        return None
    rng = random.SystemRandom()
    width, height = 200, 50
    image = Image.new("RGB", (width, height), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    font: Any = None
    for path in _FONT_PATHS:
        try:
            font = ImageFont.truetype(path, 28)
            break
        except OSError:
            continue
    if font is None:
        font = ImageFont.load_default()
    for _ in range(6):  # strike-through lines
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)) for _ in range(2)],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=1,
        )
    x = 8
    for char in text:
        layer = Image.new("RGBA", (34, 44), (0, 0, 0, 0))
        ImageDraw.Draw(layer).text((4, 4), char, font=font, fill=(30, 40, 90, 255))
        layer = layer.rotate(rng.uniform(-22, 22), resample=Image.Resampling.BICUBIC)
        image.paste(layer, (x, rng.randint(0, 8)), layer)
        x += 20 if char != " " else 6
    for _ in range(160):  # speckle
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)), fill=(90, 90, 90))
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _svg(text: str) -> bytes:
    rng = random.SystemRandom()
    glyphs = "".join(
        f'<text x="{10 + i * 22}" y="{34 + rng.randint(-5, 5)}" '
        f'transform="rotate({rng.randint(-20, 20)} {20 + i * 22} 30)">{c}</text>'
        for i, c in enumerate(text)
    )
    lines = "".join(
        f'<line x1="{rng.randint(0, 160)}" y1="{rng.randint(0, 50)}" '
        f'x2="{rng.randint(0, 160)}" y2="{rng.randint(0, 50)}" stroke="#999"/>'
        for _ in range(5)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" viewBox="0 0 200 50">'
        '<rect width="200" height="50" fill="#fafaf6"/>'
        f'<g font-family="sans-serif" font-size="26" fill="#1e285a">{glyphs}</g>{lines}</svg>'
    ).encode()


@require_GET
def image(request: HttpRequest, token: str) -> HttpResponse:
    """``/captcha/<token>.png``: the question as an image (PNG with Pillow, else SVG)."""
    try:
        a, op, b = _open(token)["q"]
    except CaptchaError as exc:
        raise Http404("验证码已过期。") from exc
    text = f"{a} {op} {b} = ?"
    png = _png(text)
    response = (
        HttpResponse(png, content_type="image/png")
        if png is not None
        else HttpResponse(_svg(text), content_type="image/svg+xml")
    )
    response["Cache-Control"] = "no-store"
    return response
