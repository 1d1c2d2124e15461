"""The people every test can call on: two unrelated brand holders with their supply chains,
a supervising organisation, the desk, and one user per role (after healthchecks' alice/bob).

    brand holder A "Sakura Foods"  ← tier 1 "Sakura Packing" ← tier 2 "Minato Farm"
    brand holder B "Hikari Apparel" ← tier 1 "Hikari Sewing"
    supervising organisation "Kizuna Cooperative" (no supply-chain link)
"""

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts.models import ExpertKind, Role, User
from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink

PASSWORD = "correct horse battery staple"  # noqa: S105 - test personas only

# Valid corporate numbers (the first digit is the check digit over the other twelve).
CORPORATE_NUMBERS = {
    "a": "7010001000000",
    "a1": "6010001000001",
    "a2": "5010001000002",
    "b": "4010001000003",
    "b1": "3010001000004",
    "s": "2010001000005",
}


@dataclass
class Personas:
    org_a: Organization
    org_a1: Organization
    org_a2: Organization
    org_b: Organization
    org_b1: Organization
    org_s: Organization
    worker: User
    consultant: User
    supervisor: User
    expert: User
    auditor: User
    operator: User
    admin_a: User
    user_a: User
    user_a1: User
    user_a2: User
    admin_b: User
    user_b1: User


def make_organization(key: str, name: str, kind: str) -> Organization:
    return Organization.objects.create(
        name=name, kind=kind, corporate_number=CORPORATE_NUMBERS[key], prefecture="13", industry="E"
    )


def make_user(username: str, role: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)
    if user.needs_two_factor:
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def build_personas() -> Personas:
    bh, sc = OrganizationKind.BRAND_HOLDER, OrganizationKind.SUPPLY_CHAIN
    orgs = {
        "org_a": make_organization("a", "Sakura Foods", bh),
        "org_a1": make_organization("a1", "Sakura Packing", sc),
        "org_a2": make_organization("a2", "Minato Farm", sc),
        "org_b": make_organization("b", "Hikari Apparel", bh),
        "org_b1": make_organization("b1", "Hikari Sewing", sc),
        "org_s": make_organization("s", "Kizuna Cooperative", OrganizationKind.SUPERVISING),
    }
    SupplyChainLink.objects.create(buyer=orgs["org_a"], supplier=orgs["org_a1"], tier=1)
    SupplyChainLink.objects.create(buyer=orgs["org_a1"], supplier=orgs["org_a2"], tier=2)
    SupplyChainLink.objects.create(buyer=orgs["org_b"], supplier=orgs["org_b1"], tier=1)
    company = Role.COMPANY
    users = {
        "worker": make_user("worker", Role.WORKER, language="vi"),
        "consultant": make_user("consultant", Role.CONSULTANT, spoken_languages=["ja", "vi"]),
        "supervisor": make_user("supervisor", Role.SUPERVISOR, spoken_languages=["ja", "en"]),
        "expert": make_user("expert", Role.EXPERT, expert_kind=ExpertKind.LAWYER),
        "auditor": make_user("auditor", Role.AUDITOR),
        "operator": make_user("operator", Role.OPERATOR, is_staff=True, is_superuser=True),
        "admin_a": make_user("admin_a", company, organization=orgs["org_a"], is_company_admin=True),
        "user_a": make_user("user_a", company, organization=orgs["org_a"]),
        "user_a1": make_user("user_a1", company, organization=orgs["org_a1"], is_company_admin=True),
        "user_a2": make_user("user_a2", company, organization=orgs["org_a2"]),
        "admin_b": make_user("admin_b", company, organization=orgs["org_b"], is_company_admin=True),
        "user_b1": make_user("user_b1", company, organization=orgs["org_b1"], is_company_admin=True),
    }
    return Personas(**orgs, **users)  # type: ignore[arg-type]


def verified_client(user: User) -> Client:
    """A client signed in as ``user`` who has also passed two-factor authentication.

    Its browser asks for English, which only matters on language-neutral URLs such as /admin/.
    """
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def password_only_client(user: User) -> Client:
    """A client signed in with the password but not (yet) with the second factor."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client
