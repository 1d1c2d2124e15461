import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from koe.core.testing.personas import Personas, build_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


# Browser tests: Playwright driving the machine's Chromium (Playwright cannot download its own
# browser here). KOE_CHROMIUM points elsewhere if needed.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).parent / "artifacts" / "screenshots"


def chromium_path() -> str:
    path = os.environ.get("KOE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is needed for browser tests: run `make system-deps`.")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A 360-px-wide phone with JavaScript on; CSP bypassed only so axe-core can be injected."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, bypass_csp=True
    )
    yield context
    context.close()


@pytest.fixture
def phone_without_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    yield context
    context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_with_two_factors(page: Page, base: str, user: Any, language: str = "ja") -> None:
    """Signs ``user`` in as a person would: password, then the authenticator app's code."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koe.core.testing.personas import PASSWORD

    page.goto(f"{base}/{language}/account/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    device = TOTPDevice.objects.get(user=user)
    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
