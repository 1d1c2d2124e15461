"""Writes for reaching workers: invite links, and the link a worker keeps with their employer."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from koe.accounts.models import User, WorkerProfile
from koe.organizations.models import Organization, OrganizationKind
from koe.organizations.selectors import brand_holders_above
from koe.reach.models import InviteLink, WorkerEmployerLink


def campaign_brand_holder(*, actor: User, employer: Organization) -> Organization | None:
    """Whose campaign a new link belongs to (see ``InviteLink``).

    A brand holder's page makes links for its own campaign. A supply-chain company's own link
    belongs to its brand holder when it has exactly one: with several, naming one would let it
    count workers who also work for the others' products, so it names none.
    """
    own = actor.organization
    if own is not None and own.kind == OrganizationKind.BRAND_HOLDER:
        return own
    above = list(brand_holders_above(employer)[:2])
    return above[0] if len(above) == 1 else None


@transaction.atomic
def invite_link_get_or_create(*, actor: User, employer: Organization) -> InviteLink:
    """The live link for this employer and the actor's campaign, made on first asking.

    The caller has checked ``employer`` is in the actor's reach (``organization_in_reach``).
    """
    brand_holder = campaign_brand_holder(actor=actor, employer=employer)
    # Lock the employer row so that two clicks at once cannot make two links without brand holder.
    Organization.objects.select_for_update().filter(pk=employer.pk).first()
    link = InviteLink.objects.filter(
        employer=employer, brand_holder=brand_holder, revoked_at__isnull=True
    ).first()
    if link is None:
        link = InviteLink.objects.create(employer=employer, brand_holder=brand_holder, created_by=actor)
    return link


@transaction.atomic
def invite_link_revoke(*, actor: User, link: InviteLink) -> InviteLink:
    """From now on the link's token leads to a "no longer valid" page; printed posters go dead.

    Workers already linked through it stay linked: it was their choice, and only theirs to undo.
    """
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


@transaction.atomic
def worker_employer_link_create(*, actor: User, invite: InviteLink) -> WorkerEmployerLink:
    """The worker (``actor``) says the invite's employer is theirs; a previous employer link ends.

    Idempotent: a double tap gives the same link. The worker's row is locked so that two taps at once
    wait for each other; where that lock does not hold (SQLite), the unique constraint catches the
    second tap, which then returns the link the first one made.
    """
    User.objects.select_for_update().filter(pk=actor.pk).first()
    current = _current_link(actor)
    if current is not None and current.employer_id == invite.employer_id:
        return current
    if current is not None:
        _end(current)
    try:
        with transaction.atomic():
            link = WorkerEmployerLink.objects.create(
                worker=actor, employer=invite.employer, brand_holder=invite.brand_holder, invite=invite
            )
    except IntegrityError:
        current = _current_link(actor)
        if current is None or current.employer_id != invite.employer_id:
            raise
        return current
    profile, _created = WorkerProfile.objects.get_or_create(user=actor)
    profile.employer = invite.employer
    profile.save(update_fields=["employer"])
    return link


def _current_link(worker: User) -> WorkerEmployerLink | None:
    return (
        WorkerEmployerLink.objects.select_for_update().filter(worker=worker, removed_at__isnull=True).first()
    )


@transaction.atomic
def worker_employer_link_remove(*, actor: User, link: WorkerEmployerLink) -> None:
    """The worker ends the link: later self-checks carry no employer."""
    if link.worker_id != actor.pk or link.removed_at is not None:
        return
    _end(link)
    WorkerProfile.objects.filter(user=actor, employer=link.employer_id).update(employer=None)


def _end(link: WorkerEmployerLink) -> None:
    # Forget whose link it was; the row stays only so that past quarters' counts stay the same.
    link.worker, link.removed_at = None, timezone.now()
    link.save(update_fields=["worker", "removed_at"])
