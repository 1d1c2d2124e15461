"""Every write to organisations and supply-chain links.

``actor=None`` means the system itself (the demo loader, data imports run by the operator on the
command line); it is allowed everything and audited as "system".
"""

from collections import deque
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koe.accounts.models import Role
from koe.audit.services import audit_record
from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink
from koe.organizations.selectors import supply_chain_ids

# Every change to the supply-chain graph takes this PostgreSQL transaction-level advisory lock.
#
# Locking the rows of the two organisations being linked is not enough. A cycle can be closed by
# two links whose endpoints are all different: with C supplying B and A supplying D already
# recorded, one transaction adds "B supplies A" while another adds "D supplies C". Each checks
# the graph as it was before the other committed, finds no loop, and both commit:
# A <- B <- C <- D <- A. The rows that matter are the whole paths between the endpoints, including
# paths that do not exist yet, which no row lock can cover (only SERIALIZABLE's predicate locks or
# a lock on the graph as a whole). Links are written rarely, so one lock for the whole graph costs
# nothing noticeable. SQLite (demo) needs none: it lets one writer at a time into the whole file
# and refuses a write from a transaction whose reads are stale ("database is locked").
SUPPLY_GRAPH_ADVISORY_LOCK_ID = 0x6B6F6573  # "koes"

# Fields a company admin may change on their own organisation; the kind (brand holder or not)
# follows from the programme a company subscribes to, which the operator manages.
COMPANY_EDITABLE_FIELDS = frozenset(
    {"name", "corporate_number", "is_foreign", "prefecture", "address", "industry"}
)
ALL_EDITABLE_FIELDS = COMPANY_EDITABLE_FIELDS | {"kind"}
DUPLICATE_NUMBER_MESSAGE = gettext_lazy("An organisation with this corporate number is already registered.")
# Says nothing about the company's registration (name, suppliers): anyone can type any number.
HIDDEN_CHAIN_MESSAGE = gettext_lazy(
    "This company cannot be added to your supply chain here. Please ask the Koe secretariat."
)


def _lock_supply_graph() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SUPPLY_GRAPH_ADVISORY_LOCK_ID])


def _is_system_or_operator(actor: Any) -> bool:
    return actor is None or (actor.is_active and actor.role == Role.OPERATOR)


def _is_company_admin(actor: Any) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role == Role.COMPANY
        and actor.is_company_admin
        and actor.organization_id is not None
    )


def _company_scope(actor: Any) -> set[int]:
    """The organisations a company admin manages links for: their own and its whole chain."""
    return {actor.organization_id} | supply_chain_ids(actor.organization_id)


def _save_organization(organization: Organization, **save_kwargs: Any) -> None:
    """Saves, turning a unique-number race lost to another request into a form-friendly error."""
    try:
        with transaction.atomic():
            organization.save(**save_kwargs)
    except IntegrityError as error:
        raise ValidationError({"corporate_number": DUPLICATE_NUMBER_MESSAGE}) from error


def _refuse_taken_number(organization: Organization) -> None:
    """Says which field is wrong, where the model's conditional constraint would not."""
    number = organization.corporate_number
    taken = Organization.objects.filter(corporate_number=number).exclude(pk=organization.pk)
    if number and taken.exists():
        raise ValidationError({"corporate_number": DUPLICATE_NUMBER_MESSAGE})


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    corporate_number: str = "",
    is_foreign: bool = False,
    prefecture: str = "",
    address: str = "",
    industry: str = "",
) -> Organization:
    """Registers an organisation. Operators do; company admins do through ``supplier_register``."""
    if not (_is_system_or_operator(actor) or _is_company_admin(actor)):
        raise PermissionDenied
    organization = Organization(
        name=name.strip(), kind=kind, corporate_number=corporate_number, is_foreign=is_foreign,
        prefecture=prefecture, address=address.strip(), industry=industry,
        created_by_organization_id=None if _is_system_or_operator(actor) else actor.organization_id,
    )  # fmt: skip
    _refuse_taken_number(organization)
    organization.full_clean()
    _save_organization(organization)
    audit_record(actor=actor, action="organization.create", target=organization, detail={"kind": kind})
    return organization


def _may_update(actor: Any, organization: Organization, fields: set[str]) -> bool:
    if _is_system_or_operator(actor):
        return fields <= ALL_EDITABLE_FIELDS
    own = _is_company_admin(actor) and actor.organization_id == organization.pk
    return own and fields <= COMPANY_EDITABLE_FIELDS


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **changes: Any) -> Organization:
    """Changes the given fields (any of ``ALL_EDITABLE_FIELDS``) of ``organization``.

    Operators may change any organisation; a company admin only their own, and not its kind.
    """
    fields = set(changes)
    if fields - ALL_EDITABLE_FIELDS:
        raise TypeError(f"organization_update() cannot change {sorted(fields - ALL_EDITABLE_FIELDS)}")
    if not _may_update(actor, organization, fields):
        raise PermissionDenied
    for field, value in changes.items():
        setattr(organization, field, value.strip() if isinstance(value, str) else value)
    _refuse_taken_number(organization)
    organization.full_clean()
    _save_organization(organization, update_fields=sorted(fields) or None)
    audit_record(
        actor=actor, action="organization.update", target=organization, detail={"fields": sorted(fields)}
    )
    return organization


def _shortest_path(start: int, goal: int, within: set[int]) -> list[int]:
    """Organisation ids from ``start`` down its suppliers to ``goal`` (breadth first)."""
    edges: dict[int, list[int]] = {}
    for buyer_id, supplier_id in SupplyChainLink.objects.filter(buyer_id__in=within).values_list(
        "buyer_id", "supplier_id"
    ):
        edges.setdefault(buyer_id, []).append(supplier_id)
    previous: dict[int, int] = {}
    queue = deque([start])
    while queue and goal not in previous:
        current = queue.popleft()
        for supplier in edges.get(current, []):
            if supplier not in previous and supplier != start:
                previous[supplier] = current
                queue.append(supplier)
    path = [goal]
    while path[-1] != start:
        path.append(previous[path[-1]])
    return path[::-1]


def _loop_error(*, buyer: Organization, supplier: Organization, chain: set[int]) -> ValidationError:
    """Names the path by which ``buyer`` already supplies ``supplier``.

    Every organisation on that path is a supplier of ``supplier``; ``supply_link_create`` only lets
    a company admin use a supplier whose chain they can already see, so no hidden name leaks here.
    """
    path = _shortest_path(supplier.pk, buyer.pk, chain | {supplier.pk})
    between = path[1:-1]
    if not between:
        message = _("%(buyer)s already supplies %(supplier)s directly; a supply chain cannot loop back.")
        return ValidationError(message, code="cycle", params={"buyer": buyer.name, "supplier": supplier.name})
    names = dict(Organization.objects.filter(pk__in=between).values_list("pk", "name"))
    message = _("%(buyer)s already supplies %(supplier)s through %(path)s; a supply chain cannot loop back.")
    params = {
        "buyer": buyer.name,
        "supplier": supplier.name,
        "path": " → ".join(names[pk] for pk in reversed(between)),
    }
    return ValidationError(message, code="cycle", params=params)


def supply_link_check(*, buyer: Organization, supplier: Organization) -> None:
    """Raises ``ValidationError`` if ``supplier`` cannot become a direct supplier of ``buyer``.

    Call it under the graph lock to rely on the answer; the admin also calls it early, for a
    friendly form error.
    """
    if supplier.pk == buyer.pk:
        raise ValidationError(_("An organisation cannot supply itself."), code="cycle")
    chain = supply_chain_ids(supplier.pk)
    if buyer.pk in chain:
        raise _loop_error(buyer=buyer, supplier=supplier, chain=chain)
    if SupplyChainLink.objects.filter(buyer=buyer, supplier=supplier).exists():
        raise ValidationError(
            _("%(supplier)s is already registered as a supplier of %(buyer)s."),
            code="duplicate",
            params={"buyer": buyer.name, "supplier": supplier.name},
        )


def _require_may_link(actor: Any, buyer: Organization) -> None:
    if _is_system_or_operator(actor):
        return
    if not _is_company_admin(actor) or buyer.pk not in _company_scope(actor):
        raise PermissionDenied


def _refuse_hidden_chain(actor: Any, supplier: Organization) -> None:
    """A company admin may link an organisation already on Koe only if that reveals no one else.

    Visibility follows links, so linking an organisation that has suppliers of its own would show
    the admin a chain that other companies registered (possibly a competitor's whole supply chain,
    found by a corporate number anyone can look up). The operator can make such a link.
    """
    if _is_system_or_operator(actor) or supplier.pk in _company_scope(actor):
        return
    if SupplyChainLink.objects.filter(buyer=supplier).exists():
        raise ValidationError(HIDDEN_CHAIN_MESSAGE, code="has_chain")


@transaction.atomic
def supply_link_create(
    *, actor: Any, buyer: Organization, supplier: Organization, tier: int
) -> SupplyChainLink:
    """Records that ``supplier`` supplies ``buyer`` at ``tier``, refusing any loop.

    Company admins may add links only below their own organisation (the buyer is their own
    organisation or one of its transitive suppliers); anyone else gets ``PermissionDenied``.
    """
    _lock_supply_graph()  # before the checks, so that they see the graph as it will be written
    _require_may_link(actor, buyer)
    _refuse_hidden_chain(actor, supplier)
    supply_link_check(buyer=buyer, supplier=supplier)
    link = SupplyChainLink(buyer=buyer, supplier=supplier, tier=tier)
    link.full_clean()
    link.save()
    detail = {"buyer_id": buyer.pk, "supplier_id": supplier.pk, "tier": tier}
    audit_record(actor=actor, action="supply_link.create", target=link, detail=detail)
    return link


@transaction.atomic
def supply_link_update(*, actor: Any, link: SupplyChainLink, tier: int) -> SupplyChainLink:
    """Changes the tier a buyer declares for its supplier (the graph itself does not change)."""
    _require_may_link(actor, link.buyer)
    link.tier = tier
    link.full_clean()
    link.save(update_fields=["tier"])
    audit_record(actor=actor, action="supply_link.update", target=link, detail={"tier": tier})
    return link


@transaction.atomic
def supply_link_delete(*, actor: Any, link: SupplyChainLink) -> None:
    """Removes a link. Removing can never close a loop, so it needs no graph lock."""
    _require_may_link(actor, link.buyer)
    detail = {"buyer_id": link.buyer_id, "supplier_id": link.supplier_id, "tier": link.tier}
    audit_record(actor=actor, action="supply_link.delete", target=link, detail=detail)
    link.delete()


def audit_existing_linked(*, actor: Any, organization: Organization, buyer: Organization) -> None:
    """Records that an organisation someone else registered joined ``buyer``'s chain, so that the
    operator can see who claimed which company (its first admin comes only from the operator)."""
    detail = {"buyer_id": buyer.pk, "created_by_organization_id": organization.created_by_organization_id}
    audit_record(actor=actor, action="organization.link_existing", target=organization, detail=detail)


@transaction.atomic
def supplier_register(
    *, actor: Any, buyer: Organization, tier: int, **organization: Any
) -> tuple[Organization, bool]:
    """Adds a supplier below ``buyer``, reusing the organisation already registered under the same
    corporate number rather than creating a duplicate. Returns it and whether it was created.

    ``organization`` holds ``organization_create``'s fields except ``kind``.
    """
    _lock_supply_graph()  # also serialises look-up-or-create for the same corporate number
    _require_may_link(actor, buyer)
    number = organization.get("corporate_number", "")
    existing = Organization.objects.filter(corporate_number=number).first() if number else None
    if existing is not None:
        supply_link_create(actor=actor, buyer=buyer, supplier=existing, tier=tier)
        audit_existing_linked(actor=actor, organization=existing, buyer=buyer)
        return existing, False
    created = organization_create(actor=actor, kind=OrganizationKind.SUPPLY_CHAIN, **organization)
    supply_link_create(actor=actor, buyer=buyer, supplier=created, tier=tier)
    return created, True
