"""Company users and invitations: the admins' list and invite form, and the public accept page."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koe.accounts.models import Role
from koe.accounts.permissions import require_roles
from koe.accounts.services import UsernameTakenError
from koe.audit.services import audit_record
from koe.organizations.forms import AcceptInvitationForm, InvitationForm
from koe.organizations.invitations import (
    InvitationInvalid,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_revoke,
    invitations_visible_to,
    open_invitations,
)
from koe.organizations.models import OrganizationKind
from koe.organizations.views import _user


def _require_admin(request: HttpRequest) -> None:
    if not _user(request).is_company_admin:
        raise Http404


@require_roles(Role.COMPANY)
@require_http_methods(["GET"])
def users(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    user = _user(request)
    members = user.organization.users.filter(is_active=True).order_by("username") if user.organization else []
    audit_record(actor=user, action="company_users.view", target=user.organization)
    context = {
        "organization": user.organization,
        "members": members,
        "invitations": open_invitations(invitations_visible_to(user)),
    }
    return render(request, "organizations/users.html", context)


@require_roles(Role.COMPANY)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation, _token = invitation_create(
            actor=request.user, organization=data["organization"], email=data["email"],
            is_admin=data["is_admin"], language=data["language"],
        )  # fmt: skip
        messages.success(request, _("The invitation was sent to %(email)s.") % {"email": invitation.email})
        return redirect("organizations:users")
    organization = _user(request).organization
    invites_suppliers = organization is not None and organization.kind == OrganizationKind.BRAND_HOLDER
    return render(
        request, "organizations/invite.html", {"form": form, "invites_suppliers": invites_suppliers}
    )


@require_roles(Role.COMPANY)
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    invitation = get_object_or_404(open_invitations(invitations_visible_to(request.user)), pk=pk)
    invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation was revoked; its link no longer works."))
    return redirect("organizations:users")


def _accept(request: HttpRequest, token: str, form: AcceptInvitationForm) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        user = invitation_accept(token=token, username=data["username"], password=data["password1"])
    except UsernameTakenError:
        form.add_error("username", _("This user name is already taken. Choose another."))
        return None
    except ValidationError:  # the validators' own words; the form's check should have caught it
        form.add_error("password1", _("This password is too easy to guess. Choose another."))
        return None
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("accounts:two_factor")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link; an unknown, used, revoked or expired link gets the same answer."""
    try:
        invitation = invitation_by_token(token)
    except InvitationInvalid:
        return render(request, "organizations/accept_invitation.html", {"invalid": True}, status=404)
    if request.user.is_authenticated:
        return render(
            request, "organizations/accept_invitation.html", {"signed_in": True, "invitation": invitation}
        )
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = _accept(request, token, form)
        except InvitationInvalid:
            return render(request, "organizations/accept_invitation.html", {"invalid": True}, status=404)
        if response is not None:
            return response
    return render(request, "organizations/accept_invitation.html", {"form": form, "invitation": invitation})
