"""Company pages for reaching workers: invite links, their posters and flyers, and reach figures."""

from typing import cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.languages import LANGUAGES
from koe.accounts.models import Role, User
from koe.accounts.permissions import require_roles
from koe.reach import figures, selectors, services
from koe.reach.posters import DOWNLOADS, KINDS, SIZES, join_url, poster_pdf, qr_svg
from koe.reports.document import HIDDEN_MARK, SUPPRESSION_LEGEND
from koe.reports.periods import chosen_quarter, offered_quarters, quarter_slug

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_roles(Role.COMPANY)
@require_GET
def links(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.organizations_in_reach(user), PAGE_SIZE).get_page(request.GET.get("page"))
    live = selectors.invite_links_visible_to(user).filter(
        revoked_at__isnull=True, employer__in=[org.pk for org in page]
    )
    by_employer: dict[int, list] = {}
    for link in live:
        by_employer.setdefault(link.employer_id, []).append(link)
    rows = [(org, by_employer.get(org.pk, [])) for org in page]
    return render(request, "reach/links.html", {"page": page, "rows": rows})


@require_roles(Role.COMPANY)
@require_POST
def link_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        employer = selectors.organization_in_reach(user, int(request.POST.get("employer", "")))
    except ValueError:
        raise Http404 from None
    link = services.invite_link_get_or_create(actor=user, employer=employer)
    return redirect("reach:link_detail", pk=link.pk)


@require_roles(Role.COMPANY)
@require_GET
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.invite_link_for(_user(request), pk)
    url = join_url(request, link, get_language() or "en")
    context = {
        "link": link,
        "url": url,
        "qr": qr_svg(url, _("QR code of the invitation link")) if link.is_live else None,
        "languages": LANGUAGES,
        "downloads": DOWNLOADS,
    }
    return render(request, "reach/link_detail.html", context)


@require_roles(Role.COMPANY)
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    link = selectors.invite_link_for(user, pk)
    if not user.is_company_admin:
        raise Http404
    services.invite_link_revoke(actor=user, link=link)
    return redirect("reach:link_detail", pk=link.pk)


@require_roles(Role.COMPANY)
@require_GET
def poster(request: HttpRequest, pk: int, kind: str, size: str, language: str) -> HttpResponse:
    link = selectors.invite_link_for(_user(request), pk)
    if kind not in KINDS or size not in SIZES or language not in dict(LANGUAGES) or not link.is_live:
        raise Http404
    url = join_url(request, link, language)
    pdf = poster_pdf(link=link, kind=kind, size=size, language=language, url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="koe-{kind}-{size}-{language}-{link.pk}.pdf"'
    return response


@require_roles(Role.COMPANY)
@require_GET
def reach_figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    quarters = offered_quarters()  # the latest first
    chosen = chosen_quarter(request.GET.get("quarter", ""), quarters) or quarters[0]  # else the latest
    if user.organization is None:  # a company user always has one (database constraint)
        raise Http404
    table = figures.reach_table(user.organization, chosen)
    context = {
        "table": table,
        "period": chosen,
        "quarters": [(quarter_slug(q), q.label) for q in quarters],
        "chosen": quarter_slug(chosen),
        "legend": SUPPRESSION_LEGEND % {"mark": HIDDEN_MARK},
    }
    return render(request, "reach/figures.html", context)
