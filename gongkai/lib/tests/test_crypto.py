from django.test import SimpleTestCase, override_settings

from gongkai.lib import crypto


class CryptoTestCase(SimpleTestCase):
    def test_it_round_trips(self) -> None:
        token = crypto.encrypt("11010519491231002X")
        self.assertNotIn("1101051949", token)
        self.assertEqual(crypto.decrypt(token), "11010519491231002X")

    def test_it_refuses_a_foreign_key(self) -> None:
        token = crypto.encrypt("13912345678")
        with (
            override_settings(FIELD_ENCRYPTION_KEY="another-key"),
            self.assertRaisesMessage(ValueError, "无法解密"),
        ):
            crypto.decrypt(token)

    def test_it_blind_indexes_normalised_values(self) -> None:
        self.assertEqual(
            crypto.blind_index("11010519491231002x "), crypto.blind_index("11010519491231002X")
        )
        self.assertNotEqual(crypto.blind_index("a"), crypto.blind_index("b"))
