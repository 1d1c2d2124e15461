"""Reads for reaching workers, scoped to the acting user.

Scope: a brand holder reaches its whole supply chain, any other company only itself. A brand
holder sees the links of its chain made by itself or by the company (never those another brand
holder made for a supplier both share); a company sees every link for itself.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from koe.accounts.models import User
from koe.organizations.models import Organization, OrganizationKind
from koe.organizations.selectors import companies_in_view
from koe.reach.models import InviteLink, WorkerEmployerLink

SESSION_KEY = "reach_invite"  # the invite link a worker came through, by id, until the session ends


def reach_scope_ids(user: User) -> set[int]:
    return companies_in_view(user.organization) if user.organization is not None else set()


def organizations_in_reach(user: User) -> QuerySet[Organization]:
    """The companies this user may make links for, their own first, then by name."""
    return Organization.objects.filter(pk__in=reach_scope_ids(user)).order_by("name")


def organization_in_reach(user: User, organization_id: int) -> Organization:
    return get_object_or_404(Organization, pk=organization_id, pk__in=reach_scope_ids(user))


def invite_links_visible_to(user: User) -> QuerySet[InviteLink]:
    links = InviteLink.objects.select_related("employer", "brand_holder")
    own = user.organization
    if own is None:
        return links.none()
    if own.kind != OrganizationKind.BRAND_HOLDER:
        return links.filter(employer=own)
    theirs_or_ours = Q(brand_holder=own) | Q(brand_holder__isnull=True) | Q(employer=own)
    return links.filter(theirs_or_ours, employer__in=reach_scope_ids(user))


def invite_link_for(user: User, link_id: int) -> InviteLink:
    """One link this user may see; another chain's link is a 404."""
    return get_object_or_404(invite_links_visible_to(user), pk=link_id)


def live_invite(token: str) -> InviteLink | None:
    """The live link with this token, or None for an unknown or revoked one."""
    return InviteLink.objects.select_related("employer").filter(token=token, revoked_at__isnull=True).first()


def invite_in_session(request: HttpRequest) -> InviteLink | None:
    """The live link this browser came through, remembered when the worker chose what to do."""
    link_id = request.session.get(SESSION_KEY)
    if not isinstance(link_id, int):
        return None
    return InviteLink.objects.select_related("employer").filter(pk=link_id, revoked_at__isnull=True).first()


def invited_employer(request: HttpRequest) -> Organization | None:
    """The employer an anonymous self-check is counted for: the one whose link was followed."""
    link = invite_in_session(request)
    return link.employer if link else None


def current_employer_links(worker: User) -> QuerySet[WorkerEmployerLink]:
    return WorkerEmployerLink.objects.select_related("employer").filter(
        worker=worker, removed_at__isnull=True
    )


def employer_link_of(worker: User, public_id: UUID) -> WorkerEmployerLink:
    found = current_employer_links(worker).filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found
