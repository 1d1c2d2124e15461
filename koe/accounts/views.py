"""Registration, signing in and out, and the account page. Thin: forms, services and selectors do the work."""

import base64
import math
from typing import cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts import selectors, services, throttling
from koe.accounts.forms import (
    DeleteAccountForm,
    LanguagePreferenceForm,
    LoginForm,
    RegistrationForm,
    TwoFactorCodeForm,
    WorkerProfileForm,
)
from koe.accounts.models import Role, User
from koe.accounts.navigation import home_url_in, safe_next, start_url_for
from koe.accounts.permissions import require_roles, user_is_verified
from koe.notifications.selectors import reminder_channel_of


def _user(request: HttpRequest) -> User:
    """The signed-in user; only call behind ``login_required`` or ``require_roles``."""
    return cast(User, request.user)


# What this browser did without an account (a self-check sheet, a consultation opened with its
# receipt code) stays out of the account: sessions are stored server-side, and keeping those ids
# in a signed-in session would tie anonymous answers to a name, or hand them to the next person
# who signs in on a shared phone.
def forget_anonymous_work(request: HttpRequest) -> None:
    # Imported here: surveys and cases build on accounts, not the other way round.
    from koe.cases.worker_selectors import INTAKE_KEYS
    from koe.cases.worker_selectors import SESSION_KEY as CONSULTATIONS
    from koe.surveys.selectors import SESSION_KEY as SELF_CHECKS

    for key in (SELF_CHECKS, CONSULTATIONS, INTAKE_KEYS):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _register_worker(request, form)
        if user is not None:
            from koe.reach.session import link_registered_worker  # reach builds on accounts

            link_registered_worker(request, user)  # came through an employer's invite link
            forget_anonymous_work(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return HttpResponseRedirect(home_url_in(user.language))
    return render(request, "accounts/register.html", {"form": form})


def _register_worker(request: HttpRequest, form: RegistrationForm) -> User | None:
    data = form.cleaned_data
    try:
        return services.worker_register(
            username=data["username"], password=data["password1"], language=data["language"],
            email=data["email"], phone=data["phone"], nationality=data["nationality"],
            policy_version=settings.KOE_PRIVACY_POLICY_VERSION, consent_language=get_language(),
        )  # fmt: skip
    except services.UsernameTakenError:
        # Someone took the name between the form check and the insert.
        form.add_error("username", _("This user name is already taken. Choose another."))
        return None


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _authenticate_throttled(request, form)
        if user is not None:
            forget_anonymous_work(request)
            login(request, user)
            return HttpResponseRedirect(_after_password_url(request, user))
    return render(request, "accounts/login.html", {"form": form, "next": safe_next(request)})


def _authenticate_throttled(request: HttpRequest, form: LoginForm) -> User | None:
    """Checks the password unless the user name is locked; one message for every kind of failure."""
    typed = form.cleaned_data["username"]
    remaining = throttling.login_lock_remaining(typed)
    if remaining:
        form.add_error(None, _locked_message(remaining))
        return None
    username = selectors.canonical_username(typed)
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        throttling.login_failure_record(typed)
        form.add_error(None, _("The user name or the password is not right."))
        return None
    throttling.login_failures_reset(typed)
    return cast(User, user)


def _locked_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many wrong tries for this user name. Wait %(minutes)d minute and try again.",
        "Too many wrong tries for this user name. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def _after_password_url(request: HttpRequest, user: User) -> str:
    next_url = safe_next(request)
    if user.needs_two_factor:
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return reverse("accounts:two_factor") + query
    return next_url or home_url_in(user.language)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.is_worker:
        return render(request, "accounts/home_worker.html", _worker_home_context(user))
    context = {
        "account": user,
        "device": selectors.confirmed_totp_device_of(user),
        "language_form": LanguagePreferenceForm(initial={"language": user.language}),
    }
    return render(request, "accounts/home_staff.html", context)


def _worker_home_context(user: User) -> dict[str, object]:
    return {
        "account": user,
        "profile": selectors.worker_profile_of(user),
        "consent": selectors.privacy_consents_of(user).first(),
        "language_form": LanguagePreferenceForm(initial={"language": user.language}),
    }


@require_roles(Role.WORKER)
@require_http_methods(["GET", "POST"])
def worker_profile(request: HttpRequest) -> HttpResponse:
    """Nationality, residence status, arrival date (which sets the self-check rounds) and how to
    be reminded; every field but the last is optional."""
    user = _user(request)
    profile = selectors.worker_profile_of(user)
    initial = {
        "nationality": profile.nationality if profile else "",
        "residence_status": profile.residence_status if profile else "",
        "arrival_date": profile.arrival_date if profile else None,
        "reminder_channel": reminder_channel_of(user),
    }
    has_email = bool(profile and profile.recovery_email)
    form = WorkerProfileForm(request.POST or None, initial=initial, has_email=has_email)
    if request.method == "POST" and form.is_valid():
        services.worker_profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("accounts:home")
    return render(request, "accounts/profile.html", {"form": form, "has_email": has_email})


@login_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Saves the language preference and shows the account page in that language."""
    form = LanguagePreferenceForm(request.POST)
    user = _user(request)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return redirect("accounts:home")
    services.user_set_language(user=user, language=form.cleaned_data["language"])
    return HttpResponseRedirect(home_url_in(user.language))


@require_roles(Role.WORKER)
def export_data(request: HttpRequest) -> HttpResponse:
    """A download of everything Koe holds about the worker (their right of disclosure under APPI)."""
    data = selectors.worker_data_export(_user(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="koe-my-data.json"'
    return response


@require_roles(Role.WORKER)
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """Asks for the password again, so that someone else holding the phone cannot erase the account."""
    user = _user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _password_confirmed(user, form):
        logout(request)
        services.worker_delete(user=user)
        messages.success(request, _("Your account and everything in it have been deleted."))
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})


def _password_confirmed(user: User, form: DeleteAccountForm) -> bool:
    # The same throttle as signing in: this form must not become a way to guess the password.
    remaining = throttling.login_lock_remaining(user.username)
    if remaining:
        form.add_error(None, _locked_message(remaining))
        return False
    if user.check_password(form.cleaned_data["password"]):
        return True
    throttling.login_failure_record(user.username)
    form.add_error("password", _("This password is not right."))
    return False


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step for staff and company users: set up an authenticator app, or enter its code."""
    user = _user(request)
    if not user.needs_two_factor:
        return redirect("accounts:home")
    if user_is_verified(user):
        return HttpResponseRedirect(safe_next(request) or start_url_for(user))
    device = selectors.confirmed_totp_device_of(user)
    setting_up = device is None
    if device is None:
        device = services.totp_device_for_setup(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _code_accepted(device, form):
        if setting_up:
            services.totp_device_confirm(user=user, device=device)
        otp_login(request, device)
        return HttpResponseRedirect(safe_next(request) or start_url_for(user))
    context = {"form": form, "setting_up": setting_up, "next": safe_next(request)}
    if setting_up:
        context |= _setup_context(device)
    return render(request, "accounts/two_factor.html", context)


def _code_accepted(device: TOTPDevice, form: TwoFactorCodeForm) -> bool:
    # django-otp doubles the wait after each wrong code; say so rather than "wrong code".
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Too many wrong codes. Wait a moment, then enter the newest code."))
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    return False


def _setup_context(device: TOTPDevice) -> dict[str, object]:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    qr = segno.make(device.config_url, error="m")
    # segno's SVG holds only paths and the title we give it; no scripts or style attributes.
    svg = qr.svg_inline(scale=4, dark="#000", light="#fff", title=_("QR code for your authenticator app"))
    return {
        "qr_svg": mark_safe(svg),  # noqa: S308 - generated here from our own data, not user input
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
