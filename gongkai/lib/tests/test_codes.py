from hypothesis import given
from hypothesis import strategies as st

from gongkai.lib import codes


class TestUscc:
    def test_it_accepts_real_codes(self) -> None:
        # 宁国市商务局 and a 济宁市 agency, from 索引号 seen on their sites (regulation.md §4.2)
        assert codes.uscc_valid("11341702486344515H")
        assert codes.uscc_valid("11370800004312466C")

    def test_it_rejects_a_wrong_check_character(self) -> None:
        assert codes.uscc_error("11341702486344515J") == "统一社会信用代码校验位错误。"

    def test_it_rejects_bad_length_and_letters(self) -> None:
        assert "18位" in (codes.uscc_error("1134170248634451") or "")
        assert "不允许的字符" in (codes.uscc_error("11341702486344515I") or "")

    @given(
        st.text(alphabet="0123456789", min_size=8, max_size=8), st.sampled_from(["11", "12", "91"])
    )
    def test_it_round_trips_generated_codes(self, body: str, prefix: str) -> None:
        org = body + codes.org_code_check_char(body)
        code17 = prefix + "220500" + org
        assert codes.uscc_valid(code17 + codes.uscc_check_char(code17))


class TestOrgCode:
    def test_it_accepts_the_state_council_office_code(self) -> None:
        assert codes.org_code_valid("000014349")
        assert codes.org_code_valid("00001434-9")

    def test_it_rejects_a_wrong_check_digit(self) -> None:
        assert codes.org_code_error("000014348") == "组织机构代码校验码错误。"


class TestIdNumber:
    def test_it_accepts_the_standard_example(self) -> None:
        assert codes.id_number_valid("11010519491231002X")

    def test_it_rejects_wrong_check_and_dates(self) -> None:
        assert codes.id_number_error("110105194912310021") == "居民身份证号码校验位错误。"
        assert "出生日期" in (codes.id_number_error("110105194913310028") or "")
        assert "18位" in (codes.id_number_error("12345") or "")


class TestLuhnAndMask:
    def test_it_checks_luhn(self) -> None:
        assert codes.luhn_valid("79927398713")
        assert not codes.luhn_valid("79927398710")

    def test_it_masks_the_middle(self) -> None:
        assert codes.mask("11010519491231002X") == "110***********002X"
        assert codes.mask("13912345678") == "139****5678"
