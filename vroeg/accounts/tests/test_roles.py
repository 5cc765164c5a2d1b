import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command

from vroeg.accounts import roles
from vroeg.accounts.services import user_upsert


def _perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_migrations_create_the_four_roles_with_their_permissions():
    assert _perms(roles.CASEWORKER) == {"accounts.work_cases"}
    assert _perms(roles.TEAM_LEAD) == {"accounts.work_cases", "accounts.lead_team"}
    assert _perms(roles.PARTNER_USER) == {"accounts.use_partner_portal"}
    admin_perms = _perms(roles.FUNCTIONAL_ADMIN)
    assert "municipalities.change_municipality" in admin_perms
    assert "audit.view_auditentry" in admin_perms
    # Nobody may change or delete the audit log, not even the functional admin.
    assert not {"audit.change_auditentry", "audit.delete_auditentry"} & admin_perms


@pytest.mark.django_db
def test_sync_roles_restores_tampered_groups():
    Group.objects.get(name=roles.CASEWORKER).permissions.clear()
    call_command("sync_roles", stdout=io.StringIO())
    assert _perms(roles.CASEWORKER) == {"accounts.work_cases"}
    assert Group.objects.count() == len(roles.ROLE_PERMISSIONS)
    assert _perms(roles.PRIVACY_OFFICER) == {"accounts.review_audit_log"}


@pytest.mark.django_db
def test_partner_user_needs_exactly_one_partner(partner, municipality):
    with pytest.raises(ValidationError):
        user_upsert(username="x", password="pw-x-12345678", role=roles.PARTNER_USER)
    with pytest.raises(ValidationError):
        user_upsert(username="y", password="pw-y-12345678", role=roles.CASEWORKER, partner=partner)
    user = user_upsert(username="z", password="pw-z-12345678", role=roles.PARTNER_USER, partner=partner)
    assert user.partner == partner
    assert user.has_perm("accounts.use_partner_portal")
    assert not user.has_perm("accounts.work_cases")


@pytest.mark.django_db
def test_functional_admin_cannot_make_anyone_superuser(client, functional_admin, caseworker):
    client.force_login(functional_admin)
    url = f"/beheer/accounts/user/{caseworker.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    client.post(
        url,
        {
            "username": "cw",
            "groups": [Group.objects.get(name=roles.CASEWORKER).pk],
            "municipalities": [m.pk for m in caseworker.municipalities.all()],
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    caseworker.refresh_from_db()
    assert not caseworker.is_superuser and not caseworker.is_staff


@pytest.mark.django_db
def test_admin_form_refuses_a_partner_user_without_partner(client, functional_admin, caseworker):
    client.force_login(functional_admin)
    response = client.post(
        f"/beheer/accounts/user/{caseworker.pk}/change/",
        {
            "username": "cw",
            "groups": [Group.objects.get(name=roles.PARTNER_USER).pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "precies één partnerorganisatie" in response.content.decode()
    caseworker.refresh_from_db()
    assert list(caseworker.groups.values_list("name", flat=True)) == [roles.CASEWORKER]
