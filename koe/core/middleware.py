"""Request-wide protections that every page gets without having to ask for them."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# Headers that identify a device or a network location. Koe never needs them, so they are
# removed before any view, form, log or error report can read them (rule "No trace").
IDENTIFYING_META_KEYS = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_REFERER",
)
ANONYMISED_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder, never bound to


class NoTraceMiddleware:
    """Drops IP addresses, user agents and referrers from every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key in IDENTIFYING_META_KEYS:
            request.META.pop(key, None)
        # Some libraries expect REMOTE_ADDR to exist; give them a value that says nothing.
        request.META["REMOTE_ADDR"] = ANONYMISED_ADDRESS
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Keeps worker pages out of shared caches and remembers the chosen language.

    A phone may be shared or inspected: pages must not linger in caches, and the language a
    worker picked should still be theirs on the next visit to ``/``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        self._remember_language(request, response)
        return response

    @staticmethod
    def _remember_language(request: HttpRequest, response: HttpResponse) -> None:
        language = getattr(request, "LANGUAGE_CODE", None)
        from_url = translation.get_language_from_path(request.path_info)
        if not from_url or from_url != language:
            return
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) == from_url:
            return
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            from_url,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite="Lax",
        )
