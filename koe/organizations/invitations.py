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
from koe.organizations.models import Invitation, Organization, OrganizationKind
from koe.organizations.selectors import supply_chain_ids
from koe.organizations.services import _is_company_admin

logger = logging.getLogger(__name__)

TOKEN_PURPOSE = "company_invitation"  # noqa: S105 - names the hash, not a secret
VALID_FOR = timedelta(days=7)


class InvitationInvalid(ValueError):
    """Unknown, expired, used or revoked: the person accepting is told the same in every case."""


def token_hash(token: str) -> str:
    return blind_index(token, TOKEN_PURPOSE)


def invitable_organizations(actor: Any) -> QuerySet[Organization]:
    """Where ``actor`` may invite: their own organisation; for a brand-holder admin also each
    company of its supply chain that has no user yet (its first user, who becomes its admin)."""
    if not _is_company_admin(actor):
        return Organization.objects.none()
    own = Q(pk=actor.organization_id)
    if actor.organization.kind != OrganizationKind.BRAND_HOLDER:
        return Organization.objects.filter(own)
    chain = Organization.objects.filter(pk__in=supply_chain_ids(actor.organization_id)).exclude(
        users__is_active=True
    )
    return Organization.objects.filter(own | Q(pk__in=chain.values("pk"))).order_by("name")


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
    invitations = Invitation.objects.select_related("organization")
    if for_update:
        invitations = invitations.select_for_update()
    invitation = open_invitations(invitations).filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationInvalid
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Creates the invited company user (``UsernameTakenError`` or a password ``ValidationError``
    leave the invitation open) and closes the invitation."""
    invitation = invitation_by_token(token, for_update=True)
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
    return user
