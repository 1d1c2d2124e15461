from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from config.languages import LANGUAGES


def language_links(request: HttpRequest) -> list[dict[str, str]]:
    """The current page in every language, for the picker (keeps the worker where they are)."""
    current_url = request.get_full_path()
    return [{"code": code, "name": name, "url": translate_url(current_url, code)} for code, name in LANGUAGES]


def koe(request: HttpRequest) -> dict[str, object]:
    return {
        "language_links": language_links(request),
        "quick_exit_url": settings.KOE_QUICK_EXIT_URL,
        "operator_name": settings.KOE_OPERATOR_NAME,
    }
