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
from koe.organizations.invitations import invitable_organizations, invitation_create, token_hash
from koe.organizations.models import Invitation
from koe.organizations.tests.factories import link, make_org

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
    supplier = make_org("Nagoya Boxes")
    link(personas.org_a1, supplier, tier=2)
    path = invite(personas, django_capture_on_commit_callbacks, organization=supplier.pk)
    accept(path)
    user = User.objects.get(username="hanako")
    assert user.organization == supplier and user.is_company_admin
    assert supplier not in invitable_organizations(personas.admin_a)  # it has its user now


def test_nobody_invites_outside_their_reach(personas: Personas) -> None:
    supplier = make_org("Nagoya Boxes")
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
