"""互动交流 in a real browser: a citizen's question → routing (指导科) → answer (民政局) →
review and publication → public list, detail and statistics; a consultation with a comment,
moderation and 采纳情况; a survey answered and its chart results; an interpretation linked
from its document. Every public page is checked with axe and screenshotted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Region
from gongkai.lib import captcha
from gongkai.lib.testing import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test@Passw0rd"


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    from gongkai.workdays import calendar
    from gongkai.workdays.seed import ensure_seeded

    ensure_seeded()
    calendar.invalidate()
    region = Region.objects.create(code="220500", name="通化市", level="city")

    def agency(code: str, name: str, kind: str = "department") -> Agency:
        return Agency.objects.create(
            code=code, name=name, region=region, level="city", kind=kind,
            org_code=demo_org_code(code), uscc=demo_uscc(code, "220500"),
        )  # fmt: skip

    mzj = agency("th-mzj", "通化市民政局")
    gkb = agency("th-gkb", "通化市人民政府政务公开协调办公室", "office")
    for username, name, where, role in (
        ("chenzd", "陈指导", gkb, Role.GUIDANCE),
        ("lisi", "李四", mzj, Role.CLERK),
        ("sunba", "孙八", mzj, Role.APPROVER),
    ):
        user = User.objects.create_user(username=username, password=PASSWORD, display_name=name)
        Membership.objects.create(user=user, agency=where, role=role)
    yield {"mzj": mzj, "users": {u.username: u for u in User.objects.all()}}
    from gongkai.search import visits

    visits.flush_visits()  # item-page visits are buffered per process: leave none behind
    calendar.invalidate()


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/console/")


def solve_captcha(page) -> None:  # type: ignore[no-untyped-def]
    token = page.get_attribute("input[name=captcha_token]", "value")
    page.fill("#id_captcha", captcha.solve(token))


def check(page, name: str) -> None:  # type: ignore[no-untyped-def]
    assert_accessible(page)
    screenshot(page, f"interaction-{name}")


def test_a_question_from_submission_to_statistics(page, org) -> None:  # type: ignore[no-untyped-def]
    base = page.base_url
    # 1. the citizen asks
    page.goto(base + "/zwzx/new/")
    check(page, "question-form")
    page.select_option("#id_kind", "consult")
    page.select_option("#id_suggested_agency", str(org["mzj"].pk))
    page.fill("#id_title", "城市低保申请需要哪些材料")
    page.fill("#id_body", "我家住东昌区，想申请城市低保，请问需要准备哪些材料？")
    page.fill("#id_name", "张三")
    page.fill("#id_contact", "13912345678")
    solve_captcha(page)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/zwzx/submitted/")
    number = page.inner_text("#question-number")
    code = page.inner_text("#query-code")
    check(page, "question-receipt")
    # 2. the citizen checks the status with the query code
    page.context.clear_cookies()
    page.goto(base + "/zwzx/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/zwzx/status/{number}/")
    assert "待分办" in page.inner_text("#question-status")
    check(page, "question-status")
    # 3. 指导科 routes it to 民政局
    login(page, "chenzd")
    page.goto(base + "/console/interaction/questions/?status=submitted")
    page.click(f"text={number}")
    page.select_option("#id_agency", str(org["mzj"].pk))
    page.click("form[action$='/route/'] button")
    page.wait_for_selector("text=已分办。")
    # 4. 民政局 answers
    login(page, "lisi")
    page.goto(base + "/console/interaction/questions/")
    page.click(f"text={number}")
    page.fill("#id_text", "请携带户口簿、身份证和家庭收入证明，到户籍所在地街道办事处申请。")
    page.click("form[action$='/answer/'] button")
    page.wait_for_selector("text=答复已提交审核。")
    # 5. the leader reviews and publishes
    login(page, "sunba")
    page.goto(base + "/console/interaction/questions/?status=answered")
    page.click(f"text={number}")
    screenshot(page, "interaction-console-question-review")
    page.check("input[name=decision][value=publish]")
    page.click("form[action$='/review/'] button")
    page.wait_for_selector("text=答复已在网站公开。")
    assert "已答复并公开" in page.inner_text("#q-status")
    page.goto(base + f"/console/interaction/stats/?year={timezone.localdate().year}")
    assert "政府网站工作年度报表" in page.content()
    screenshot(page, "interaction-console-stats")
    # 6. the public list, detail, search and statistics
    page.context.clear_cookies()
    page.goto(base + "/zwzx/")
    assert number in page.content()
    assert "张三" not in page.content() and "13912345678" not in page.content()
    check(page, "questions")
    page.click("text=城市低保申请需要哪些材料")
    assert "户籍所在地街道办事处" in page.content()
    check(page, "question-detail")
    page.goto(base + "/zwzx/?q=低保")
    assert number in page.content()
    page.goto(base + f"/zwzx/stats/?year={timezone.localdate().year}")
    assert "通化市民政局" in page.content()
    assert page.locator("svg.report-chart").count() >= 1
    check(page, "question-stats")


def test_consultation_survey_interview_and_interpretation(page, org) -> None:  # type: ignore[no-untyped-def]
    from gongkai.interaction import services
    from gongkai.interaction.models import Consultation
    from gongkai.interaction.tests.helpers import policy_item

    base = page.base_url
    users, mzj = org["users"], org["mzj"]
    today = timezone.localdate()
    # a consultation: the citizen comments, the clerk moderates, then 采纳情况 after close
    cons = services.consultation_save(
        by=users["lisi"], agency=mzj, title="《通化市城乡医疗救助办法（征求意见稿）》",
        summary="现向社会公开征求意见。", opens_on=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=5),
    )  # fmt: skip
    services.consultation_publish(consultation=cons, by=users["lisi"])
    page.goto(base + "/dczj/")
    check(page, "participation")
    page.goto(base + f"/dczj/yj/{cons.pk}/")
    page.fill("#id_body", "建议将重特大疾病门诊费用纳入救助范围。")
    page.fill("#id_name", "王五")
    solve_captcha(page)
    page.click("form.stacked button.primary")
    page.wait_for_selector("text=您的意见已提交")
    login(page, "lisi")
    page.goto(base + f"/console/interaction/consultations/{cons.pk}/")
    page.check("input[name=decision][value=approve]")
    page.click(".moderate button")
    page.wait_for_selector("text=已审核。")
    Consultation.objects.filter(pk=cons.pk).update(closes_on=today - dt.timedelta(days=1))
    page.reload()
    page.fill("#id_feedback", "采纳1条：将重特大疾病门诊费用纳入救助范围。")
    page.click("form[action$='/feedback/'] button")
    page.wait_for_selector("text=意见采纳情况已发布。")
    page.context.clear_cookies()
    page.goto(base + f"/dczj/yj/{cons.pk}/")
    assert "重特大疾病门诊费用" in page.inner_text("#feedback")
    assert "王五" not in page.content()
    check(page, "consultation")
    # a survey answered in the browser, results as charts
    survey = services.survey_create(
        by=users["lisi"], agency=mzj, title="低保政策知晓度调查",
        summary="", opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=9),
        spec="单选：您对低保政策的了解程度？｜非常了解｜一般｜不了解\n"
             "多选：您通过哪些渠道了解政策？｜政府网站｜报纸｜电视\n填空：其他建议",
    )  # fmt: skip
    services.survey_publish(survey=survey, by=users["lisi"])
    page.goto(base + f"/dczj/dc/{survey.pk}/")
    check(page, "survey")
    page.check("text=非常了解")
    page.check("text=政府网站")
    page.check("text=电视")
    solve_captcha(page)
    page.click("form.survey-form button.primary")
    page.wait_for_url(f"**/dczj/dc/{survey.pk}/results/")
    assert page.inner_text("#survey-responses") == "1"
    assert page.locator("svg.report-chart").count() == 2
    check(page, "survey-results")
    page.goto(base + f"/dczj/dc/{survey.pk}/")
    assert page.locator("#survey-done").count() == 1  # one answer per person
    # an interview with its page
    now = timezone.now()
    interview = services.interview_save(
        by=users["lisi"], agency=mzj, title="城乡社会救助在线访谈", guests="市民政局局长",
        starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1, hours=2),
    )  # fmt: skip
    services.interview_publish(interview=interview, by=users["lisi"])
    page.goto(base + "/zxzx/")
    check(page, "interviews")
    page.goto(base + f"/zxzx/{interview.pk}/")
    check(page, "interview")
    # an interpretation linked from its document
    item = policy_item(
        type("T", (), {"agency_a": mzj, "lisi": users["lisi"]}), now - dt.timedelta(days=1)
    )
    interp = services.interpretation_save(
        by=users["lisi"], agency=mzj, kind="policy", title="《通化市城乡最低生活保障办法》解读",
        body="一、制定背景\n二、主要内容", items=[item],
    )  # fmt: skip
    services.interpretation_publish(interpretation=interp, by=users["sunba"])
    page.goto(base + f"/xxgk/{item.pk}/")
    page.click("text=《通化市城乡最低生活保障办法》解读")
    page.wait_for_url(f"**/rdhy/{interp.pk}/")
    assert "制定背景" in page.content()
    check(page, "interpretation")
    page.goto(base + "/rdhy/")
    check(page, "interpretations")
