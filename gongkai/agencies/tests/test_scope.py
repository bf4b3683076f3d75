"""For every persona, what the agency list shows equals what the access function allows."""

from django.http import Http404

from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import get_agency_for_user
from gongkai.test import BaseTestCase


class AgencyScopeTestCase(BaseTestCase):
    def allowed_by_access_function(self, user) -> set[int]:  # type: ignore[no-untyped-def]
        allowed = set()
        for agency in Agency.objects.all():
            try:
                get_agency_for_user(user, agency.pk)
                allowed.add(agency.pk)
            except Http404:
                pass
        return allowed

    def listed(self, user) -> set[int]:  # type: ignore[no-untyped-def]
        self.client.force_login(user)
        r = self.client.get("/console/agencies/", {"page": 1})
        self.assertEqual(r.status_code, 200)
        return {a.pk for a in r.context["page"].paginator.object_list}

    def test_it_agrees_for_every_persona(self) -> None:
        for name, user in self.personas().items():
            with self.subTest(persona=name):
                self.assertEqual(self.listed(user), self.allowed_by_access_function(user), name)

    def test_it_scopes_as_the_roles_say(self) -> None:
        p = self.personas()
        self.assertEqual(self.allowed_by_access_function(p["lisi"]), {self.agency_a.pk})
        self.assertEqual(self.allowed_by_access_function(p["zhaoliu"]), {self.agency_b.pk})
        self.assertEqual(self.allowed_by_access_function(p["zhangsan"]), set())
        self.assertEqual(self.allowed_by_access_function(p["auditor"]), set())
        everyone = set(Agency.objects.values_list("pk", flat=True))
        # 指导科 of the city office reaches every agency in the city, counties and townships
        self.assertEqual(self.allowed_by_access_function(p["chenzd"]), everyone)
        self.assertEqual(self.allowed_by_access_function(p["sysadmin"]), everyone)

    def test_it_gives_404_for_missing_and_invisible_alike(self) -> None:
        self.login(self.lisi)
        self.assertEqual(self.client.get(f"/console/agencies/{self.agency_b.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/console/agencies/999999/").status_code, 404)
        self.assertEqual(self.client.get(f"/console/agencies/{self.agency_a.pk}/").status_code, 200)
