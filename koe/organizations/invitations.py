"""Company admins inviting colleagues, and a brand holder inviting a supplier's first user.

An invitation is a link with a random token, e-mailed in the language the admin chose. Koe keeps
only a keyed hash of the token (a database dump holds no usable link); the link works once,
for seven days, until it is revoked. Accepting it creates a company user through the accounts
services; that user then sets up two-factor authentication before seeing anything.
"""

import logging
import secrets
import smtplib
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from koe.accounts.models import Role, User
from koe.accounts.services import staff_user_create
from koe.audit.services import audit_record
from koe.core.crypto import blind_index
from koe.core.links import site_link
from koe.organizations.models import Invitation, Organization, OrganizationKind, SupplyChainLink
from koe.organizations.selectors import supply_chain_ids
from koe.organizations.services import _is_company_admin

logger = logging.getLogger(__name__)

TOKEN_PURPOSE = "company_invitation"  # noqa: S105 - names the hash, not a secret
VALID_FOR = timedelta(days=7)


class InvitationInvalid(ValueError):
    """Unknown, expired, used or revoked: the person accepting is told the same in every case."""


def token_hash(token: str) -> str:
    return blind_index(token, TOKEN_PURPOSE)


def first_user_targets(sender: Organization) -> set[int]:
    """The companies whose first user ``sender`` may invite: for a brand holder, each company of
    its supply chain that has no user yet, that it registered itself, and that no buyer outside
    its chain has linked.

    Corporate numbers are public, so any buyer can link a company that is already on Koe; that
    must not make it the company's admin (who would then see what other chains share with it).
    The first user of a company someone else registered is invited by the operator.
    """
    if sender.kind != OrganizationKind.BRAND_HOLDER:
        return set()
    scope = supply_chain_ids(sender.pk) | {sender.pk}
    registered = Organization.objects.filter(created_by_organization_id=sender.pk).exclude(
        users__is_active=True
    )
    candidates = set(registered.values_list("pk", flat=True)) & scope
    buyers = SupplyChainLink.objects.filter(supplier_id__in=candidates).values_list("supplier_id", "buyer_id")
    return candidates - {supplier for supplier, buyer in buyers if buyer not in scope}


def invitable_organizations(actor: Any) -> QuerySet[Organization]:
    """Where ``actor`` may invite: their own organisation and, for a brand-holder admin, the
    companies of ``first_user_targets`` (their first user becomes their admin)."""
    if not _is_company_admin(actor):
        return Organization.objects.none()
    targets = first_user_targets(actor.organization)
    return Organization.objects.filter(Q(pk=actor.organization_id) | Q(pk__in=targets)).order_by("name")


def invitations_visible_to(actor: Any) -> QuerySet[Invitation]:
    """Invitations to the admin's organisation, and those it sent to its suppliers."""
    if not _is_company_admin(actor):
        return Invitation.objects.none()
    own = actor.organization_id
    return Invitation.objects.filter(Q(organization_id=own) | Q(sent_by_organization_id=own)).select_related(
        "organization"
    )


def open_invitations(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return invitations.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


def invitation_link(token: str, language: str) -> str:
    with translation.override(language):
        return site_link(reverse("organizations:accept_invitation", args=[token]))


@transaction.atomic
def invitation_create(
    *, actor: Any, organization: Organization, email: str, is_admin: bool, language: str
) -> tuple[Invitation, str]:
    """Invites ``email`` to ``organization``; returns the invitation and its token (for the e-mail
    only: the token is never stored)."""
    if not invitable_organizations(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied
    if organization.pk != actor.organization_id:
        is_admin = True  # a supplier's first user manages its own colleagues from then on
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization, sent_by_organization_id=actor.organization_id, invited_by=actor,
        email=email.strip(), is_admin=is_admin, language=language, token_hash=token_hash(token),
        expires_at=timezone.now() + VALID_FOR,
    )  # fmt: skip
    audit_record(actor=actor, action="invitation.create", target=invitation,
                 detail={"organization_id": organization.pk, "is_admin": is_admin})  # fmt: skip
    # Sent after the commit, from this process: a task would store the token in its arguments.
    transaction.on_commit(partial(_send, invitation.pk, token))
    return invitation, token


def invitation_email(invitation: Invitation, token: str) -> tuple[str, str]:
    with translation.override(invitation.language):
        subject = gettext("You are invited to Koe")
        body = render_to_string(
            "organizations/email/invitation.txt",
            {"invitation": invitation, "url": invitation_link(token, invitation.language)},
        )
    return subject, body


def _send(invitation_id: int, token: str) -> int:
    invitation = Invitation.objects.select_related("organization", "sent_by_organization").get(
        pk=invitation_id
    )
    subject, body = invitation_email(invitation, token)
    try:
        return send_mail(subject, body, None, [invitation.email])
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Invitation %s could not be sent: %s", invitation.pk, type(error).__name__)
        return 0


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    if not invitations_visible_to(actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", target=invitation)
    return invitation


def invitation_by_token(token: str, *, for_update: bool = False) -> Invitation:
    """The open invitation for ``token``; ``InvitationInvalid`` for anything else."""
    invitations = Invitation.objects.select_related("organization", "sent_by_organization")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))  # the organisation: see below
    invitation = open_invitations(invitations).filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationInvalid
    _refuse_if_claimed(invitation, lock=for_update)
    return invitation


def _refuse_if_claimed(invitation: Invitation, *, lock: bool) -> None:
    """Checks a first-user invitation again when it is used: the company may have got its own
    user since (then only its own admins invite), or joined another chain. ``lock`` locks the
    organisation, so that two first-user invitations cannot both be accepted."""
    organizations = Organization.objects.select_for_update() if lock else Organization.objects
    organization = organizations.get(pk=invitation.organization_id)
    if invitation.sent_by_organization_id == organization.pk:
        return
    if organization.pk not in first_user_targets(invitation.sent_by_organization):
        raise InvitationInvalid


def _revoke_outside_invitations(invitation: Invitation, user: User) -> None:
    """The company's first user manages its colleagues from now on: other companies' invitations
    to it stop working."""
    others = open_invitations(Invitation.objects.filter(organization_id=invitation.organization_id))
    others = others.exclude(pk=invitation.pk).exclude(sent_by_organization_id=invitation.organization_id)
    revoked = list(others.values_list("pk", flat=True))
    if revoked:
        others.update(revoked_at=timezone.now())
        audit_record(actor=user, action="invitation.revoke_outside", target=invitation.organization,
                     detail={"invitations": revoked})  # fmt: skip


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Creates the invited company user (``UsernameTakenError`` or a password ``ValidationError``
    leave the invitation open) and closes the invitation."""
    invitation = invitation_by_token(token, for_update=True)  # also locks the organisation
    first_user = not invitation.organization.users.filter(is_active=True).exists()
    user = staff_user_create(
        username=username, password=password, role=Role.COMPANY, organization=invitation.organization,
        is_company_admin=invitation.is_admin, language=invitation.language,
    )  # fmt: skip
    user.email = invitation.email
    user.save(update_fields=["email"])
    invitation.accepted_at, invitation.accepted_user = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(actor=user, action="invitation.accept", target=invitation,
                 detail={"invited_by": invitation.invited_by_id})  # fmt: skip
    if first_user:
        _revoke_outside_invitations(invitation, user)
    return user
