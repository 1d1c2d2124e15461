"""The invite a browser came through, kept in its (server-side) session, never in a later URL.

Stored only when the worker chooses what to do on the landing page, not on merely opening it, so a
link preview or a glance at the page leaves nothing behind.
"""

from django.http import HttpRequest

from koe.accounts.models import User
from koe.reach.models import InviteLink
from koe.reach.selectors import SESSION_KEY, invite_in_session
from koe.reach.services import worker_employer_link_create


def remember_invite(request: HttpRequest, link: InviteLink) -> None:
    request.session[SESSION_KEY] = link.pk


def link_registered_worker(request: HttpRequest, worker: User) -> None:
    """Called by registration: a worker who came through an invite is linked to its employer.

    The session then forgets the invite: from here on the account says who the employer is, and
    the worker may remove that link.
    """
    link = invite_in_session(request)
    request.session.pop(SESSION_KEY, None)
    if link is not None:
        worker_employer_link_create(actor=worker, invite=link)
