"""Small helpers shared by the account tests."""

from typing import Any

from django.test import Client
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.core.testing.personas import PASSWORD

STRONG_PASSWORD = "river-lantern-77-quiet"


def registration_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "sakura_bird",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "language": "vi",
        "email": "",
        "phone": "",
        "nationality": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_in(client: Client, username: str, password: str = PASSWORD, language: str = "ja", **extra: Any):
    return client.post(f"/{language}/account/login/", {"username": username, "password": password}, **extra)


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code that no time step near now accepts (the device tolerates one step either side)."""
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    accepted = {f"{hotp(device.bin_key, step):06d}" for step in range(now - 2, now + 3)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def forget_wrong_codes(device: TOTPDevice) -> None:
    """Stands in for waiting out django-otp's back-off after a wrong code."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
