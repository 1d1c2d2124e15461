"""Every write to accounts: registration, staff accounts, preferences, two-factor devices, deletion."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.languages import LANGUAGE_CODES
from koe.accounts.models import TWO_FACTOR_ROLES, PrivacyConsent, Role, User, WorkerProfile
from koe.audit.services import audit_record
from koe.core.crypto import blind_index
from koe.organizations.models import Organization

RECOVERY_EMAIL_INDEX_PURPOSE = "recovery_email"


class UsernameTakenError(ValueError):
    """Someone already uses this user name (compared without regard to case)."""


def username_is_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=User.normalize_username(username)).exists()


def _check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValueError(f"unsupported language {language!r}")


def _create_user(*, username: str, password: str, **fields: Any) -> User:
    """Creates a user, turning a lost race for the same user name into ``UsernameTakenError``."""
    username = User.normalize_username(username)
    if username_is_taken(username):
        raise UsernameTakenError(username)
    password_validation.validate_password(password, user=User(username=username))
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, **fields)
    except IntegrityError as error:
        raise UsernameTakenError(username) from error


@transaction.atomic
def worker_register(
    *,
    username: str,
    password: str,
    language: str,
    email: str = "",
    phone: str = "",
    nationality: str = "",
    policy_version: str,
    consent_language: str | None = None,
) -> User:
    """Creates a pseudonymous worker with their profile and their consent to the privacy policy.

    ``consent_language`` is the language the policy was shown in (the page's), which may differ
    from the language the worker chose for Koe; it defaults to ``language``.
    """
    _check_language(language)
    user = _create_user(username=username, password=password, role=Role.WORKER, language=language)
    email = email.strip()
    WorkerProfile.objects.create(
        user=user,
        recovery_email=email,
        recovery_email_index=blind_index(email, RECOVERY_EMAIL_INDEX_PURPOSE) if email else "",
        recovery_phone=phone.strip(),
        nationality=nationality,
    )
    PrivacyConsent.objects.create(
        user=user,
        policy_version=policy_version,
        language=consent_language or language,
        accepted_at=timezone.now(),
    )
    return user


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    role: Role | str,
    organization: Organization | None = None,
    is_company_admin: bool = False,
    expert_kind: str = "",
    spoken_languages: Iterable[str] = (),
    language: str = "ja",
    actor: User | None = None,
) -> User:
    """Creates an account for desk staff, an expert, an auditor, an operator or a company user.

    Operators run the installation, so they get the Django admin (which still asks for the
    second factor). The account has no two-factor device yet: the person sets one up at their
    first sign-in.
    """
    if role not in TWO_FACTOR_ROLES:
        raise ValueError("staff_user_create is for staff and company roles; workers register themselves")
    if (role == Role.COMPANY) != (organization is not None):
        raise ValueError("company users, and only they, belong to an organisation")
    _check_language(language)
    is_operator = role == Role.OPERATOR
    user = _create_user(
        username=username, password=password, role=role, organization=organization,
        is_company_admin=is_company_admin, expert_kind=expert_kind,
        spoken_languages=list(spoken_languages), language=language,
        is_staff=is_operator, is_superuser=is_operator,
    )  # fmt: skip
    audit_record(actor=actor, action="user.create", target=user, detail={"role": str(role)})
    return user


@transaction.atomic
def worker_profile_update(
    *,
    user: User,
    nationality: str,
    residence_status: str,
    arrival_date: date | None,
    reminder_channel: str,
) -> WorkerProfile:
    """What the worker tells Koe about themselves. A new arrival date moves their self-check
    rounds at once, so a worker who has been in Japan for months is offered one the next day."""
    # Imported here: rounds and notifications build on accounts, not the other way round.
    from koe.notifications.services import notification_preference_set
    from koe.surveys.rounds import selfcheck_due_update

    if not user.is_worker:
        raise ValueError("only workers have a worker profile")
    profile, _created = WorkerProfile.objects.select_for_update().get_or_create(user=user)
    arrival_changed = profile.arrival_date != arrival_date
    profile.nationality, profile.residence_status = nationality, residence_status
    profile.arrival_date = arrival_date
    profile.save(update_fields=["nationality", "residence_status", "arrival_date"])
    if arrival_changed:
        selfcheck_due_update(profile=profile)
    notification_preference_set(user=user, reminder_channel=reminder_channel)
    return profile


def user_set_language(*, user: User, language: str) -> User:
    _check_language(language)
    user.language = language
    user.save(update_fields=["language"])
    return user


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed device the user is setting up, created once so a reload keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Marks a device as confirmed after the user proved it with a code; drops other set-ups."""
    if device.user_id != user.pk:
        raise ValueError("a device can only be confirmed by its owner")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_record(actor=user, action="two_factor.enable", target=device)
    return device


@transaction.atomic
def worker_delete(*, user: User) -> None:
    """Erases a worker's account, profile and consents (APPI: a request to stop using their data)."""
    if not user.is_worker:
        raise ValueError("only worker accounts are deleted by their owner")
    from koe.surveys.models import Response  # surveys builds on accounts, not the reverse

    # Their self-check sheets go too (with any desk alert they raised): kept without the account
    # they could still hold free text that points at the person who asked to be forgotten.
    Response.objects.filter(worker=user).delete()
    user.delete()
