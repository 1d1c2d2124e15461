"""Creates the demo world: two brand holders with three-tier supply chains, intermediaries,
one user per role and workers across nationalities and languages. Only in demo mode."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts.models import ExpertKind, Role, User
from koe.accounts.services import staff_user_create, worker_register
from koe.cases import demo as cases_demo
from koe.organizations.corporate_number import corporate_number_check_digit
from koe.organizations.models import Organization, OrganizationKind
from koe.organizations.services import organization_create, supply_link_create
from koe.programmes import demo as programmes_demo
from koe.reach import demo as reach_demo
from koe.remedy import demo as remedy_demo
from koe.reports import demo as reports_demo
from koe.riskwatch import demo as riskwatch_demo
from koe.surveys.demo import publish_worker_selfcheck, seed_anonymous_responses

DEMO_PASSWORD = "koe-demo-2026"  # noqa: S105 - demo personas only; demo mode never runs in production
BH, SC = OrganizationKind.BRAND_HOLDER, OrganizationKind.SUPPLY_CHAIN

# (key, name, kind, prefecture, industry, buyer key, tier). Fictional companies.
ORGANIZATIONS = [
    ("sakura", "さくらフーズ株式会社 (Sakura Foods)", BH, "13", "E", None, 0),
    ("sakura_kako", "さくら食品加工株式会社", SC, "11", "E", "sakura", 1),
    ("minato", "湊パッキング株式会社", SC, "12", "E", "sakura", 1),
    ("aoba", "青葉農園有限会社", SC, "08", "A", "sakura_kako", 2),
    ("hokuto", "北斗水産株式会社", SC, "01", "B", "minato", 2),
    ("kaiun", "東海冷凍運輸株式会社", SC, "22", "H", "hokuto", 3),
    ("hikari", "ひかりアパレル株式会社 (Hikari Apparel)", BH, "27", "E", None, 0),
    ("gifu", "岐阜縫製株式会社", SC, "21", "E", "hikari", 1),
    ("mino", "美濃テキスタイル株式会社", SC, "21", "E", "gifu", 2),
    ("bishu", "尾州染工株式会社", SC, "23", "E", "mino", 3),
    ("kizuna", "きずな協同組合 (supervising organisation)", OrganizationKind.SUPERVISING, "13", "R", None, 0),
    ("mirai", "みらい登録支援センター", OrganizationKind.SUPPORT, "27", "R", None, 0),
]

ORGANIZATION_NAMES = {key: name for key, name, *_rest in ORGANIZATIONS}

STAFF: list[tuple[str, Role, dict[str, Any]]] = [
    ("operator", Role.OPERATOR, {}),
    ("supervisor", Role.SUPERVISOR, {"spoken_languages": ["ja", "en"]}),
    ("tran", Role.CONSULTANT, {"spoken_languages": ["vi", "ja", "en"]}),
    ("thiri", Role.CONSULTANT, {"spoken_languages": ["my", "ja"]}),
    ("sita", Role.CONSULTANT, {"spoken_languages": ["ne", "ja", "en"]}),
    ("lawyer", Role.EXPERT, {"expert_kind": ExpertKind.LAWYER}),
    ("auditor", Role.AUDITOR, {}),
    ("sakura_admin", Role.COMPANY, {"org": "sakura", "is_company_admin": True}),
    ("sakura_staff", Role.COMPANY, {"org": "sakura"}),
    ("gifu_admin", Role.COMPANY, {"org": "gifu", "is_company_admin": True}),
    ("hikari_admin", Role.COMPANY, {"org": "hikari", "is_company_admin": True}),
]

# (nickname, language, nationality)
WORKERS = [
    ("lan", "vi", "vn"), ("aung", "my", "mm"), ("bishnu", "ne", "np"), ("siti", "id", "id"),
    ("maria", "tl", "ph"), ("wei", "zh-hans", "cn"), ("joao", "pt-br", "br"), ("rosa", "es", "pe"),
]  # fmt: skip


def demo_corporate_number(index: int) -> str:
    base = f"{900000000000 + index * 7919:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


class Command(BaseCommand):
    help = "Load demo data (demo mode only) and print how to sign in as each persona."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.KOE_DEMO:
            raise CommandError("seed_demo only runs in demo mode (KOE_DEMO=1 with DEBUG=1).")
        if User.objects.filter(username="operator").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                organizations = self._organizations()
                self._staff(organizations)
                self._workers()
                self._selfcheck(organizations)
                self._company_due_diligence(organizations)
        self._print_personas()

    def _organizations(self) -> dict[str, Organization]:
        created: dict[str, Organization] = {}
        for index, (key, name, kind, prefecture, industry, buyer, tier) in enumerate(ORGANIZATIONS, 1):
            created[key] = organization_create(
                actor=None, name=name, kind=kind, corporate_number=demo_corporate_number(index),
                prefecture=prefecture, industry=industry,
            )  # fmt: skip
            if buyer:
                supply_link_create(actor=None, buyer=created[buyer], supplier=created[key], tier=tier)
        return created

    def _staff(self, organizations: dict[str, Organization]) -> None:
        for username, role, extra in STAFF:
            options = dict(extra)
            org_key = options.pop("org", None)
            user = staff_user_create(
                username=username, password=DEMO_PASSWORD, role=role,
                organization=organizations[org_key] if org_key else None, **options,
            )  # fmt: skip
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)

    def _workers(self) -> None:
        for nickname, language, nationality in WORKERS:
            worker_register(
                username=nickname, password=DEMO_PASSWORD, language=language,
                nationality=nationality, policy_version=settings.KOE_PRIVACY_POLICY_VERSION,
            )  # fmt: skip

    def _selfcheck(self, organizations: dict[str, Organization]) -> None:
        version = publish_worker_selfcheck()
        employers = [org for org in organizations.values() if org.kind == SC]
        seed_anonymous_responses(version, employers, count=160)

    def _company_due_diligence(self, organizations: dict[str, Organization]) -> None:
        """Programmes, 400 consultations over the past year, risk alerts, invite links, a shared case with corrective
        actions and the published dashboards, so every company page has something to show."""
        employers = [org for org in organizations.values() if org.kind == SC]
        desk = User.objects.get(username="tran")
        programmes_demo.seed(basic=organizations["sakura"], expansion=organizations["hikari"])
        cases_demo.seed_cases(employers=employers, consultant=desk)
        riskwatch_demo.seed(employers=[organizations[key] for key in ("sakura_kako", "hokuto", "gifu")])
        reach_demo.seed(employers=employers)
        remedy_demo.seed(
            worker=User.objects.get(username="lan"), employer=organizations["sakura_kako"],
            brand_holder=organizations["sakura"], consultant=desk,
            company_user=User.objects.get(username="sakura_admin"),
        )  # fmt: skip
        reports_demo.seed()

    def _print_personas(self) -> None:
        with translation.override("en"):
            self._print_persona_lines()

    def _print_persona_lines(self) -> None:
        write = self.stdout.write
        write("")
        write(f"Demo personas (password for all: {DEMO_PASSWORD})")
        for username, role, extra in STAFF:
            org = f" of {ORGANIZATION_NAMES[extra['org']]}" if "org" in extra else ""
            write(f"  {username:<14} {role.label}{org}  (2FA: manage.py demo_otp {username})")
        for nickname, language, _nationality in WORKERS:
            write(f"  {nickname:<14} worker, reads /{language}/")
        write("Staff sign in at /ja/account/login/; the second step asks for a code: print it with")
        write("  KOE_DEMO=1 DEBUG=1 .venv/bin/python manage.py demo_otp <user name>")
