"""Prints a demo persona's current two-factor code, so a demo needs no authenticator app."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of USERNAME (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        # Settings refuse KOE_DEMO without DEBUG, so this can never run in production.
        if not settings.KOE_DEMO:
            raise CommandError("demo_otp is only available in demo mode")
        device = self._device(options["username"])
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")

    @staticmethod
    def _device(username: str) -> TOTPDevice:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        devices = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk")
        device = devices.first()
        if device is None:
            raise CommandError(f"{username} has no two-factor device yet: sign in once to set one up.")
        return device
