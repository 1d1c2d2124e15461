"""Worker pages: the landing page an invite link opens, and the worker's own employer link.

Nothing is recorded about who opens a link (PRODUCT.md, rule 3). The invite is put in the session
only when the worker chooses to go on, and reaches registration and the self-check from there,
never through a later URL.
"""

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles, signed_in_worker
from koe.reach import selectors, services
from koe.reach.session import remember_invite

NEXT_PAGES = {"register": "accounts:register", "selfcheck": "surveys:start"}


@require_http_methods(["GET", "POST"])
@never_cache
def landing(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.live_invite(token)
    if link is None:
        return render(request, "reach/join/unknown.html", status=404)
    worker = signed_in_worker(request)
    choice = request.POST.get("choice", "")
    if request.method == "POST" and choice in NEXT_PAGES:
        remember_invite(request, link)
        return redirect(NEXT_PAGES[choice])
    if request.method == "POST" and choice == "link" and worker is not None:
        services.worker_employer_link_create(actor=worker, invite=link)
        messages.success(request, _("Your account is now linked to this employer."))
        return redirect("join:my_employer")
    current = selectors.current_employer_links(worker).first() if worker else None
    context = {
        "link": link,
        "worker": worker,
        "current": current,
        "anonymous": not request.user.is_authenticated,
    }
    return render(request, "reach/join/landing.html", context)


@require_roles(Role.WORKER)
@require_http_methods(["GET"])
def my_employer(request: HttpRequest) -> HttpResponse:
    links = selectors.current_employer_links(cast(User, request.user))
    return render(request, "reach/join/my_employer.html", {"links": links})


@require_roles(Role.WORKER)
@require_POST
def remove_employer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    worker = cast(User, request.user)
    link = selectors.employer_link_of(worker, public_id)
    services.worker_employer_link_remove(actor=worker, link=link)
    messages.success(request, _("The link to your employer is removed."))
    return redirect("join:my_employer")
