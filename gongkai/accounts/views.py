"""Login/logout and the security administrator's user pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts import forms, services
from gongkai.accounts.models import Membership
from gongkai.accounts.permissions import get_user_for_user, users_for_user
from gongkai.lib.views import AuthedRequest, paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        # LoginView puts Django's RequestSite under "site"; templates expect the site profile.
        context.pop("site", None)
        context.pop("site_name", None)
        return context

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        response.status_code = 400  # a refused login is a client error, with the reason on the page
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("portal:home")


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    qs = users_for_user(request.user).prefetch_related("memberships__agency").order_by("username")
    if not request.user.is_security_admin:
        return render(request, "console/forbidden.html", status=403)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(display_name__icontains=q)
    return render(
        request,
        "accounts/user_list.html",
        {"page": paginate(request, qs), "q": q, "form": forms.UserCreateForm()},
    )


@login_required
@require_POST
def user_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_security_admin:
        return render(request, "console/forbidden.html", status=403)
    form = forms.UserCreateForm(request.POST)
    if not form.is_valid():
        qs = users_for_user(request.user).order_by("username")
        return render(
            request,
            "accounts/user_list.html",
            {"page": paginate(request, qs), "form": form},
            status=400,
        )
    try:
        user = services.user_create(by=request.user, **form.cleaned_data)
    except services.AccountError as exc:
        form.add_error(None, str(exc))
        qs = users_for_user(request.user).order_by("username")
        return render(
            request,
            "accounts/user_list.html",
            {"page": paginate(request, qs), "form": form},
            status=400,
        )
    messages.success(request, f"已创建用户 {user.username}。")
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_user_for_user(request.user, pk)
    form = forms.MembershipForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.membership_grant(user=user, by=request.user, **form.cleaned_data)
                messages.success(request, "已授予岗位。")
                return redirect("accounts:user_detail", pk=user.pk)
            except services.AccountError as exc:
                form.add_error(None, str(exc))
        return render(
            request, "accounts/user_detail.html", {"account": user, "form": form}, status=400
        )
    return render(request, "accounts/user_detail.html", {"account": user, "form": form})


@login_required
@require_POST
def membership_revoke(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = get_user_for_user(request.user, pk, write=True)
    membership = Membership.objects.filter(user=user, pk=membership_pk).first()
    if membership is None:
        messages.error(request, "该岗位不存在。")
    else:
        services.membership_revoke(membership=membership, by=request.user)
        messages.success(request, "已撤销岗位。")
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_user_for_user(request.user, pk, write=True)
    services.user_unlock(user=user, by=request.user)
    messages.success(request, "已解除锁定。")
    return redirect("accounts:user_detail", pk=user.pk)
