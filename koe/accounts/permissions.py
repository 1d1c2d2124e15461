"""Who may open a page. Views for staff and company users are wrapped in ``require_roles``."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from koe.accounts.models import Role

View = Callable[..., HttpResponseBase]


def user_is_verified(user: Any) -> bool:
    """Whether this session passed the second factor; False where django-otp has not looked."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def signed_in_worker(request: HttpRequest) -> Any:
    """The signed-in worker, or None: for pages open to anyone that keep a worker's own things
    (self-check sheets, consultations) with their account and everyone else's with the session."""
    user = request.user
    return user if user.is_authenticated and getattr(user, "is_worker", False) else None


def require_roles(*roles: Role) -> Callable[[View], View]:
    """Signed in, two-factor verified, and one of ``roles``; anyone else gets a 404.

    A 404 rather than a 403 so that a page's existence tells an outsider nothing.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.needs_two_factor and not user_is_verified(user):
                return redirect("accounts:two_factor")
            if user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
