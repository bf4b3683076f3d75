"""Demo remedies: a few recent cases and complaints of 通化市民政局 (the 2012 review case of the
seed is created by ``gongkai.reports.demo`` in full mode). Idempotent (keyed by case number/subject)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.remedies.models import Complaint, RemedyCase


def load(*, full: bool = False, out: Any = None) -> dict:
    mzj = Agency.objects.filter(code="th-mzj").first()
    if mzj is None:
        return {}
    # the most recent year whose demo dates (the latest is 8 June) are already past: in the
    # first half of a year the cases are last year's, never dated in the future
    today = timezone.localdate()
    year = today.year if today > dt.date(today.year, 6, 8) else today.year - 1
    cases = [
        (f"通政复〔{year}〕3号", "review", dt.date(year, 3, 2), "upheld", dt.date(year, 4, 20)),
        (f"通政复〔{year}〕9号", "review", dt.date(year, 6, 8), "pending", None),
        (f"（{year}）吉0502行初12号", "direct", dt.date(year, 5, 18), "pending", None),
    ]
    for number, kind, filed, outcome, concluded in cases:
        RemedyCase.objects.get_or_create(
            agency=mzj, case_number=number,
            defaults={"kind": kind, "filed_on": filed, "outcome": outcome, "concluded_on": concluded,
                      "applicant_name": "（演示）申请人", "summary": "申请人对答复不服。"},
        )  # fmt: skip
    Complaint.objects.get_or_create(
        agency=mzj, subject="申请答复超过法定期限",
        defaults={"kind": "complaint", "article": "51", "received_on": dt.date(year, 4, 2),
                  "complainant": "（演示）投诉人", "handling": "转民政局核查，督促答复。",
                  "result": "已督促民政局答复并向投诉人反馈。", "status": "closed",
                  "closed_on": dt.date(year, 4, 15)},
    )  # fmt: skip
    return {"cases": RemedyCase.objects.count(), "complaints": Complaint.objects.count()}
