from gongkai.accounts.models import Membership, Role, User
from gongkai.audit.models import AuditEntry
from gongkai.test import BaseTestCase


class UserAdministrationTestCase(BaseTestCase):
    def test_it_lets_the_security_administrator_create_users(self) -> None:
        self.login(self.secadmin)
        r = self.client.post(
            "/accounts/users/new/",
            {"username": "xinren", "display_name": "新人", "password": "Xin-Ren-2026!"},
        )
        user = User.objects.get(username="xinren")
        self.assertRedirects(r, f"/accounts/users/{user.pk}/")
        self.assertTrue(
            AuditEntry.objects.filter(
                action="accounts.user.created", object_id=str(user.pk)
            ).exists()
        )

    def test_it_refuses_weak_passwords_and_duplicates_in_chinese(self) -> None:
        self.login(self.secadmin)
        r = self.client.post(
            "/accounts/users/new/",
            {"username": "ruo", "display_name": "弱", "password": "abcdefghij"},
        )
        self.assertContains(r, "三类", status_code=400)
        r = self.client.post(
            "/accounts/users/new/",
            {"username": "lisi", "display_name": "重名", "password": "Xin-Ren-2026!"},
        )
        self.assertContains(r, "已存在", status_code=400)

    def test_it_grants_and_revokes_memberships(self) -> None:
        self.login(self.secadmin)
        r = self.client.post(
            f"/accounts/users/{self.zhangsan.pk}/",
            {"agency": self.agency_b.pk, "role": Role.VIEWER},
        )
        self.assertRedirects(r, f"/accounts/users/{self.zhangsan.pk}/")
        membership = Membership.objects.get(user=self.zhangsan, agency=self.agency_b)
        self.client.post(f"/accounts/users/{self.zhangsan.pk}/memberships/{membership.pk}/revoke/")
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="accounts.membership.revoked").exists())

    def test_it_keeps_administrators_out_of_business_roles(self) -> None:
        self.login(self.secadmin)
        r = self.client.post(
            f"/accounts/users/{self.auditor.pk}/", {"agency": self.agency_a.pk, "role": Role.CLERK}
        )
        self.assertContains(r, "三员分立", status_code=400)

    def test_it_hides_user_administration_from_everyone_else(self) -> None:
        for name, user in self.personas().items():
            if name == "secadmin":
                continue
            self.client.force_login(user)
            self.assertEqual(self.client.get("/accounts/users/").status_code, 403, name)
            self.assertEqual(
                self.client.get(f"/accounts/users/{self.lisi.pk}/").status_code, 404, name
            )
            self.assertEqual(
                self.client.post(f"/accounts/users/{self.lisi.pk}/unlock/").status_code, 404, name
            )
