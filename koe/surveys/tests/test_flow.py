"""The worker's way through the self-check, page by page, as a browser without script sees it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from koe.accounts.models import User
from koe.surveys.models import Answer, Response, ResponseStatus
from koe.surveys.services import questionnaire_version_load
from koe.surveys.testing import small_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def selfcheck() -> None:
    questionnaire_version_load(document=small_document(slug="worker-selfcheck"), publish=True)


def start(client: Client, language: str = "en") -> Response:
    page = client.post(f"/{language}/self-check/")
    assert page.status_code == 302
    return Response.objects.latest("created_at")


def page_url(response: Response, number: int, language: str = "en") -> str:
    return f"/{language}/self-check/{response.public_id}/{number}/"


def test_it_starts_without_an_account_and_shows_the_first_section_in_the_workers_language(
    client: Client, selfcheck: None
) -> None:
    response = start(client, "my")
    page = client.get(page_url(response, 1, "my"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="my"' in html
    assert "[my] section.documents.title" in html
    assert "[my] item.passport_kept.question" in html
    assert response.worker is None


def test_back_and_next_keep_the_answers(client: Client, selfcheck: None) -> None:
    response = start(client)
    client.post(page_url(response, 1), {"passport_kept": "yes", "passport_back": "no", "next": "1"})
    client.post(page_url(response, 2), {"hit": "no", "overtime": "50", "back": "1"})
    first_page = client.get(page_url(response, 1)).content.decode()
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', first_page)
    second_page = client.get(page_url(response, 2)).content.decode()
    assert 'value="50"' in second_page


def test_a_question_depending_on_an_earlier_page_is_left_out_when_that_answer_was_not_given(
    client: Client, selfcheck: None
) -> None:
    response = start(client)
    page = client.get(page_url(response, 1)).content.decode()
    # On the same page as its condition: shown, with a note for browsers without script.
    assert "item.passport_back.question" in page
    assert 'data-show-if="passport_kept"' in page


def test_a_wrong_number_is_refused_in_the_workers_language_and_the_other_answers_stay(
    client: Client, selfcheck: None
) -> None:
    response = start(client, "ja")
    page = client.post(page_url(response, 2, "ja"), {"hit": "yes", "overtime": "99999", "next": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "400" in html and "以下" in html  # Django's own Japanese message for max_value
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', html)


def test_huge_or_hostile_text_is_kept_as_text(client: Client, selfcheck: None) -> None:
    response = start(client)
    script = "<script>alert(1)</script>"
    page = client.post(page_url(response, 2), {"anything_else": script, "next": "1"})
    assert page.status_code == 302
    html = client.get(page_url(response, 2)).content.decode()
    assert script not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    too_long = client.post(page_url(response, 2), {"anything_else": "x" * 5000, "next": "1"})
    assert too_long.status_code == 200 and "1000" in too_long.content.decode()


def walk_to_submission(client: Client, response: Response) -> None:
    client.post(page_url(response, 1), {"passport_kept": "yes", "passport_back": "no", "next": "1"})
    client.post(
        page_url(response, 2), {"hit": "no", "deductions": ["housing"], "overtime": "20", "next": "1"}
    )
    client.post(
        f"/en/self-check/{response.public_id}/about/", {"nationality": "vn", "prefecture": "23", "next": "1"}
    )


def test_submitting_twice_counts_one_response(client: Client, selfcheck: None) -> None:
    response = start(client)
    walk_to_submission(client, response)
    review = f"/en/self-check/{response.public_id}/review/"
    first, second = client.post(review), client.post(review)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert Answer.objects.filter(response=response, item="passport_kept").count() == 1
    assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 1


def test_the_result_explains_each_risky_answer_and_offers_the_desk(client: Client, selfcheck: None) -> None:
    response = start(client)
    walk_to_submission(client, response)
    result = client.get(client.post(f"/en/self-check/{response.public_id}/review/")["Location"])
    html = result.content.decode()
    assert "[en] item.passport_kept.advice" in html
    assert "[en] red_flag.kept_and_no_access.title" in html
    assert 'action="/en/self-check/' in html and "/contact/" in html
    response.refresh_from_db()
    assert response.red_flag and response.severity == "critical"
    assert response.nationality == "vn" and response.prefecture == "23"


def test_another_browser_cannot_open_someone_elses_answers(client: Client, selfcheck: None) -> None:
    response = start(client)
    stranger = Client()
    assert stranger.get(page_url(response, 1)).status_code == 404
    assert stranger.get(f"/en/self-check/{response.public_id}/result/").status_code == 404


def test_a_resume_code_reopens_the_answers_on_another_device(client: Client, selfcheck: None) -> None:
    response = start(client)
    saved = client.post(page_url(response, 1), {"passport_kept": "no", "save": "1"})
    found = re.search(r'class="code"[^>]*>([\d ]+)<', saved.content.decode())
    assert found, "the saved page shows a resume code"
    code = found.group(1)
    other_phone = Client()
    reopened = other_phone.post("/en/self-check/resume/", {"code": code})
    assert reopened.status_code == 302
    html = other_phone.get(page_url(response, 1)).content.decode()
    assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', html)


def test_wrong_resume_codes_are_refused_then_paused(client: Client, selfcheck: None) -> None:
    for _ in range(5):
        page = client.post("/vi/self-check/resume/", {"code": "1234 5678 9012"})
        assert page.status_code == 400
    paused = client.post("/vi/self-check/resume/", {"code": "1234 5678 9012"})
    assert "15" in paused.content.decode()


def test_a_signed_in_worker_finds_the_sheet_in_their_history(selfcheck: None, personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    response = start(client)
    assert response.worker == personas.worker
    walk_to_submission(client, response)
    client.post(f"/en/self-check/{response.public_id}/review/")
    history = client.get(reverse("surveys:history")).content.decode()
    assert f"/self-check/{response.public_id}/result/" in history


def test_the_start_page_exists_in_every_language(client: Client, selfcheck: None) -> None:
    for language in ("ja", "en", "zh-hans", "vi", "tl", "id", "my", "pt-br", "es", "ne"):
        page = client.get(f"/{language}/self-check/")
        assert page.status_code == 200
        assert f"[{language}] questionnaire.title" in page.content.decode()


def test_a_worker_cannot_open_another_workers_response(selfcheck: None, personas) -> None:
    owner = Client()
    owner.force_login(personas.worker)
    response = start(owner)
    other = User.objects.create_user(username="other-worker", password="x" * 20, role="worker")
    intruder = Client()
    intruder.force_login(other)
    assert intruder.get(page_url(response, 1)).status_code == 404


def test_a_worker_downloads_their_sheets_and_deleting_the_account_deletes_them(
    selfcheck: None, personas
) -> None:
    client = Client()
    client.force_login(personas.worker)
    response = start(client)
    client.post(page_url(response, 2), {"anything_else": "my own words", "next": "1"})
    client.post(f"/en/self-check/{response.public_id}/review/")
    download = client.get(reverse("accounts:export_data")).json()
    assert download["self_checks"][0]["answers"][0]["text"] == "my own words"
    from koe.accounts.services import worker_delete

    worker_delete(user=personas.worker)
    assert not Response.objects.filter(pk=response.pk).exists()


def test_the_pages_script_saves_each_answer_as_it_is_given(client: Client, selfcheck: None) -> None:
    response = start(client)
    saved = client.post(page_url(response, 2), {"hit": "yes", "autosave": "1"})
    assert saved.status_code == 204
    refused = client.post(page_url(response, 2), {"overtime": "-5", "autosave": "1"})
    assert refused.status_code == 400
    html = client.get(page_url(response, 2)).content.decode()
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', html)


def test_signing_in_does_not_tie_an_anonymous_sheet_to_the_account(
    client: Client, selfcheck: None, personas
) -> None:
    from koe.core.testing.personas import PASSWORD

    response = start(client)
    assert client.get(page_url(response, 1)).status_code == 200
    signed_in = client.post(
        reverse("accounts:login"), {"username": personas.worker.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert "selfcheck_responses" not in client.session
    assert client.get(page_url(response, 1)).status_code == 404


def test_i_prefer_not_to_say_wins_over_the_profile(selfcheck: None, personas) -> None:
    from koe.accounts.models import WorkerProfile

    WorkerProfile.objects.update_or_create(user=personas.worker, defaults={"nationality": "vn"})
    client = Client()
    client.force_login(personas.worker)
    response = start(client)
    client.post(f"/en/self-check/{response.public_id}/about/", {"nationality": "", "next": "1"})
    client.post(f"/en/self-check/{response.public_id}/review/")
    response.refresh_from_db()
    assert response.nationality == "" and response.round == 1


def test_a_sheet_left_unsent_for_a_month_and_its_resume_code_are_deleted(
    client: Client, selfcheck: None
) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    response = start(client)
    saved = client.post(page_url(response, 1), {"passport_kept": "no", "save": "1"})
    found = re.search(r'class="code"[^>]*>([\d ]+)<', saved.content.decode())
    assert found
    Response.objects.filter(pk=response.pk).update(created_at=timezone.now() - timedelta(days=31))
    call_command("apply_case_retention", stdout=None)
    assert not Response.objects.filter(pk=response.pk).exists()
    assert Client().post("/en/self-check/resume/", {"code": found.group(1)}).status_code == 400
