"""Forms of the 互动交流 app: public forms carry the self-hosted captcha."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import Agency
from gongkai.interaction.models import Interpretation, Question, Survey, SurveyQuestion
from gongkai.lib.captcha import CaptchaFormMixin

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def writable_agencies(user: Any) -> Any:
    """Agencies in which ``user`` may enter content (non-read-only roles; 协调办: its region)."""
    from gongkai.interaction.permissions import can_write

    ids = [a.pk for a in Agency.objects.for_user(user).active() if can_write(user, a.pk)]
    return Agency.objects.filter(pk__in=ids).order_by("code")


# --- public -----------------------------------------------------------------------------


class QuestionForm(CaptchaFormMixin, forms.Form):
    kind = forms.ChoiceField(label="留言类别", choices=Question.Kind.choices)
    suggested_agency = forms.ModelChoiceField(
        label="留言对象",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="不确定，由政务公开协调办公室分办",
    )
    title = forms.CharField(label="留言标题", max_length=100)
    body = forms.CharField(
        label="留言内容",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="请勿在内容中填写身份证号、电话等个人信息。",
    )
    name = forms.CharField(label="姓名", max_length=50, help_text="仅用于答复联系，不会公开。")
    contact = forms.CharField(
        label="联系电话或电子邮箱", max_length=100, help_text="仅用于答复联系，不会公开。"
    )
    may_publish = forms.BooleanField(
        label="同意在网站公开留言及答复（不公开姓名和联系方式）", required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.active().exclude(kind="office").order_by("code")
        )


class TrackForm(forms.Form):
    number = forms.CharField(label="留言编号", max_length=20)
    code = forms.CharField(label="查询码", max_length=40)


class CommentForm(CaptchaFormMixin, forms.Form):
    body = forms.CharField(
        label="意见内容", max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(label="姓名", max_length=50, help_text="不会公开。")
    contact = forms.CharField(
        label="联系方式（选填）", max_length=100, required=False, help_text="不会公开。"
    )


class InterviewQuestionForm(CaptchaFormMixin, forms.Form):
    nickname = forms.CharField(label="网名", max_length=30, help_text="将与问题一起显示。")
    body = forms.CharField(
        label="您的问题", max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SurveyAnswerForm(CaptchaFormMixin, forms.Form):
    """One field per survey question: ``q<id>`` (radio, checkboxes or a text box)."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        self.survey = survey
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for sq in survey.questions.prefetch_related("options"):
            label = f"{sq.position}. {sq.text}（{sq.get_kind_display()}）"
            choices = [(str(o.pk), o.text) for o in sq.options.all()]
            if sq.kind == SurveyQuestion.Kind.SINGLE:
                fields[f"q{sq.pk}"] = forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect, required=sq.required
                )
            elif sq.kind == SurveyQuestion.Kind.MULTIPLE:
                fields[f"q{sq.pk}"] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=sq.required,
                )
            else:
                fields[f"q{sq.pk}"] = forms.CharField(
                    label=label,
                    max_length=1000,
                    required=sq.required,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        captcha = self.fields.pop("captcha")
        self.fields.update(fields)
        self.fields["captcha"] = captcha

    def answers(self) -> dict[int, Any]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and name[1:].isdigit()
        }


# --- console ------------------------------------------------------------------------------


class RouteForm(forms.Form):
    agency = forms.ModelChoiceField(label="交办部门", queryset=Agency.objects.none())
    comment = forms.CharField(label="分办说明", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.for_user(user).active().exclude(kind="office").order_by("code")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="答复内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReviewForm(forms.Form):
    DECISIONS = [
        ("publish", "同意答复并在网站公开"),
        ("private", "同意答复，不公开"),
        ("return", "退回修改"),
    ]
    decision = forms.ChoiceField(label="审核结论", choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="审核意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("reject", "不通过")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="不通过理由", max_length=300, required=False)
    answer = forms.CharField(
        label="嘉宾答复（访谈提问）",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InterpretationForm(forms.Form):
    agency = forms.ModelChoiceField(label="发布机关", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="类别", choices=Interpretation.Kind.choices)
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="正文", max_length=50000, widget=forms.Textarea(attrs={"rows": 12})
    )
    items = forms.CharField(
        label="所解读的文件",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个索引号或信息编号（门户网址 /xxgk/编号/ 中的数字）。",
    )
    graphic = forms.FileField(label="图解（PNG/JPG）", required=False)
    graphic_alt = forms.CharField(label="图解文字说明", max_length=300, required=False)
    video_url = forms.URLField(label="视频链接", required=False, assume_scheme="https")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = writable_agencies(user)  # type: ignore[attr-defined]

    def clean_items(self) -> list[Any]:
        from gongkai.publishing.models import CatalogItem

        tokens = [t.strip() for t in (self.cleaned_data.get("items") or "").split() if t.strip()]
        if len(tokens) > 50:
            raise forms.ValidationError("最多关联50件文件。")
        found = []
        visible = CatalogItem.objects.public()
        for token in tokens:
            item = visible.filter(index_number=token).first()
            if item is None and token.isdecimal() and len(token) < 18:
                item = visible.filter(pk=int(token)).first()
            if item is None:
                raise forms.ValidationError(f"找不到已公开的文件“{token[:40]}”。")
            found.append(item)
        return found


class ConsultationForm(forms.Form):
    agency = forms.ModelChoiceField(label="征集机关", queryset=Agency.objects.none())
    title = forms.CharField(label="征集事项", max_length=200)
    summary = forms.CharField(
        label="征集说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE)
    draft = forms.FileField(label="征求意见稿（PDF/DOCX）", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = writable_agencies(user)  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="意见采纳情况", max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class SurveyCreateForm(forms.Form):
    agency = forms.ModelChoiceField(label="调查机关", queryset=Agency.objects.none())
    title = forms.CharField(label="调查主题", max_length=200)
    summary = forms.CharField(
        label="调查说明", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE)
    spec = forms.CharField(
        label="题目",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一题：“单选：题目｜选项一｜选项二”、“多选：…”或“填空：题目”。",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = writable_agencies(user)  # type: ignore[attr-defined]


class InterviewForm(forms.Form):
    agency = forms.ModelChoiceField(label="主办机关", queryset=Agency.objects.none())
    title = forms.CharField(label="访谈主题", max_length=200)
    guests = forms.CharField(label="访谈嘉宾", max_length=300)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    summary = forms.CharField(
        label="访谈简介", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = writable_agencies(user)  # type: ignore[attr-defined]


class TranscriptForm(forms.Form):
    transcript = forms.CharField(
        label="访谈实录", max_length=100000, widget=forms.Textarea(attrs={"rows": 14})
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
