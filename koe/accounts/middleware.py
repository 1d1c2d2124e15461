"""Staff and company users see nothing until they have passed the second factor (rule "Staff accounts")."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from koe.accounts.permissions import user_is_verified

# What an unverified staff user may still reach: the second step itself, the ways out, and the
# health probe. The admin is deliberately not here: it requires the second factor as well.
EXEMPT_VIEW_NAMES = frozenset({"accounts:two_factor", "accounts:logout", "quick_exit", "healthz"})


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _is_exempt(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    return _view_name(request) in EXEMPT_VIEW_NAMES


def _must_verify(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "needs_two_factor", False):
        return False
    return not user_is_verified(user)


def _two_factor_redirect(request: HttpRequest) -> HttpResponse:
    # LocaleMiddleware has already chosen the language, so the page is in the person's language
    # even when they came from the language-neutral /admin/.
    url = reverse("accounts:two_factor")
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)


class RequireTwoFactorForStaffMiddleware:
    """Redirects a signed-in, not yet verified staff or company user to the two-factor page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _must_verify(request) and not _is_exempt(request):
            return _two_factor_redirect(request)
        return self.get_response(request)
