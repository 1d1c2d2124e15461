"""Reads of account data, always scoped to the acting user: nobody reads another person's account here."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts.models import PrivacyConsent, User, WorkerProfile


def canonical_username(typed: str) -> str:
    """The stored spelling of a typed user name, so that "Lan" signs in as "lan".

    Phones capitalise the first letter on their own; workers should not be locked out by that.
    An exact match wins when two accounts differ only by case (possible for staff made in admin).
    """
    typed = User.normalize_username(typed.strip())
    matches = list(User.objects.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    if typed in matches or len(matches) != 1:
        return typed
    return matches[0]


def privacy_consents_of(user: User) -> QuerySet[PrivacyConsent]:
    return PrivacyConsent.objects.filter(user=user).order_by("-accepted_at")


def worker_profile_of(user: User) -> WorkerProfile | None:
    return WorkerProfile.objects.filter(user=user).first()


def confirmed_totp_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _profile_export(profile: WorkerProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "recovery_email": profile.recovery_email,
        "recovery_phone": profile.recovery_phone,
        "nationality": profile.nationality,
        "created_at": profile.created_at,
    }


def worker_data_export(user: User) -> dict[str, Any]:
    """Everything Koe holds about the worker themselves, decrypted (APPI disclosure request).

    The password hash is left out: it is not information about the person and only helps attackers.
    """
    from koe.surveys.selectors import selfcheck_export  # surveys builds on accounts, not the reverse

    consents = privacy_consents_of(user).values("policy_version", "language", "accepted_at")
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "role": user.role,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": _profile_export(worker_profile_of(user)),
        "privacy_consents": list(consents),
        "self_checks": selfcheck_export(user),
    }
