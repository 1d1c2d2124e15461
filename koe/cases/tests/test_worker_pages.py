"""The worker's side of the desk, as a worker uses it: send a consultation (with or without an
account), keep the receipt code, come back with it and the PIN, read the desk's reply, answer."""

import gzip
import re
import uuid
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client

from koe.cases.models import Case, CaseStatus, ContactMethod, Message, MessageAuthor
from koe.cases.services import case_transition, desk_message_post, internal_note_add
from koe.core.testing.personas import Personas, make_user

pytestmark = pytest.mark.django_db

PIN = "482913"
CODE = re.compile(r'class="code"[^>]*>(\d{4} \d{4} \d{4})<')
BUDGET_BYTES = 30 * 1024


def intake_data(**extra: Any) -> dict[str, Any]:
    data = {
        "account": "My boss keeps my passport and I cannot leave the dormitory.",
        "category": "retained_documents",
        "employer_named": "Minato Farm, Chiba",
        "contact_method": ContactMethod.NONE,
        "contact_detail": "",
        "pin": PIN,
        "pin_again": PIN,
        "intake_key": str(uuid.uuid4()),
    }
    return data | extra


def send(client: Client, language: str = "en", **extra: Any) -> tuple[Any, str]:
    """Posts the intake form; returns the response and the receipt code it shows ("" if none)."""
    response = client.post(f"/{language}/consult/", intake_data(**extra))
    found = CODE.search(response.content.decode())
    return response, found.group(1) if found else ""


def reopen(code: str, pin: str = PIN, client: Client | None = None) -> tuple[Client, Any]:
    client = client or Client()
    return client, client.post("/en/consult/open/", {"code": code, "pin": pin})


def case_url(case: Case, language: str = "en") -> str:
    return f"/{language}/consult/{case.public_id}/"


def test_an_anonymous_worker_gets_a_receipt_code_once_with_a_qr_code_and_the_answer_date() -> None:
    client = Client()
    response, code = send(client)
    html = response.content.decode()
    assert response.status_code == 200, "shown in the POST's own response, not after a redirect"
    assert code, "the code is shown in three groups of four digits"
    assert "<svg" in html and "QR code of your receipt code" in html
    assert "cannot show this code again" in html
    case = Case.objects.get()
    assert case.worker is None and case.categories == ["retained_documents"]
    assert case.employer_named == "Minato Farm, Chiba" and case.language == "en"
    assert f"{case.acknowledge_by:%Y}" in html and "The desk will answer by" in html
    # Nowhere else: not on the case page, not on the form again.
    digits = code.replace(" ", "")
    assert digits not in client.get(case_url(case)).content.decode().replace(" ", "")
    assert code not in client.get("/en/consult/").content.decode()


def test_the_receipt_code_and_pin_open_the_consultation_on_another_phone() -> None:
    _response, code = send(Client())
    case = Case.objects.get()
    other_phone, opened = reopen(code)
    assert opened.status_code == 302 and opened["Location"] == case_url(case)
    page = other_phone.get(case_url(case)).content.decode()
    assert "My boss keeps my passport" in page
    assert Client().get(case_url(case)).status_code == 404, "a third phone without the code sees nothing"


def test_a_wrong_pin_is_refused_and_after_five_tries_even_the_right_one_waits() -> None:
    _response, code = send(Client())
    guesser = Client()
    for _try in range(5):
        _client, refused = reopen(code, "000000", guesser)
        assert refused.status_code == 400
        assert "not right" in refused.content.decode()
    _client, paused = reopen(code, PIN, guesser)
    assert paused.status_code == 400 and "15 minutes" in paused.content.decode()
    _client, elsewhere = reopen(code, PIN)
    assert elsewhere.status_code == 302, "another session is not locked by this one's guesses"


def test_sending_the_form_twice_opens_one_consultation_and_the_newest_code_works() -> None:
    client = Client()
    form = client.get("/en/consult/").content.decode()
    key = re.search(r'name="intake_key" value="([0-9a-f-]{36})"', form)
    assert key, "the form carries its own intake key"
    _first, first_code = send(client, intake_key=key.group(1))
    _again, second_code = send(client, intake_key=key.group(1))
    assert Case.objects.count() == 1
    assert first_code and second_code, "a retried send shows a code again: the first may be lost"
    _client, opened = reopen(second_code)
    assert opened.status_code == 302


def test_a_replayed_form_from_another_browser_opens_a_new_case_and_takes_nothing(personas: Personas) -> None:
    worker = Client()
    form = worker.get("/en/consult/").content.decode()
    key = re.search(r'name="intake_key" value="([0-9a-f-]{36})"', form)
    assert key
    _sent, code = send(worker, intake_key=key.group(1))
    stranger = Client()
    _replayed, _stranger_code = send(stranger, intake_key=key.group(1), pin="000000", pin_again="000000")
    assert Case.objects.count() == 2  # the stranger's send is a consultation of its own
    first = Case.objects.order_by("created_at").first()
    assert first is not None and stranger.get(case_url(first)).status_code == 404
    _client, opened = reopen(code)  # the worker's code still opens their case
    assert opened.status_code == 302


def test_a_signed_in_worker_gets_no_receipt_and_finds_it_in_their_list(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    response, code = send(client, pin="", pin_again="", contact_method=ContactMethod.KOE)
    assert response.status_code == 200 and code == ""
    case = Case.objects.get()
    assert case.worker == personas.worker and case.receipt_lookup is None
    assert case.contact_method == ContactMethod.KOE
    mine = client.get("/en/consult/mine/").content.decode()
    assert case.number in mine and case_url(case) in mine
    assert "/consult/mine/" in client.get("/en/account/").content.decode()


def test_nobody_else_opens_a_consultation(personas: Personas) -> None:
    anonymous = Client()
    send(anonymous)
    anonymous_case = Case.objects.get()
    signed_in = Client()
    signed_in.force_login(personas.worker)
    send(signed_in, pin="", pin_again="")
    workers_case = Case.objects.exclude(pk=anonymous_case.pk).get()
    other_worker = Client()
    other_worker.force_login(make_user("other-worker", "worker"))

    assert anonymous.get(case_url(anonymous_case)).status_code == 200
    assert signed_in.get(case_url(workers_case)).status_code == 200
    for stranger, case in [(Client(), anonymous_case), (other_worker, anonymous_case),
                           (Client(), workers_case), (other_worker, workers_case),
                           (anonymous, workers_case), (signed_in, anonymous_case)]:  # fmt: skip
        assert stranger.get(case_url(case)).status_code == 404
        assert stranger.post(case_url(case), {"body": "hello"}).status_code == 404
    assert "other-worker" not in other_worker.get("/en/consult/mine/").content.decode()
    assert workers_case.number not in other_worker.get("/en/consult/mine/").content.decode()


def test_the_worker_reads_the_reply_and_answers_but_never_sees_notes_or_reasons(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    send(client, pin="", pin_again="")
    case = Case.objects.get()
    case_transition(
        case=case, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason="SECRET-REASON"
    )
    internal_note_add(case=case, actor=personas.consultant, body="SECRET-NOTE")
    reply = desk_message_post(
        case=case, body="Can you keep a copy of your contract?", actor=personas.consultant
    )
    assert "1 new reply from the desk" in client.get("/en/consult/mine/").content.decode()

    page = client.get(case_url(case)).content.decode()
    assert "Can you keep a copy of your contract?" in page and "New" in page
    assert "SECRET-NOTE" not in page and "SECRET-REASON" not in page
    assert "A consultant has read your consultation." in page
    reply.refresh_from_db()
    assert reply.read_by_worker_at is not None
    assert "new reply" not in client.get("/en/consult/mine/").content.decode()

    answered = client.post(case_url(case), {"body": "Yes, I have a photo of it."})
    assert answered.status_code == 302
    mine = Message.objects.filter(case=case, author_kind=MessageAuthor.WORKER).get()
    assert mine.body == "Yes, I have a photo of it."
    assert "Yes, I have a photo of it." in client.get(case_url(case)).content.decode()


def test_messages_and_the_account_are_encrypted_in_the_database() -> None:
    client = Client()
    send(client)
    case = Case.objects.get()
    client.post(case_url(case), {"body": "They took my residence card too"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_message")
        bodies = str(cursor.fetchall())
        cursor.execute("SELECT account, employer_named FROM cases_case")
        cases = str(cursor.fetchall())
    assert "residence card" not in bodies and "passport" not in cases and "Minato" not in cases


def test_mistakes_are_explained_and_what_was_typed_is_kept() -> None:
    client = Client()
    response, _code = send(client, account="   ", pin_again="111111", contact_method=ContactMethod.PHONE)
    html = response.content.decode()
    assert response.status_code == 400 and Case.objects.count() == 0
    assert "Please tell us what happened." in html
    assert "The two PINs are not the same." in html
    assert "Please write how we can reach you" in html
    assert 'value="Minato Farm, Chiba"' in html
    assert re.search(r'value="phone"[^>]*checked|checked[^>]*value="phone"', html)


def test_without_an_account_the_desk_cannot_answer_in_an_account_and_a_pin_is_only_numbers() -> None:
    response, _code = send(Client(), contact_method=ContactMethod.KOE, pin="abc123", pin_again="abc123")
    html = response.content.decode()
    assert response.status_code == 400 and Case.objects.count() == 0
    assert 'value="koe"' not in html
    assert "A PIN has 6 to 12 numbers, and only numbers." in html


def test_hostile_input_is_shown_as_text_and_a_huge_text_is_refused() -> None:
    client = Client()
    huge, _code = send(client, account="x" * 100_000)
    assert huge.status_code == 400 and Case.objects.count() == 0
    assert "Please keep it under 5000 characters" in huge.content.decode()

    send(client, account='<script>alert("koe")</script>', employer_named="<img src=x onerror=alert(1)>")
    case = Case.objects.get()
    page = client.get(case_url(case)).content.decode()
    assert '<script>alert("koe")</script>' not in page
    assert "&lt;script&gt;" in page


def test_the_pages_work_in_burmese_with_burmese_digits(personas: Personas) -> None:
    client = Client()
    form = client.get("/my/consult/")
    assert '<html lang="my"' in form.content.decode()
    response, code = send(
        client, "my", account="အလုပ်ရှင်က ကျွန်တော့် ပတ်စပို့ကို ယူထားတယ်", pin="၄၈၂၉၁၃", pin_again="၄၈၂၉၁၃"
    )
    assert response.status_code == 200 and code
    assert '<html lang="my"' in response.content.decode()
    case = Case.objects.get()
    assert case.language == "my"
    burmese_code = code.translate(str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉"))
    _client, opened = reopen(burmese_code, PIN)  # the same PIN, typed with 0-9
    assert opened.status_code == 302
    page = _client.get(case_url(case, "my")).content.decode()
    assert '<html lang="my"' in page and "ပတ်စပို့" in page


def page_weight(client: Client, url: str, method: str = "get", data: dict[str, Any] | None = None) -> int:
    response = getattr(client, method)(url, data or {}, headers={"accept-encoding": "gzip"})
    assert response.status_code in (200, 400)
    body = response.content
    html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    assert len(re.findall(rb"<h1[\s>]", html)) == 1
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html.decode())
    asset_bytes = 0
    for asset in set(assets):
        with open(finders.find(asset), "rb") as handle:  # type: ignore[arg-type]
            asset_bytes += len(gzip.compress(handle.read(), compresslevel=9))
    return len(body) + asset_bytes


def test_every_worker_page_stays_within_the_page_budget_with_one_heading(personas: Personas) -> None:
    client = Client()
    sizes = {
        "intake": page_weight(client, "/my/consult/"),
        "intake_errors": page_weight(client, "/my/consult/", "post", intake_data(account="")),
        "sent": page_weight(client, "/my/consult/", "post", intake_data()),
        "open": page_weight(client, "/my/consult/open/"),
    }
    case = Case.objects.get()
    desk_message_post(case=case, body="We read your message. " * 40, actor=personas.consultant)
    sizes["case"] = page_weight(client, case_url(case, "my"))
    signed_in = Client()
    signed_in.force_login(personas.worker)
    sizes["mine"] = page_weight(signed_in, "/my/consult/mine/")
    assert max(sizes.values()) < BUDGET_BYTES, sizes
