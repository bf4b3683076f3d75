"""Seeding the calendar from the ``chinese_calendar`` package's tables (2004–2026).

Used by the data migration, by ``demo.load`` and by tests that flush the database
(``TransactionTestCase``). Model classes are parameters so the migration can pass its
historical models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SEED_FIRST_YEAR = 2004
SEED_LAST_YEAR = 2026

# Notices we could identify beyond their title (reference/regulation.md §6.1: the 2022
# number; the 2026 notice's gov.cn address and date); every other year records the
# notice by its title. The 2026 document number is not recorded: it was not verified.
KNOWN_NOTICES: dict[int, tuple[str, str]] = {
    2022: ("国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）", ""),
    2026: (
        "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
    ),
}

# chinese_calendar's English names → the Chinese names used in the notices.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def notice_for(year: int) -> tuple[str, str]:
    return KNOWN_NOTICES.get(year, (f"国务院办公厅关于{year}年部分节假日安排的通知", ""))


def notice_year(day: dt.date, name: str) -> int:
    """The year whose notice arranged ``day``: a late-December 元旦 make-up day (e.g.
    2011-12-31) belongs to the next year's notice."""
    if day.month == 12 and name == "New Year's Day":
        return day.year + 1
    return day.year


def seed_rows() -> list[dict[str, Any]]:
    """Every exception day of 2004–2026 as dicts (date, kind, name, notice, notice_url)."""
    from chinese_calendar import constants

    rows = []
    for table, kind in ((constants.holidays, "rest"), (constants.workdays, "work")):
        for day, english in table.items():
            if not SEED_FIRST_YEAR <= day.year <= SEED_LAST_YEAR:
                continue
            notice, url = notice_for(notice_year(day, english))
            rows.append(
                {
                    "date": day,
                    "kind": kind,
                    "name": HOLIDAY_NAMES.get(english, english),
                    "notice": notice,
                    "notice_url": url,
                }
            )
    rows.sort(key=lambda r: r["date"])
    return rows


def seed(year_model: Any, day_model: Any, version_model: Any) -> int:
    """Insert the missing seed rows (idempotent); returns how many days were added."""
    have_years = set(year_model.objects.values_list("year", flat=True))
    for year in range(SEED_FIRST_YEAR, SEED_LAST_YEAR + 1):
        if year not in have_years:
            notice, url = notice_for(year)
            year_model.objects.create(year=year, notice=notice, notice_url=url)
    have_days = set(day_model.objects.values_list("date", flat=True))
    new = [day_model(**row) for row in seed_rows() if row["date"] not in have_days]
    day_model.objects.bulk_create(new)
    version, created = version_model.objects.get_or_create(pk=1)
    if not created and (new or len(have_years) < SEED_LAST_YEAR - SEED_FIRST_YEAR + 1):
        version.version += 1
        version.save(update_fields=["version", "changed_at"])
    return len(new)


def ensure_seeded() -> int:
    """Seed with the live models and drop this process's index (for tests and demo)."""
    from gongkai.workdays import calendar
    from gongkai.workdays.models import CalendarVersion, CalendarYear, ExceptionDay

    added = seed(CalendarYear, ExceptionDay, CalendarVersion)
    calendar.invalidate()
    return added
