"""The functional admin reaches the upload pages from the admin: the start page's
Uploads box, and a partner's change page and list row."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from testkit.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_admin_start_page_links_the_upload_pages(client, functional_admin):
    client.force_login(functional_admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("delivery-upload")}">Levering uploaden namens een partner</a>' in page
    assert f'<a href="{reverse("laa-upload")}">LAA-lijst uploaden</a>' in page
    for url in (reverse("delivery-upload"), reverse("laa-upload")):
        assert client.get(url).status_code == 200


def test_a_partners_page_links_an_upload_on_its_behalf(client, functional_admin, partner):
    client.force_login(functional_admin)
    page = client.get(reverse("admin:partners_partner_change", args=[partner.pk])).content.decode()
    link = f"{reverse('delivery-upload')}?partner={partner.pk}"
    assert f'<a href="{link}" data-testid="upload-for-partner">Levering uploaden namens deze partner</a>' in page
    listing = client.get(reverse("admin:partners_partner_changelist")).content.decode()
    assert (
        f'<a href="{link}">Levering uploaden<span class="visually-hidden"> namens Woonstichting Test</span></a>'
        in listing
    )
    form = client.get(link).content.decode()
    assert f'<option value="{partner.pk}" selected>Woonstichting Test</option>' in form


def test_an_inactive_partner_offers_no_upload(client, functional_admin, municipality):
    gone = PartnerFactory(code="gestopt", name="Gestopte Partner", active=False)
    client.force_login(functional_admin)
    page = client.get(reverse("admin:partners_partner_change", args=[gone.pk])).content.decode()
    assert "Levering uploaden" not in page
    listing = client.get(reverse("admin:partners_partner_changelist")).content.decode()
    assert f"?partner={gone.pk}" not in listing


def test_without_the_upload_permission_the_admin_shows_no_upload_links(client, make_user, partner):
    viewer = make_user(username="kijker", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client.force_login(viewer)
    for url in (reverse("admin:index"), reverse("admin:partners_partner_changelist")):
        page = client.get(url).content.decode()
        assert reverse("delivery-upload") not in page and reverse("laa-upload") not in page
    page = client.get(reverse("admin:partners_partner_change", args=[partner.pk])).content.decode()
    assert reverse("delivery-upload") not in page


def test_the_municipalities_a_partner_delivers_to_are_check_boxes(client, functional_admin, partner, municipality):
    other = type(municipality).objects.create(code="0363", name="Amsterdam", inhabitants=930_000)
    client.force_login(functional_admin)
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    page = client.get(url).content.decode()
    assert page.count('type="checkbox" name="municipalities"') == 2
    assert "selectfilter" not in page  # not the two-box filter widget
    response = client.post(
        url,
        {
            "code": partner.code,
            "name": partner.name,
            "partner_type": partner.partner_type,
            "signal_types": ["huur"],
            "lcv_member": "on",
            "active": "on",
            "municipalities": [municipality.pk, other.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert set(partner.municipalities.values_list("code", flat=True)) == {"9999", "0363"}
