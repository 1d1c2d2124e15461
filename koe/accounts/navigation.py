"""Where a person goes after signing in: their role's start page, or a safe ``next``."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from koe.accounts.models import Role, User

# Pages of other apps, resolved by name when needed: those apps may not define them yet.
START_PAGES = {
    Role.COMPANY: "organizations:dashboard",
    Role.OPERATOR: "audit:list",
}


def start_url_for(user: User) -> str:
    try:
        return reverse(START_PAGES.get(Role(user.role), "accounts:home"))
    except NoReverseMatch:
        return reverse("accounts:home")


def safe_next(request: HttpRequest) -> str:
    """The ``next`` URL of the request if it points back into Koe, else an empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def home_url_in(language: str) -> str:
    with translation.override(language):
        return reverse("accounts:home")
