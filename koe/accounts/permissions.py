"""Who may open a page. Views for staff and company users are wrapped in ``require_roles``."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from koe.accounts.models import Role

View = Callable[..., HttpResponse]


def require_roles(*roles: Role) -> Callable[[View], View]:
    """Signed in, two-factor verified, and one of ``roles``; anyone else gets a 404.

    A 404 rather than a 403 so that a page's existence tells an outsider nothing.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.needs_two_factor and not user.is_verified():  # type: ignore[union-attr]
                return redirect("accounts:two_factor")
            if user.role not in roles:  # type: ignore[union-attr]
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
