"""Reports, remedies and outreach pages in a real browser: accessibility and screenshots."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Region
from gongkai.lib.testing import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_head(db):  # type: ignore[no-untyped-def]
    from gongkai.outreach.models import ReadingPoint
    from gongkai.remedies.models import RemedyCase
    from gongkai.reports.services import report_create, report_publish
    from gongkai.reports.tests.helpers import make_application, make_item

    region = Region.objects.create(code="220500", name="通化市", level="city")
    agency = Agency.objects.create(
        code="th-mzj", name="通化市民政局", region=region, level="city",
        org_code=demo_org_code("th-mzj"), uscc=demo_uscc("th-mzj", "220500"),
    )  # fmt: skip
    user = User.objects.create_user(username="wushi", password="Test@Passw0rd", display_name="吴十")
    Membership.objects.create(user=user, agency=agency, role=Role.OFFICE_HEAD)
    for i in range(12):
        make_item(
            agency, dt.date(2025, 1 + i, 10), content_class=["policy", "other", "plan"][i % 3]
        )
        make_application(agency, dt.date(2025, 1 + i, 3), outcome=["disclose", "partial", "withhold_secret"][i % 3],
                         closed_on=dt.date(2025, 1 + i, 20), applicant_type=["natural", "business"][i % 2])  # fmt: skip
    RemedyCase.objects.create(
        agency=agency,
        kind="review",
        filed_on=dt.date(2025, 5, 1),
        outcome="upheld",
        concluded_on=dt.date(2025, 6, 1),
    )
    ReadingPoint.objects.create(
        agency=agency, name="市档案馆查阅点", kind="archive", address="新华大街1号", electronic=True
    )
    report = report_create(by=user, year=2025, agency=agency)
    report_publish(report=report, by=user)
    report_create(by=user, year=2025, agency=agency, style="2012")
    return user


def _login(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "wushi")
    page.fill("#id_password", "Test@Passw0rd")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")


def test_it_shows_reports_in_the_console_and_on_the_portal(page, office_head) -> None:  # type: ignore[no-untyped-def]
    from gongkai.reports.models import AnnualReport

    _login(page)
    page.goto(page.base_url + "/console/reports/")
    assert_accessible(page)
    screenshot(page, "reports-list")
    draft = AnnualReport.objects.get(style="2012")
    page.goto(page.base_url + f"/console/reports/{draft.pk}/")
    assert "勾稽检查通过" in page.content()
    screenshot(page, "reports-draft-2012")
    published = AnnualReport.objects.get(style="2021")
    page.goto(page.base_url + f"/ndbg/{published.pk}/")
    assert page.locator("svg.report-chart").count() == 3
    assert_accessible(page)
    screenshot(page, "reports-portal-2021")
    page.goto(page.base_url + "/ndbg/")
    assert_accessible(page)


def test_it_shows_remedies_and_outreach_pages(page, office_head) -> None:  # type: ignore[no-untyped-def]
    _login(page)
    for url, name in [
        ("/console/remedies/cases/", "remedies-cases"),
        ("/console/remedies/cases/new/", "remedies-case-form"),
        ("/console/outreach/points/", "outreach-points"),
        ("/console/outreach/activities/import/", "outreach-import"),
    ]:
        page.goto(page.base_url + url)
        assert_accessible(page)
        screenshot(page, name)
    page.goto(page.base_url + "/cyd/")
    assert "市档案馆查阅点" in page.content()
    assert_accessible(page)
    screenshot(page, "outreach-portal")
