"""Staff accounts, password hashing, and the demo-only two-factor helper."""

import sys
from io import StringIO

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts.models import Role
from koe.accounts.services import UsernameTakenError, staff_user_create, user_set_language
from koe.audit.models import AuditEntry
from koe.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2_first() -> None:
    # The test settings swap in a fast hasher; the real settings module must not.
    production = sys.modules["config.settings"]
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher().encode("a password", "somesalt12345678").startswith("argon2$")


def test_staff_user_create_makes_an_audited_company_user(personas) -> None:
    user = staff_user_create(
        username="sakura_hr", password=PASSWORD, role=Role.COMPANY, organization=personas.org_a,
        is_company_admin=True, actor=personas.operator,
    )  # fmt: skip
    assert user.needs_two_factor and user.is_company_admin and user.organization == personas.org_a
    assert not user.is_staff
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.actor_id == personas.operator.pk and entry.object_id == str(user.pk)


def test_operators_get_the_admin_and_desk_staff_do_not() -> None:
    operator = staff_user_create(username="op2", password=PASSWORD, role=Role.OPERATOR)
    consultant = staff_user_create(
        username="tran", password=PASSWORD, role=Role.CONSULTANT, spoken_languages=["vi", "ja"]
    )
    assert operator.is_staff and operator.is_superuser
    assert not consultant.is_staff and consultant.spoken_languages == ["vi", "ja"]


@pytest.mark.parametrize(
    ("role", "with_organization"),
    [(Role.WORKER, False), (Role.COMPANY, False), (Role.CONSULTANT, True)],
)
def test_staff_user_create_refuses_inconsistent_accounts(
    personas, role: Role, with_organization: bool
) -> None:
    with pytest.raises(ValueError):
        staff_user_create(
            username="someone", password=PASSWORD, role=role,
            organization=personas.org_a if with_organization else None,
        )  # fmt: skip


def test_staff_user_create_refuses_weak_passwords_and_taken_names(personas) -> None:
    with pytest.raises(ValidationError):
        staff_user_create(username="weak", password="password", role=Role.AUDITOR)
    with pytest.raises(UsernameTakenError):
        staff_user_create(username="CONSULTANT", password=PASSWORD, role=Role.AUDITOR)


def test_user_set_language_refuses_languages_koe_does_not_speak(personas) -> None:
    with pytest.raises(ValueError):
        user_set_language(user=personas.worker, language="fr")


@override_settings(KOE_DEMO=False)
def test_demo_otp_refuses_outside_demo_mode(personas) -> None:
    with pytest.raises(CommandError, match="demo_otp is only available in demo mode"):
        call_command("demo_otp", "consultant")


@override_settings(KOE_DEMO=True)
def test_demo_otp_prints_the_current_code_in_demo_mode(personas) -> None:
    device = TOTPDevice.objects.get(user=personas.consultant)
    out = StringIO()
    call_command("demo_otp", "consultant", stdout=out)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    near_now = {f"{hotp(device.bin_key, step):06d}" for step in (now - 1, now)}
    assert out.getvalue().strip() in near_now


@override_settings(KOE_DEMO=True)
def test_demo_otp_explains_unknown_users() -> None:
    with pytest.raises(CommandError, match="No user"):
        call_command("demo_otp", "nobody")
