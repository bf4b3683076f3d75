"""The self-hosted captcha: tokens, TTL, single use, the image, the text alternative."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.test import TestCase, override_settings
from django.utils import timezone

from gongkai.lib import captcha

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class DemoForm(captcha.CaptchaFormMixin, forms.Form):
    name = forms.CharField()


class CaptchaTests(TestCase):
    def test_it_accepts_the_right_answer_once(self) -> None:
        token = captcha.new_challenge(now=T0)
        answer = captcha.solve(token)
        captcha.verify(token, answer, now=T0 + dt.timedelta(seconds=5))
        with self.assertRaisesMessage(captcha.CaptchaError, "已使用过"):
            captcha.verify(token, answer, now=T0 + dt.timedelta(seconds=6))

    def test_it_refuses_a_wrong_answer_and_burns_the_token(self) -> None:
        token = captcha.new_challenge(now=T0)
        wrong = str(int(captcha.solve(token)) + 1)
        with self.assertRaisesMessage(captcha.CaptchaError, "答案不正确"):
            captcha.verify(token, wrong, now=T0)
        with self.assertRaisesMessage(captcha.CaptchaError, "已使用过"):
            captcha.verify(token, captcha.solve(token), now=T0)

    @override_settings(CAPTCHA_TTL=600)
    def test_it_expires_after_the_ttl(self) -> None:
        token = captcha.new_challenge(now=T0)
        with self.assertRaisesMessage(captcha.CaptchaError, "已过期"):
            captcha.verify(token, captcha.solve(token), now=T0 + dt.timedelta(seconds=601))

    def test_it_refuses_forged_and_garbage_tokens(self) -> None:
        token = captcha.new_challenge()
        forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
        for bad in (forged, "", "x" * 300, "не-ascii", "gAAAAA=="):
            with self.assertRaises(captcha.CaptchaError):
                captcha.verify(bad, "1")

    def test_it_hides_the_answer_from_the_client(self) -> None:
        token = captcha.new_challenge()
        self.assertNotIn(f'"a": {captcha.solve(token)}', token)
        self.assertTrue(token.startswith("gAAAA"))  # Fernet ciphertext, not signed plaintext

    def test_it_gives_a_chinese_text_alternative(self) -> None:
        self.assertEqual(captcha.chinese_number(7), "七")
        self.assertEqual(captcha.chinese_number(12), "十二")
        self.assertEqual(captcha.chinese_number(20), "二十")
        self.assertEqual(captcha.chinese_number(56), "五十六")
        token = captcha.new_challenge()
        self.assertRegex(captcha.question_text(token), r"^[零一二三四五六七八九十]+(加|减|乘以)")

    def test_it_serves_the_image_without_caching(self) -> None:
        token = captcha.new_challenge()
        response = self.client.get(f"/captcha/{token}.png")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(self.client.get("/captcha/garbage.png").status_code, 404)

    def test_it_falls_back_to_svg_text(self) -> None:
        svg = captcha._svg("3 + 4 = ?").decode()
        self.assertIn("<svg", svg)
        self.assertIn(">+<", svg)

    def test_the_form_field_renders_and_validates(self) -> None:
        html = DemoForm().as_div()
        self.assertIn('name="captcha_token"', html)
        self.assertIn("看不清图片", html)
        self.assertIn('alt="验证码图片', html)
        ok = DemoForm({"name": "x", **captcha.solved_data()})
        self.assertTrue(ok.is_valid(), ok.errors)
        missing = DemoForm({"name": "x"})
        self.assertFalse(missing.is_valid())
        self.assertIn("请填写验证码", str(missing.errors["captcha"]))
        data = captcha.solved_data()
        data["captcha"] = "abc"
        wrong = DemoForm({"name": "x", **data})
        self.assertFalse(wrong.is_valid())
        self.assertIn("答案不正确", str(wrong.errors["captcha"]))

    def test_it_takes_full_width_digits(self) -> None:
        token = captcha.new_challenge(now=timezone.now())
        answer = captcha.solve(token).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        captcha.verify(token, answer)
