from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from gongkai.accounts.models import AdminRole, Role, User
from gongkai.agencies.models import Agency


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败多次后账户将被临时锁定。",
        "inactive": "该账户已停用。",
    }

    def clean(self) -> dict[str, Any]:
        from gongkai.accounts.services import login_refusal
        from gongkai.lib.ratelimit import client_ip

        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            refusal = login_refusal(username=username, ip=client_ip(self.request))
            if refusal:
                raise forms.ValidationError(refusal, code="backoff")
        if username:
            user = User.objects.filter(username=username).first()
            if user is not None and user.is_locked():
                raise forms.ValidationError(
                    "该账户因连续登录失败已被临时锁定，请稍后再试或联系安全管理员。", code="locked"
                )
        return super().clean()


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=60)
    email = forms.EmailField(label="电子邮箱", required=False)
    admin_role = forms.ChoiceField(label="管理员类型", choices=AdminRole.choices, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)


class MembershipForm(forms.Form):
    agency = forms.ModelChoiceField(label="机构", queryset=Agency.objects.active())
    role = forms.ChoiceField(label="角色", choices=Role.choices)
