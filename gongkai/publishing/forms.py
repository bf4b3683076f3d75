"""Forms of the publishing console. Validation of rules lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import Agency
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    Attachment,
    Column,
    DisclosureMode,
    Genre,
    Guide,
    Revision,
    Topic,
    Validity,
)
from gongkai.publishing.services import GUIDE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return str(obj)


class RevisionForm(forms.ModelForm):
    """框架录入 and editing of a draft: every catalog field."""

    topic = TopicChoiceField(
        queryset=Topic.objects.filter(children__isnull=True)
        .select_related("parent")
        .order_by("code"),
        required=False,
        label="主题分类",
        help_text="选择到二级分类，如“综合政务\\政务公开”。",
    )

    class Meta:
        model = Revision
        fields = CONTENT_FIELDS
        widgets = {
            "formed_on": DATE,
            "effective_on": DATE,
            "invalid_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10, "data-rich-editor": "1"}),
        }
        help_texts = {
            "body": "可使用段落、标题、加粗、列表、表格、对齐和链接，也可从Word粘贴或导入；空行分段；脚本和其他样式会被自动清除。",
            "summary": "一般不超过100字。",
            "keywords": "多个主题词用空格分隔。",
            "art20_amount": "仅“行政事业性收费”填写。",
        }


class NewItemForm(RevisionForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="发布机构")

    class Meta(RevisionForm.Meta):
        fields = ["agency", *CONTENT_FIELDS]

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies if agencies is not None else Agency.objects.none()
        if agencies is not None and agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()
        self.order_fields(["agency"])


class DetailForm(forms.ModelForm):
    """详细信息录入 after 终审: 内容概述、正文、主题词."""

    class Meta:
        model = Revision
        fields = ["summary", "body", "keywords"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12, "data-rich-editor": "1"}),
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="结论", choices=[("approve", "通过"), ("return", "退回")])
    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="定时发布", required=False, widget=DATETIME, help_text="留空则立即发布。"
    )
    expire_at = forms.DateTimeField(
        label="定时下线", required=False, widget=DATETIME, help_text="留空则长期公开。"
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="放行理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件", help_text="PDF、DOCX、XLSX、TXT、JPG、PNG、ZIP，单个文件不超过上限。"
    )


class WordImportForm(forms.Form):
    file = forms.FileField(
        label="从Word导入正文",
        help_text="上传 .docx：段落、标题、表格、列表和对齐方式导入正文，图片作为附件；导入后会替换现有正文。",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


class ChangeRequestForm(RevisionForm):
    kind = forms.ChoiceField(
        label="申请类型", choices=[("change", "变更"), ("delete", "删除（撤回）")]
    )
    reason = forms.CharField(
        label="申请理由（申请书）", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    new_file = forms.FileField(
        label="新增附件", required=False, help_text="变更时可上传一个新附件，执行变更后生效。"
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        queryset=Attachment.objects.none(),
        label="移除附件",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选的附件在执行变更后从网站移除（文件保留备查）。",
    )

    class Meta(RevisionForm.Meta):
        fields = ["kind", "reason", *CONTENT_FIELDS]

    def __init__(self, *args: Any, item: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "reason"])
        field = self.fields["remove_attachments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if item is not None:
            field.queryset = item.attachments.filter(removed_at__isnull=True)
        if field.queryset is None or not field.queryset.exists():
            del self.fields["remove_attachments"]
        if self.data.get("kind") == "delete":
            for name in CONTENT_FIELDS:
                self.fields[name].required = False

    def _post_clean(self) -> None:  # the service validates the proposed content
        pass


class ChangeAmendForm(ChangeRequestForm):
    """申请人修改申请书: the same fields without the kind (a deletion: the reason only)."""

    def __init__(self, *args: Any, item: Any = None, kind: str = "change", **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        del self.fields["kind"]
        if kind != "change":
            for name in [*CONTENT_FIELDS, "new_file", "remove_attachments"]:
                self.fields.pop(name, None)


class StepForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="意见",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        initial="1",
    )
    comment = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, refuse_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if refuse_only:  # the step itself would be refused: offer 不同意 only
            field = self.fields["accept"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices, field.initial = [("0", "不同意")], "0"


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    invalid_on = forms.DateField(label="失效或废止日期", required=False, widget=DATE)


class WithheldForm(forms.Form):
    convert = forms.TypedChoiceField(
        label="评估结论",
        choices=[("0", "继续不予主动公开"), ("1", "转为主动公开")],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(
        label="评估意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = GUIDE_FIELDS
        widgets = {
            "classification": forms.Textarea(attrs={"rows": 4}),
            "arrangement": forms.Textarea(attrs={"rows": 3}),
            "access_methods": forms.Textarea(attrs={"rows": 4}),
            "other": forms.Textarea(attrs={"rows": 3}),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label="目录文件", help_text="CSV（UTF-8）、XLSX 或 JSON，列说明见 docs/catalog-import.md。"
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="默认发布机构",
        required=False,
        help_text="文件中没有“发布机构代号”列时使用。",
    )

    reason = forms.CharField(
        label="系统迁移理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="系统迁移按原索引号和发布状态导入，不经审核，记入审计日志。",
    )

    def __init__(
        self, *args: Any, agencies: Any = None, migration: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies if agencies is not None else Agency.objects.none()
        if not migration:  # a clerk's import: drafts only, no 系统迁移 option at all
            del self.fields["reason"]


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="名称/文号/索引号", required=False, max_length=50)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label="机构", required=False, empty_label="全部"
    )
    status = forms.ChoiceField(label="状态", required=False)
    column = forms.ChoiceField(
        label="栏目", required=False, choices=[("", "全部"), *Column.choices]
    )
    genre = forms.ChoiceField(label="体裁", required=False, choices=[("", "全部"), *Genre.choices])
    mode = forms.ChoiceField(
        label="公开方式", required=False, choices=[("", "全部"), *DisclosureMode.choices]
    )
    late = forms.BooleanField(label="只看超期发布", required=False)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        from gongkai.publishing.models import CatalogItem

        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["status"].choices = [("", "全部"), *CatalogItem.Status.choices]  # type: ignore[attr-defined]
