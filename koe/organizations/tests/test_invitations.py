"""Company admins invite colleagues; a brand holder invites a supplier's first user."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from koe.accounts.models import Role, User
from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas, verified_client
from koe.organizations.invitations import (
    InvitationInvalid,
    invitable_organizations,
    invitation_accept,
    invitation_create,
    token_hash,
)
from koe.organizations.models import Invitation, Organization
from koe.organizations.services import organization_create, supplier_register
from koe.organizations.tests.factories import corporate_number, link, make_org

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def invite(personas: Personas, callbacks: Any, *, actor: User | None = None, **changes: Any) -> str:
    """Sends an invitation through the page; returns the link from the e-mail."""
    data = {"email": "hanako@example.jp", "organization": personas.org_a.pk, "language": "en", **changes}
    with callbacks(execute=True):
        response = verified_client(actor or personas.admin_a).post("/en/company/users/invite/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    found = re.search(r"/\S+/company/invitation/\S+/", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(0)


def accept(link_path: str, username: str = "hanako", client: Client | None = None) -> Any:
    client = client or Client()
    data = {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(link_path, data)


def test_an_invited_colleague_creates_an_account_and_is_sent_to_two_factor_setup(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    path = invite(personas, django_capture_on_commit_callbacks, is_admin="on", language="vi")
    assert path.startswith("/vi/company/invitation/")
    assert mail.outbox[0].to == ["hanako@example.jp"]
    client = Client()
    assert "Sakura Foods" in client.get(path).content.decode()
    response = accept(path, client=client)
    assert response.status_code == 302 and response["Location"].endswith("/account/two-factor/")
    user = User.objects.get(username="hanako")
    assert (user.role, user.organization, user.is_company_admin, user.email, user.language) == (
        Role.COMPANY, personas.org_a, True, "hanako@example.jp", "vi"
    )  # fmt: skip
    assert client.get("/en/company/").status_code == 302  # signed in, but not past the second factor yet
    assert AuditEntry.objects.filter(action="invitation.accept").exists()


def test_only_a_hash_of_the_token_is_stored(personas: Personas) -> None:
    invitation, token = invitation_create(
        actor=personas.admin_a,
        organization=personas.org_a,
        email="a@example.jp",
        is_admin=False,
        language="ja",
    )
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash


def test_an_invitation_works_only_once(personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    path = invite(personas, django_capture_on_commit_callbacks)
    accept(path)
    response = accept(path, username="someone_else")
    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    assert not User.objects.filter(username="someone_else").exists()


def test_an_expired_revoked_or_unknown_link_gets_the_same_answer(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    expired = invite(personas, django_capture_on_commit_callbacks, email="old@example.jp")
    Invitation.objects.filter(email="old@example.jp").update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = invite(personas, django_capture_on_commit_callbacks, email="gone@example.jp")
    invitation = Invitation.objects.get(email="gone@example.jp")
    verified_client(personas.admin_a).post(f"/en/company/users/invitations/{invitation.pk}/revoke/")
    paths = (expired, revoked, "/en/company/invitation/nonsense/")
    # The same page but for the links to itself (the language picker's).
    answers = {re.sub(r"invitation/[^/]+/", "", Client().get(path).content.decode()) for path in paths}
    assert len(answers) == 1 and "does not work" in answers.pop()
    assert accept(expired).status_code == 404 and not User.objects.filter(username="hanako").exists()


def test_an_invitation_expires_after_seven_days(personas: Personas) -> None:
    invitation, _token = invitation_create(
        actor=personas.admin_a,
        organization=personas.org_a,
        email="a@example.jp",
        is_admin=False,
        language="ja",
    )
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)


def test_a_weak_password_or_taken_name_keeps_the_invitation_open(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    path = invite(personas, django_capture_on_commit_callbacks)
    weak = Client().post(path, {"username": "hanako", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    taken = accept(path, username="admin_a")
    assert taken.status_code == 200 and "already taken" in taken.content.decode()
    assert accept(path).status_code == 302


def test_a_brand_holder_admin_invites_the_first_user_of_a_supplier_as_its_admin(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = make_org("Nagoya Boxes", created_by_organization=personas.org_a)
    link(personas.org_a1, supplier, tier=2)
    path = invite(personas, django_capture_on_commit_callbacks, organization=supplier.pk)
    accept(path)
    user = User.objects.get(username="hanako")
    assert user.organization == supplier and user.is_company_admin
    assert supplier not in invitable_organizations(personas.admin_a)  # it has its user now


def test_nobody_invites_outside_their_reach(personas: Personas) -> None:
    supplier = make_org("Nagoya Boxes", created_by_organization=personas.org_a)
    link(personas.org_a1, supplier, tier=2)
    assert set(invitable_organizations(personas.admin_a)) == {personas.org_a, supplier}
    assert set(invitable_organizations(personas.admin_b)) == {personas.org_b}
    assert set(invitable_organizations(personas.user_a1)) == {personas.org_a1}  # not a brand holder
    assert not invitable_organizations(personas.user_a).exists()  # not an admin
    for actor, target in [(personas.admin_b, personas.org_a), (personas.admin_b, supplier),
                          (personas.user_a1, supplier), (personas.user_a, personas.org_a),
                          (personas.admin_a, personas.org_a1)]:  # fmt: skip
        with pytest.raises(PermissionDenied):
            invitation_create(
                actor=actor, organization=target, email="x@example.jp", is_admin=False, language="ja"
            )


def test_the_invite_form_refuses_another_companys_organisation(personas: Personas) -> None:
    data = {"email": "x@example.jp", "organization": personas.org_a.pk, "language": "ja"}
    response = verified_client(personas.admin_b).post("/en/company/users/invite/", data)
    assert response.status_code == 200 and not Invitation.objects.exists()


def test_a_company_user_who_is_not_an_admin_cannot_invite_or_see_the_users(personas: Personas) -> None:
    client = verified_client(personas.user_a)
    assert client.get("/en/company/users/").status_code == 404
    assert client.get("/en/company/users/invite/").status_code == 404


def test_the_users_page_lists_colleagues_and_open_invitations_and_revokes_them(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    invite(personas, django_capture_on_commit_callbacks)
    client = verified_client(personas.admin_a)
    page = client.get("/en/company/users/").content.decode()
    assert "user_a" in page and "hanako@example.jp" in page and "user_b1" not in page
    invitation = Invitation.objects.get()
    assert (
        verified_client(personas.admin_b)
        .post(f"/en/company/users/invitations/{invitation.pk}/revoke/")
        .status_code
        == 404
    )
    client.post(f"/en/company/users/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "hanako@example.jp" not in client.get("/en/company/users/").content.decode()


def test_a_signed_in_person_is_asked_to_sign_out_before_accepting(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    path = invite(personas, django_capture_on_commit_callbacks)
    response = accept(path, client=verified_client(personas.user_b1))
    assert response.status_code == 200 and "sign out first" in response.content.decode()
    assert not User.objects.filter(username="hanako").exists()


def register(actor: User, buyer: Organization, number: str, name: str = "Umi Fishery") -> Organization:
    return supplier_register(actor=actor, buyer=buyer, tier=1, name=name, corporate_number=number)[0]


def invite_first_user(actor: User, organization: Organization, email: str = "first@example.jp") -> str:
    return invitation_create(
        actor=actor, organization=organization, email=email, is_admin=True, language="en"
    )[1]


def test_a_brand_holder_may_invite_the_first_user_of_a_supplier_it_registered(personas: Personas) -> None:
    supplier = register(personas.admin_a, personas.org_a2, corporate_number())
    assert supplier.created_by_organization == personas.org_a
    assert supplier in invitable_organizations(personas.admin_a)


def test_another_brand_holder_cannot_claim_a_registered_supplier_by_its_public_number(
    personas: Personas,
) -> None:
    supplier = register(personas.admin_a, personas.org_a2, corporate_number())
    # Hikari knows only the corporate number, and links the company into its own chain.
    assert register(personas.admin_b, personas.org_b, supplier.corporate_number, name="anything") == supplier
    assert supplier not in invitable_organizations(personas.admin_b)
    with pytest.raises(PermissionDenied):
        invite_first_user(personas.admin_b, supplier)
    entry = AuditEntry.objects.get(action="organization.link_existing")
    assert (entry.actor_id, entry.object_id) == (personas.admin_b.pk, str(supplier.pk))


def test_a_company_registered_by_the_operator_gets_its_first_user_from_the_operator_only(
    personas: Personas,
) -> None:
    supplier = organization_create(
        actor=personas.operator, name="Umi Fishery", kind="supply_chain", corporate_number=corporate_number()
    )
    link(personas.org_a, supplier)
    assert supplier.created_by_organization is None
    assert supplier not in invitable_organizations(personas.admin_a)


def test_a_brand_holder_cannot_invite_into_its_own_registration_once_another_chain_uses_it(
    personas: Personas,
) -> None:
    # Hikari registers Sakura's supplier first, before Sakura does.
    supplier = register(personas.admin_b, personas.org_b, corporate_number())
    register(personas.admin_a, personas.org_a, supplier.corporate_number)
    assert supplier not in invitable_organizations(personas.admin_b)
    assert supplier not in invitable_organizations(personas.admin_a)


def test_the_invite_page_says_that_the_secretariat_invites_companies_registered_by_others(
    personas: Personas,
) -> None:
    page = verified_client(personas.admin_a).get("/en/company/users/invite/").content.decode()
    assert "gets its first user from the Koe secretariat" in page


def test_a_pending_first_user_invitation_stops_working_once_the_company_has_its_user(
    personas: Personas,
) -> None:
    supplier = register(personas.admin_a, personas.org_a, corporate_number())
    first = invite_first_user(personas.admin_a, supplier, "real@example.jp")
    late = invite_first_user(personas.admin_a, supplier, "late@example.jp")
    invitation_accept(token=first, username="real_admin", password=NEW_PASSWORD)
    Invitation.objects.filter(email="late@example.jp").update(revoked_at=None)  # even were it still open
    response = accept(f"/en/company/invitation/{late}/", username="late_admin")
    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert Client().get(f"/en/company/invitation/{late}/").status_code == 404
    assert not User.objects.filter(username="late_admin").exists()


def test_the_first_user_revokes_the_invitations_other_companies_sent_to_it(personas: Personas) -> None:
    supplier = register(personas.admin_a, personas.org_a, corporate_number())
    first = invite_first_user(personas.admin_a, supplier, "real@example.jp")
    invite_first_user(personas.admin_a, supplier, "other@example.jp")
    user = invitation_accept(token=first, username="real_admin", password=NEW_PASSWORD)
    assert Invitation.objects.get(email="other@example.jp").revoked_at is not None
    # The company's own admin invites colleagues as before.
    colleague = invitation_create(actor=user, organization=supplier, email="c@example.jp", is_admin=False,
                                  language="en")[1]  # fmt: skip
    assert (
        invitation_accept(token=colleague, username="colleague", password=NEW_PASSWORD).organization
        == supplier
    )


def test_a_first_user_invitation_stops_working_when_another_chain_links_the_company(
    personas: Personas,
) -> None:
    # Hikari registers a company Sakura will use, and invites its own person at once.
    supplier = register(personas.admin_b, personas.org_b, corporate_number())
    token = invite_first_user(personas.admin_b, supplier)
    register(personas.admin_a, personas.org_a, supplier.corporate_number)
    with pytest.raises(InvitationInvalid):
        invitation_accept(token=token, username="b_spy", password=NEW_PASSWORD)
    assert not User.objects.filter(username="b_spy").exists()
