"""Fee rules (国办函〔2020〕109号) and the ``fee`` command."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications import fees


def test_it_reproduces_the_worked_examples() -> None:
    assert fees.item_running_total(45) == Decimal(5500)
    assert fees.page_fee(150) == Decimal(1700)


@pytest.mark.parametrize(
    ("k", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)],
)
def test_it_charges_per_item_by_band(k: int, fee: int) -> None:
    assert fees.item_fee(k) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_it_charges_per_page_by_band(pages: int, fee: int) -> None:
    assert fees.page_fee(pages) == Decimal(fee)


@given(st.integers(min_value=1, max_value=500))
def test_item_fees_never_decrease_and_totals_add_up(k: int) -> None:
    assert fees.item_fee(k + 1) >= fees.item_fee(k)
    assert fees.item_running_total(k + 1) == fees.item_running_total(k) + fees.item_fee(k + 1)


@given(st.integers(min_value=0, max_value=5000))
def test_page_fees_are_progressive(pages: int) -> None:
    step = fees.page_fee(pages + 1) - fees.page_fee(pages)
    assert step == (0 if pages < 30 else 10 if pages < 100 else 20 if pages < 200 else 40)


def test_it_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        fees.item_fee(0)
    with pytest.raises(ValueError):
        fees.page_fee(-1)
    with pytest.raises(ValueError):
        fees.compute("weight", 3)


def test_the_fee_command_prints_json() -> None:
    out = StringIO()
    call_command("fee", "--method", "item", "--count", "45", stdout=out)
    assert json.loads(out.getvalue()) | {"explanation": ""} == {
        "method": "item",
        "count": 45,
        "amount_yuan": "300",
        "month_total_yuan": "5500",
        "explanation": "",
    }
    out = StringIO()
    call_command("fee", "--method", "page", "--pages", "150", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["method"], data["pages"], data["amount_yuan"]) == ("page", 150, "1700")


@pytest.mark.parametrize(
    "argv",
    [
        ["--method", "item"],
        ["--method", "item", "--count", "-3"],
        ["--method", "page", "--pages", "x"],
        ["--method", "kg"],
    ],
)
def test_the_fee_command_rejects_bad_arguments(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("fee", *argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "请" in err or "应为" in err
