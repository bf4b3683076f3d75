from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "用户与岗位"

    def ready(self) -> None:
        # Login events come from django.contrib.auth's signals so every login path
        # (form, admin, certificate) is audited the same way.
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from gongkai.accounts import services
        from gongkai.lib.ratelimit import client_ip

        def on_login(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
            services.login_succeeded(user=user, ip=client_ip(request) if request else "")

        def on_failed(sender, credentials, request=None, **kwargs):  # type: ignore[no-untyped-def]
            services.login_failed(
                username=str(credentials.get("username", ""))[:150],
                ip=client_ip(request) if request is not None else "",
            )

        def on_logout(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
            services.logged_out(user=user)

        user_logged_in.connect(on_login, dispatch_uid="gongkai_login", weak=False)
        user_login_failed.connect(on_failed, dispatch_uid="gongkai_login_failed", weak=False)
        user_logged_out.connect(on_logout, dispatch_uid="gongkai_logout", weak=False)
