"""The worker's self-check: start, one section per page, about you, review, submit, result.

Every page works without JavaScript: navigation is ordinary form posts, each of which first saves
the page's answers, so the back and next buttons, a reload or a lost connection never lose them.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koe.accounts.permissions import signed_in_worker
from koe.core.codes import grouped
from koe.reach.selectors import invited_employer
from koe.surveys import selectors, services
from koe.surveys.forms import AboutYouForm, ContactRequestForm, ResumeForm, SectionForm, initial_for
from koe.surveys.models import Response
from koe.surveys.presentation import (
    answer_summary,
    contact_form_kwargs,
    progress,
    result_context,
    visible_fields,
)
from koe.surveys.resume import resume_failure_record, resume_is_locked

ABOUT = "_about"


def _language() -> str:
    return get_language() or "en"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    version = selectors.published_version()
    if request.method == "POST":
        worker = signed_in_worker(request)
        response = services.response_start(version=version, language=_language(), worker=worker)
        if worker is not None:
            from koe.notifications.services import selfcheck_reminders_mark_seen

            selfcheck_reminders_mark_seen(user=worker)
        selectors.remember_in_session(request, response)
        return redirect("surveys:page", public_id=response.public_id, number=1)
    definition = version.parsed
    context = {
        "title": definition.text("questionnaire.title", _language()),
        "intro": definition.text("questionnaire.intro", _language()),
        "draft": selectors.open_draft(request),
        "signed_in_worker": signed_in_worker(request) is not None,
    }
    return render(request, "surveys/start.html", context)


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, public_id: UUID, number: int) -> HttpResponse:
    response = selectors.response_for(request, public_id)
    if response.is_submitted:
        return redirect("surveys:result", public_id=public_id)
    definition = response.version.parsed
    if not 1 <= number <= len(definition.sections):
        return redirect("surveys:page", public_id=public_id, number=1)
    section = definition.sections[number - 1]
    answers = services.draft_answers(response)
    form_kwargs: dict[str, Any] = {"definition": definition, "section": section, "language": _language()}
    if request.method == "POST":
        form = SectionForm(request.POST, **form_kwargs)
        if form.is_valid():
            codes = [item.code for item in section.items]
            services.response_save_answers(response=response, answers=form.answers(), item_codes=codes)
            if "autosave" in request.POST:  # the page's script saving as the worker answers
                return HttpResponse(status=204)
            return _navigate(request, response, number)
        if "autosave" in request.POST:
            return HttpResponse(status=400)  # shown and explained when the worker presses Next
    else:
        form = SectionForm(initial=initial_for(section, answers), **form_kwargs)
    context = {
        "response": response,
        "section": section,
        "number": number,
        "form": form,
        "fields": visible_fields(form, definition, section, answers, _language()),
        "progress": progress(number, definition),
        "section_title": definition.text(f"section.{section.code}.title", _language()),
        "section_intro": definition.text(f"section.{section.code}.intro", _language()),
    }
    return render(request, "surveys/page.html", context)


def _navigate(request: HttpRequest, response: Response, number: int) -> HttpResponse:
    """Where the pressed button leads, once the page's answers are saved."""
    if "save" in request.POST:
        return _saved(request, response)
    if "back" in request.POST:
        if number == 1:
            return redirect("surveys:start")
        return redirect("surveys:page", public_id=response.public_id, number=number - 1)
    if number < len(response.version.parsed.sections):
        return redirect("surveys:page", public_id=response.public_id, number=number + 1)
    return redirect("surveys:about", public_id=response.public_id)


def _saved(request: HttpRequest, response: Response) -> HttpResponse:
    code = None if response.worker_id else services.response_issue_resume_code(response=response)
    return render(
        request, "surveys/saved.html", {"response": response, "code": grouped(code) if code else None}
    )


@require_http_methods(["GET", "POST"])
def about(request: HttpRequest, public_id: UUID) -> HttpResponse:
    response = selectors.response_for(request, public_id)
    if response.is_submitted:
        return redirect("surveys:result", public_id=public_id)
    answers = services.draft_answers(response)
    if request.method == "POST":
        form = AboutYouForm(request.POST)
        if form.is_valid():
            services.response_save_answers(
                response=response, answers={ABOUT: form.cleaned_data}, item_codes=[ABOUT]
            )
            if "save" in request.POST:
                return _saved(request, response)
            if "back" in request.POST:
                last = len(response.version.parsed.sections)
                return redirect("surveys:page", public_id=public_id, number=last)
            return redirect("surveys:review", public_id=public_id)
    else:
        form = AboutYouForm(initial=answers.get(ABOUT) or _profile_initial(response))
    steps = progress(len(response.version.parsed.sections) + 1, response.version.parsed)
    context = {"response": response, "form": form, "progress": steps, "has_profile": bool(response.worker_id)}
    return render(request, "surveys/about.html", context)


def _profile_initial(response: Response) -> dict[str, str]:
    profile = getattr(response.worker, "worker_profile", None) if response.worker else None
    if profile is None:
        return {}
    return {"nationality": profile.nationality, "residence_status": profile.residence_status}


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    response = selectors.response_for(request, public_id)
    if request.method == "POST" or response.is_submitted:
        # Submitting twice, or again after a lost connection, lands on the same single result.
        # An anonymous sheet counts for the employer whose invite link this browser followed.
        employer = None if response.worker_id else invited_employer(request)
        services.response_submit(response_id=response.pk, employer=employer)
        return redirect("surveys:result", public_id=public_id)
    definition = response.version.parsed
    answers = services.draft_answers(response)
    context = {
        "response": response,
        "summary": answer_summary(definition, answers, _language()),
        "progress": progress(len(definition.sections) + 2, definition),
    }
    return render(request, "surveys/review.html", context)


def result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    response = selectors.response_for(request, public_id)
    if not response.is_submitted:
        return redirect("surveys:review", public_id=public_id)
    return render(request, "surveys/result.html", result_context(response, _language(), request))


@require_POST
def contact(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from koe.cases.services import alert_request_contact

    response = selectors.response_for(request, public_id)
    alert = getattr(response, "alert", None)
    if not response.is_submitted or alert is None:
        return redirect("surveys:result", public_id=public_id)
    form = ContactRequestForm(request.POST, **contact_form_kwargs(response, _language()))
    if not form.is_valid():
        context = result_context(response, _language(), request, contact_form=form)
        return render(request, "surveys/result.html", context, status=400)
    alert_request_contact(alert=alert, **form.request_fields())
    messages.success(request, _("Thank you. The desk has your request and will contact you as you chose."))
    return redirect(reverse("surveys:result", kwargs={"public_id": public_id}) + "#talk")


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and resume_is_locked(request):
        form.add_error(None, _("Too many wrong codes. Please wait 15 minutes and try again."))
    elif request.method == "POST" and form.is_valid():
        draft = selectors.draft_by_resume_index(services.resume_code_index(form.cleaned_data["code"]))
        if draft is not None:
            selectors.remember_in_session(request, draft)
            return redirect("surveys:page", public_id=draft.public_id, number=1)
        resume_failure_record(request)
        form.add_error("code", _("We could not find answers for this code. Please check it and try again."))
    return render(request, "surveys/resume.html", {"form": form}, status=400 if form.errors else 200)


def history(request: HttpRequest) -> HttpResponse:
    worker = signed_in_worker(request)
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?next=" + request.path)
    if worker is None:
        raise Http404
    responses = list(selectors.submitted_responses_of(worker))
    rows = zip(responses, selectors.round_changes(responses), strict=True)
    context = {"rows": [_history_row(response, change) for response, change in rows]}
    return render(request, "surveys/history.html", context)


def _history_row(response: Response, change: selectors.RoundChange | None) -> dict[str, Any]:
    definition, language = response.version.parsed, _language()

    def question(code: str) -> str:
        return definition.text(f"item.{code}.question", language)

    return {
        "response": response,
        "risk_count": len(selectors.risky_items(response)),
        "newly_risky": [question(code) for code in change.newly_risky] if change else [],
        "no_longer_risky": [question(code) for code in change.no_longer_risky] if change else [],
        "is_first": change is None,
    }
