"""Demo 互动交流 of 通化市 in 2012: 留言 routed, answered, reviewed and published (one still
open and overdue, one rejected), a 政策解读 linked to a 民政局 policy, a 热点回应, a closed
意见征集 with moderated comments and its 采纳情况, a survey with answers and an interview
with questions and a transcript. Everything goes through the services (audited, indexed).
Idempotent: nothing is added when 2012 留言 exist."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency

QUESTIONS = [
    # (day, agency code, kind, title, body, answer, answer day, publish)
    (
        dt.date(2012, 2, 13),
        "th-mzj",
        "consult",
        "城市低保申请需要哪些材料",
        "我家住东昌区新站街道，爱人下岗多年，想申请城市最低生活保障，请问需要准备哪些材料？",
        "您好！申请城市低保需提供户口簿、居民身份证、家庭成员收入证明及就业状况证明，"
        "向户籍所在地街道办事处提出书面申请。街道受理后将入户调查并张榜公示。",
        dt.date(2012, 2, 16),
        True,
    ),
    (
        dt.date(2012, 3, 19),
        "th-mzj",
        "consult",
        "农村五保供养标准是多少",
        "请问2012年我市农村五保集中供养和分散供养的标准分别是多少？",
        "2012年我市农村五保集中供养标准为每人每年3000元，分散供养标准为每人每年2200元，"
        "具体以《通化市民政局关于调整农村五保供养标准的通知》为准。",
        dt.date(2012, 3, 23),
        True,
    ),
    (
        dt.date(2012, 5, 7),
        "th-mzj",
        "suggest",
        "建议简化临时救助审批程序",
        "遇到突发困难的家庭急需救助，但审批时间较长，建议简化临时救助的审批程序。",
        "感谢您的建议。我局已会同各县（市、区）研究制定临时救助“先行救助”办法，"
        "对情况紧急的困难群众可先行发放救助金，再补办审批手续。",
        dt.date(2012, 5, 15),
        True,
    ),
    (
        dt.date(2012, 6, 11),
        "th-czj",
        "consult",
        "家电下乡补贴资金何时发放",
        "我在柳河县购买了下乡冰箱，已申报补贴，请问补贴资金什么时候能到账？",
        "家电下乡补贴资金实行按月审核、集中兑付，一般在申报后20个工作日内拨付至购买人"
        "“一折通”账户，请您留意账户信息。",
        dt.date(2012, 6, 15),
        True,
    ),
    (
        dt.date(2012, 8, 20),
        "th-mzj",
        "help",
        "残疾人两项补贴如何办理",
        "我父亲是二级肢体残疾，家庭困难，想了解如何申请残疾人生活补贴。",
        "您可持残疾人证、户口簿和低保证明到户籍所在地街道（乡镇）民政所申请，"
        "经审核符合条件的，自次月起按月发放生活补贴。",
        dt.date(2012, 8, 31),
        False,
    ),
    (
        dt.date(2012, 10, 8),
        "th-mzj",
        "consult",
        "婚姻登记国庆后是否正常办理",
        "请问国庆长假结束后市婚姻登记处的办公时间？",
        "市婚姻登记处10月8日起正常办公，办公时间为工作日上午8:30至11:30、下午13:30至16:30。",
        dt.date(2012, 10, 9),
        True,
    ),
]


def _user(name: str) -> Any:
    return User.objects.filter(username=name).first()


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load(*, full: bool = False, out: Any = None) -> dict[str, int]:
    from django.db import transaction

    with transaction.atomic():  # all or nothing, so a rerun after a failure starts clean
        return _load()


def _load() -> dict[str, int]:
    from gongkai.interaction import services
    from gongkai.interaction.models import Question, Survey, SurveyQuestion

    mzj = Agency.objects.filter(code="th-mzj").first()
    czj = Agency.objects.filter(code="th-czj").first()
    chenzd, lisi, sunba, zhaoliu = (_user(n) for n in ("chenzd", "lisi", "sunba", "zhaoliu"))
    if (
        not all((mzj, czj, chenzd, lisi, sunba, zhaoliu))
        or Question.objects.filter(year=2012).exists()
    ):
        return {}
    agencies = {"th-mzj": mzj, "th-czj": czj}
    # 1. 留言: routed by 指导科, answered by the agency's clerk, reviewed by its leader (财政局
    #    has no leader account in the demo: the coordination office reviews for it)
    for day, code, kind, title, body, answer, answered_on, publish in QUESTIONS:
        q, _ = services.question_submit(
            data={"kind": kind, "title": title, "body": body, "name": "王先生",
                  "contact": "0435-3600000", "may_publish": publish},
            now=_at(day),
        )  # fmt: skip
        services.question_route(question=q, agency=agencies[code], by=chenzd)
        writer, reviewer = (lisi, sunba) if code == "th-mzj" else (zhaoliu, chenzd)
        services.question_answer(question=q, by=writer, text=answer)
        services.question_review_approve(
            question=q, by=reviewer, publish=publish, today=answered_on, now=_at(answered_on, 15)
        )
    rejected, _ = services.question_submit(
        data={"kind": "other", "title": "转发广告", "body": "低价出售各类发票，欢迎来电。",
              "name": "匿名", "contact": "无", "may_publish": False},
        now=_at(dt.date(2012, 4, 5)),
    )  # fmt: skip
    services.question_reject(question=rejected, by=chenzd, reason="广告信息，与政府工作无关。")
    services.question_submit(
        data={"kind": "consult", "title": "冬季取暖补贴发放时间",
              "body": "请问今年低保户冬季取暖补贴什么时候发放？", "name": "李女士",
              "contact": "0435-3611111", "may_publish": True},
        now=_at(dt.date(2012, 12, 24)),
    )  # fmt: skip  # still 待分办: shows in the overdue queue
    # 2. 政策解读 of a 民政局 policy and a 热点回应
    from gongkai.publishing.models import CatalogItem

    item = (
        CatalogItem.objects.public()
        .filter(agency=mzj, published_at__year=2012)
        .order_by("pk")
        .first()
    )
    interp = services.interpretation_save(
        by=lisi, agency=mzj, kind="policy",
        title="《关于进一步加强城乡最低生活保障工作的实施意见》政策解读",
        body="一、出台背景\n为贯彻落实国务院关于进一步加强和改进最低生活保障工作的要求，规范低保审核审批程序。\n"
             "二、主要内容\n明确低保对象认定条件、家庭收入核算办法和“三榜公示”程序。\n"
             "三、办理渠道\n申请人向户籍所在地街道办事处或乡镇人民政府提出申请。",
        video_url="https://www.tonghua.gov.cn/video/2012/dibao.mp4",
        items=[item] if item else [],
    )  # fmt: skip
    services.interpretation_publish(interpretation=interp, by=sunba, now=_at(dt.date(2012, 7, 4)))
    hot = services.interpretation_save(
        by=lisi, agency=mzj, kind="hotspot", title="关于网传“低保金停发”的回应",
        body="近日网上流传我市低保金停发的消息，经核实，该消息不实。我市各类救助资金均按月足额发放。",
    )  # fmt: skip
    services.interpretation_publish(interpretation=hot, by=sunba, now=_at(dt.date(2012, 9, 12)))
    # 3. 意见征集 with comments and 采纳情况
    cons = services.consultation_save(
        by=lisi, agency=mzj, title="《通化市城乡医疗救助办法（征求意见稿）》公开征求意见",
        summary="为完善我市城乡医疗救助制度，现将《通化市城乡医疗救助办法（征求意见稿）》全文公布，"
                "征求社会各界意见。",
        opens_on=dt.date(2012, 4, 16), closes_on=dt.date(2012, 5, 15),
    )  # fmt: skip
    cons = services.consultation_publish(consultation=cons, by=lisi)
    for text, ok in (
        ("建议将重特大疾病门诊费用纳入救助范围。", True),
        ("建议提高年度救助封顶线。", True),
        ("请问何时出台？", False),
    ):
        c = services.comment_submit(consultation=cons, name="市民", contact="", body=text,
                                    today=dt.date(2012, 4, 20))  # fmt: skip
        services.comment_moderate(comment=c, by=lisi, approve=ok,
                                  reason="" if ok else "非意见建议，已另行答复。")  # fmt: skip
    services.consultation_publish_feedback(
        consultation=cons, by=lisi, today=dt.date(2012, 5, 25), now=_at(dt.date(2012, 5, 25)),
        feedback="征求意见期间共收到意见3条，公开2条。采纳1条：将重特大疾病门诊费用纳入救助范围；"
                 "部分采纳1条：年度救助封顶线由3万元提高至5万元。",
    )  # fmt: skip
    # 4. 网上调查 with answers
    survey = services.survey_create(
        by=lisi, agency=mzj, title="2012年城乡低保政策知晓度网上调查",
        summary="为了解群众对低保政策的知晓情况，开展本次调查。",
        opens_on=dt.date(2012, 9, 1), closes_on=dt.date(2012, 9, 30),
        spec="单选：您对城乡低保政策的了解程度？｜非常了解｜比较了解｜不太了解\n"
             "多选：您通过哪些渠道了解政策？｜政府网站｜报纸电视｜社区宣传｜亲友\n"
             "填空：您对低保工作的其他建议",
    )  # fmt: skip
    services.survey_publish(survey=survey, by=lisi)
    q1, q2, q3 = survey.questions.all()
    o1, o2 = list(q1.options.all()), list(q2.options.all())
    for n in range(24):
        services.survey_respond(
            survey=Survey.objects.get(pk=survey.pk),
            voter_key=hashlib.sha256(f"demo-voter-{n}".encode()).hexdigest(),
            ip_key=hashlib.sha256(f"demo-ip-{n}".encode()).hexdigest(),
            answers={q1.pk: o1[n % 3].pk, q2.pk: [o2[n % 4].pk, o2[(n + 1) % 4].pk],
                     q3.pk: "希望加强宣传" if n % 5 == 0 else ""},
            today=dt.date(2012, 9, 10),
        )  # fmt: skip
    assert SurveyQuestion.objects.filter(survey=survey).count() == 3
    # 5. 在线访谈
    interview = services.interview_save(
        by=lisi, agency=mzj, title="聚焦城乡社会救助——市民政局局长在线访谈",
        guests="通化市民政局局长、社会救助科科长", starts_at=_at(dt.date(2012, 11, 15), 9),
        ends_at=_at(dt.date(2012, 11, 15), 11),
        summary="就城乡低保、医疗救助、临时救助等群众关心的问题与网友在线交流。",
    )  # fmt: skip
    interview = services.interview_publish(interview=interview, by=lisi)
    for nick, body, answer in (
        (
            "东昌网友",
            "低保标准明年会提高吗？",
            "我市将根据物价变动情况适时调整低保标准，2013年拟提高10%左右。",
        ),
        ("柳河居民", "农村低保怎么申请？", "向户籍所在地乡镇人民政府提出申请，经审核公示后审批。"),
    ):
        iq = services.interview_question_submit(interview=interview, nickname=nick, body=body,
                                                now=_at(dt.date(2012, 11, 14)))  # fmt: skip
        services.interview_question_moderate(question=iq, by=lisi, approve=True, answer=answer)
    services.interview_publish_transcript(
        interview=interview, by=lisi, now=_at(dt.date(2012, 11, 15), 14),
        transcript="主持人：各位网友大家好，欢迎参加本期在线访谈。\n"
                   "局长：大家好。今年我市城乡低保标准分别提高了15%和20%……",
    )  # fmt: skip
    return {"questions": Question.objects.count(), "surveys": 1, "interviews": 1}
