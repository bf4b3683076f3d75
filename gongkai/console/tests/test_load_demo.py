from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from gongkai.accounts.models import AdminRole, Membership, Role, User
from gongkai.agencies.models import Agency, Region
from gongkai.audit.services import audit_verify


class LoadDemoTestCase(TestCase):
    def test_it_loads_tonghua_twice_without_duplicates(self) -> None:
        out = StringIO()
        call_command("load_demo", stdout=out)
        counts = (
            Region.objects.count(),
            Agency.objects.count(),
            User.objects.count(),
            Membership.objects.count(),
        )
        call_command("load_demo", "--quiet", stdout=StringIO())
        self.assertEqual(
            counts,
            (
                Region.objects.count(),
                Agency.objects.count(),
                User.objects.count(),
                Membership.objects.count(),
            ),
        )
        self.assertIn("演示账号", out.getvalue())
        self.assertTrue(audit_verify().ok)

    def test_it_uses_the_real_division_codes(self) -> None:
        call_command("load_demo", "--quiet", stdout=StringIO())
        expected = {
            "220500": "通化市",
            "220502": "东昌区",
            "220503": "二道江区",
            "220521": "通化县",
            "220523": "辉南县",
            "220524": "柳河县",
            "220581": "梅河口市",
            "220582": "集安市",
        }
        for code, name in expected.items():
            self.assertEqual(Region.objects.get(code=code).name, name)
        self.assertTrue(Region.objects.filter(level="township", parent__code="220582").exists())
        for agency in Agency.objects.all():
            agency.full_clean()  # every demo code carries a valid check character

    def test_it_creates_a_user_for_every_role(self) -> None:
        call_command("load_demo", "--quiet", stdout=StringIO())
        roles = set(Membership.objects.values_list("role", flat=True))
        self.assertEqual(roles, set(Role.values))
        admin_roles = set(User.objects.exclude(admin_role="").values_list("admin_role", flat=True))
        self.assertEqual(admin_roles, {AdminRole.SYSTEM, AdminRole.SECURITY, AdminRole.AUDIT})
