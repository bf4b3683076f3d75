"""The clock adapter: events → engine inputs; properties over real calendars (2019–2026)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications import clock
from gongkai.applications.models import Application
from gongkai.workdays.calendar import add_workdays, workdays_between

# Received by mid-2026: a receipt, a 15-working-day offset, a 40-day wait and the 20 working
# days after it must all stay inside the calendar's last year (2026; 2027 is not entered yet).
days = st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2026, 6, 30))


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    received=days,
    wait=st.integers(min_value=0, max_value=40),
    offset=st.integers(min_value=0, max_value=15),
)
def test_a_fee_wait_moves_the_due_date_by_exactly_its_working_days(
    received: dt.date, wait: int, offset: int
) -> None:
    from gongkai.workdays import calendar
    from gongkai.workdays.seed import ensure_seeded

    ensure_seeded()
    calendar.invalidate()
    base = Application(received_on=received)
    plain = clock.compute(base, today=received)
    assert plain.final_due_on == add_workdays(received, 20)
    notified = add_workdays(received, offset) if offset else received + dt.timedelta(days=1)
    paid = notified + dt.timedelta(days=wait)
    paused = Application(received_on=received, fee_notified_on=notified, fee_paid_on=paid)
    result = clock.compute(paused, today=paid)
    if notified > plain.final_due_on:
        assert (
            result.final_due_on == plain.final_due_on
        )  # a pause after the deadline changes nothing
    else:
        skipped = workdays_between(notified - dt.timedelta(days=1), paid)
        assert result.final_due_on == add_workdays(plain.final_due_on, skipped)
        assert result.final_due_on >= plain.final_due_on


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(received=days, later=st.integers(min_value=0, max_value=30))
def test_a_correction_restarts_the_full_period(received: dt.date, later: int) -> None:
    from gongkai.workdays import calendar
    from gongkai.workdays.seed import ensure_seeded

    ensure_seeded()
    calendar.invalidate()
    restart = received + dt.timedelta(days=later)
    app = Application(
        received_on=received, correction_requested_on=received, correction_received_on=restart
    )
    assert clock.compute(app, today=restart).final_due_on == add_workdays(restart, 20)


def test_nothing_is_computed_before_receipt() -> None:
    assert clock.compute(Application(received_on=None)) is None
