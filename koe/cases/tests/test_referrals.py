"""Guiding support, expert consultation and ADR referral: what the desk records, and an expert
who sees only the cases referred to them, never who the worker is (PRODUCT.md rule 8)."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from koe.accounts.models import ExpertKind, Role, User
from koe.audit.models import AuditEntry
from koe.cases.attachments import CleanFile
from koe.cases.models import AdrReferral, AdrStatus, Case, ExpertReferral, GuidingSupport, ReferralStatus
from koe.cases.referrals import (
    ReferralRefused,
    adr_referral_create,
    adr_referral_update,
    expert_referral_answer,
    expert_referral_create,
    expert_referral_withdraw,
    guiding_support_record,
)
from koe.cases.selectors import cases_visible_to
from koe.cases.services import case_open
from koe.cases.services.cases import attachments_add
from koe.cases.testing import desk_case
from koe.core.testing.personas import Personas, make_user, verified_client

pytestmark = pytest.mark.django_db

PHONE = "090-1234-5678"  # the desk case's contact detail


def url(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", args=args)


def refer(personas: Personas, case: Case | None = None, expert: User | None = None) -> ExpertReferral:
    return expert_referral_create(
        case=case or desk_case(personas), expert=expert or personas.expert,
        question="Is the passport retention a crime here?", actor=personas.consultant,
    )  # fmt: skip


def stored(table: str, columns: str, pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test constants
        return tuple(cursor.fetchone())


def actions(case: Case) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="cases.Case", object_id=str(case.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def another_case(personas: Personas) -> Case:
    case = case_open(language="ja", account="Another worker's case", logged_by=personas.consultant)
    assert isinstance(case, Case)
    return case


def second_expert() -> User:
    return make_user("doctor", Role.EXPERT, expert_kind=ExpertKind.DOCTOR)


# What an expert may see ---------------------------------------------------------------------------


def test_an_expert_sees_no_case_until_one_is_referred_to_them(personas: Personas) -> None:
    desk_case(personas)
    assert list(cases_visible_to(personas.expert)) == []


def test_an_expert_sees_only_the_cases_referred_to_them(personas: Personas) -> None:
    referred, other = desk_case(personas), another_case(personas)
    refer(personas, referred)
    refer(personas, other, expert=second_expert())
    assert list(cases_visible_to(personas.expert)) == [referred]


def test_an_expert_loses_the_case_when_the_referral_is_withdrawn(personas: Personas) -> None:
    referral = refer(personas)
    client = verified_client(personas.expert)
    assert client.get(url("expert_referral", referral.public_id)).status_code == 200
    expert_referral_withdraw(referral=referral, actor=personas.consultant)
    assert list(cases_visible_to(personas.expert)) == []
    assert client.get(url("expert_referral", referral.public_id)).status_code == 404
    assert "Is the passport" not in client.get(url("expert_referrals")).content.decode()


def test_once_the_expert_answers_the_case_and_the_workers_words_are_out_of_their_reach(
    personas: Personas,
) -> None:
    referral = refer(personas)
    account = referral.case.account
    expert_referral_answer(referral=referral, answer="The deduction is unlawful.", actor=personas.expert)
    assert list(cases_visible_to(personas.expert)) == []
    page = verified_client(personas.expert).get(url("expert_referral", referral.public_id))
    assert page.status_code == 200  # their own question and answer stay readable
    assert account not in page.content.decode()


def test_two_referrals_of_one_case_list_the_case_once_and_one_withdrawal_keeps_the_other(
    personas: Personas,
) -> None:
    first, second = refer(personas), refer(personas)
    assert cases_visible_to(personas.expert).count() == 1
    expert_referral_withdraw(referral=first, actor=personas.consultant)
    assert list(cases_visible_to(personas.expert)) == [second.case]


def test_the_expert_page_shows_the_question_and_account_but_never_who_the_worker_is(
    personas: Personas,
) -> None:
    referral = refer(personas)
    case = referral.case
    page = verified_client(personas.expert).get(url("expert_referral", referral.public_id)).content.decode()
    assert "Is the passport retention a crime here?" in page
    assert "My employer keeps my passport" in page  # the account
    assert "Passport or residence card kept by someone" in page  # the category
    for hidden in (PHONE, "Call after 8 pm", "Can you help me?", "We will call you tonight."):
        assert hidden not in page, hidden  # contact, internal note, messages
    assert case.number in page


def test_an_expert_gets_404_on_every_desk_url_even_for_a_case_referred_to_them(personas: Personas) -> None:
    referral = refer(personas)
    case = referral.case
    adr = adr_referral_create(case=case, actor=personas.consultant, centre="Tokyo Bar ADR")
    pdf = CleanFile(b"%PDF-1.4 a payslip", "application/pdf", "pdf")
    attachment = attachments_add(case=case, files=[pdf], message=case.messages.last())[0]
    client = verified_client(personas.expert)
    assert client.get(url("case_attachment", case.public_id, attachment.public_id)).status_code == 404
    for name in ("case_detail", "case_status", "case_assign", "case_reply", "case_note", "case_outcome",
                 "case_company_summary", "guiding_support_add", "expert_referral_add", "adr_referral_add"):  # fmt: skip
        assert client.get(url(name, case.public_id)).status_code == 404, name
        assert client.post(url(name, case.public_id), {}).status_code == 404, name
    for name, args in (
        ("expert_referral_withdraw", [case.public_id, referral.public_id]),
        ("adr_referral_update", [case.public_id, adr.public_id]),
    ):
        assert client.post(url(name, *args), {}).status_code == 404, name
    for name in ("case_inbox", "alert_queue", "case_new"):
        assert client.get(url(name)).status_code == 404, name
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_an_expert_cannot_open_or_answer_another_experts_referral(personas: Personas) -> None:
    referral = refer(personas, expert=second_expert())
    client = verified_client(personas.expert)
    assert client.get(url("expert_referral", referral.public_id)).status_code == 404
    assert client.post(url("expert_referral", referral.public_id), {"answer": "Mine"}).status_code == 404
    with pytest.raises(ReferralRefused):
        expert_referral_answer(referral=referral, answer="Mine", actor=personas.expert)
    referral.refresh_from_db()
    assert referral.answer == "" and referral.status == ReferralStatus.OPEN


def test_the_expert_list_shows_their_referrals_only(personas: Personas) -> None:
    mine = refer(personas)
    other = refer(personas, another_case(personas), expert=second_expert())
    page = verified_client(personas.expert).get(url("expert_referrals")).content.decode()
    assert mine.case.number in page and other.case.number not in page


@pytest.mark.parametrize("persona", ["consultant", "worker", "admin_a", "operator", "auditor"])
def test_nobody_but_the_expert_opens_the_expert_pages(personas: Personas, persona: str) -> None:
    referral = refer(personas)
    client = verified_client(getattr(personas, persona))
    assert client.get(url("expert_referrals")).status_code == 404
    assert client.get(url("expert_referral", referral.public_id)).status_code == 404


# The expert answers -------------------------------------------------------------------------------


def test_opening_the_referral_is_audited_and_the_answer_reaches_the_desk(personas: Personas) -> None:
    referral = refer(personas)
    client = verified_client(personas.expert)
    client.get(url("expert_referral", referral.public_id))
    assert "case.expert_view" in actions(referral.case)
    response = client.post(url("expert_referral", referral.public_id), {"answer": "Yes: ANSWER-SECRET"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ANSWERED and referral.answered_at is not None
    assert "case.expert_answer" in actions(referral.case)
    assert "ANSWER-SECRET" not in str(stored("cases_expertreferral", "question, answer", referral.pk))
    desk_page = verified_client(personas.consultant).get(url("case_detail", referral.case.public_id))
    assert "Yes: ANSWER-SECRET" in desk_page.content.decode()


def test_an_answered_referral_cannot_be_answered_again(personas: Personas) -> None:
    referral = refer(personas)
    expert_referral_answer(referral=referral, answer="First", actor=personas.expert)
    with pytest.raises(ReferralRefused):
        expert_referral_answer(referral=referral, answer="Second", actor=personas.expert)
    referral.refresh_from_db()
    assert referral.answer == "First"


def test_only_an_active_expert_can_be_asked(personas: Personas) -> None:
    for person in (personas.consultant, personas.admin_a):
        with pytest.raises(ReferralRefused):
            refer(personas, expert=person)
    personas.expert.is_active = False
    personas.expert.save()
    with pytest.raises(ReferralRefused):
        refer(personas)


# The desk's forms ---------------------------------------------------------------------------------


def consultant(personas: Personas) -> tuple[Client, Case]:
    return verified_client(personas.consultant), desk_case(personas)


def test_the_desk_records_guiding_support_encrypted_and_audited(personas: Personas) -> None:
    client, case = consultant(personas)
    response = client.post(
        url("guiding_support_add", case.public_id),
        {"date": "2026-05-01", "accompanied_by": personas.consultant.pk, "accompanied_by_name": "Lawyer Sato",
         "place": "PLACE-SECRET labour office", "purpose": "labour_office", "outcome": "OUTCOME-SECRET"},
    )  # fmt: skip
    assert response.status_code == 302
    support = GuidingSupport.objects.get(case=case)
    assert (support.date, support.accompanied_by, support.accompanied_by_name) == (
        date(2026, 5, 1), personas.consultant, "Lawyer Sato",
    )  # fmt: skip
    assert "SECRET" not in str(stored("cases_guidingsupport", "place, outcome", support.pk))
    assert "case.guiding_support" in actions(case)
    page = client.get(url("case_detail", case.public_id)).content.decode()
    assert "PLACE-SECRET labour office" in page and "OUTCOME-SECRET" in page


def test_guiding_support_needs_someone_who_went(personas: Personas) -> None:
    client, case = consultant(personas)
    response = client.post(
        url("guiding_support_add", case.public_id),
        {"date": "2026-05-01", "place": "Hospital", "purpose": "hospital"},
    )
    assert response.status_code == 400
    assert "Say who accompanied the worker" in response.content.decode()
    assert not GuidingSupport.objects.exists()
    with pytest.raises(ValueError, match="who accompanied"):
        guiding_support_record(case=case, actor=personas.consultant, date=date(2026, 5, 1), place="X",
                               purpose="hospital")  # fmt: skip


def test_the_desk_refers_to_an_expert_and_withdraws_from_the_case_page(personas: Personas) -> None:
    client, case = consultant(personas)
    response = client.post(
        url("expert_referral_add", case.public_id),
        {"expert": personas.expert.pk, "question": "QUESTION-SECRET"},
    )
    assert response.status_code == 302
    referral = ExpertReferral.objects.get(case=case)
    assert referral.expert == personas.expert and referral.created_by == personas.consultant
    assert "QUESTION-SECRET" not in str(stored("cases_expertreferral", "question", referral.pk))
    client.post(url("expert_referral_withdraw", case.public_id, referral.public_id))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.withdrawn_at is not None
    assert actions(case)[-2:] == ["case.expert_refer", "case.expert_withdraw"]


def test_the_desk_cannot_refer_to_someone_who_is_not_an_expert(personas: Personas) -> None:
    client, case = consultant(personas)
    response = client.post(
        url("expert_referral_add", case.public_id), {"expert": personas.supervisor.pk, "question": "Q"}
    )
    assert response.status_code == 400
    assert not ExpertReferral.objects.exists()


def test_an_adr_referral_defaults_to_the_employer_bearing_half(personas: Personas) -> None:
    client, case = consultant(personas)
    page = client.get(url("case_detail", case.public_id)).content.decode()
    assert 'name="employer_cost_percent" value="50"' in page
    response = client.post(
        url("adr_referral_add", case.public_id),
        {"centre": "Tokyo Bar Association ADR", "mediator_1": "Lawyer Ito", "mediator_2": "Lawyer Mori",
         "interpreter_name": "Nguyen", "interpreter_language": "vi", "employer_cost_percent": "50"},
    )  # fmt: skip
    assert response.status_code == 302
    adr = AdrReferral.objects.get(case=case)
    assert (adr.mediator_1, adr.mediator_2, adr.interpreter_language) == ("Lawyer Ito", "Lawyer Mori", "vi")
    assert (adr.employer_cost_percent, adr.worker_cost_percent, adr.status) == (50, 50, AdrStatus.REQUESTED)
    assert "employer 50% / worker 50%" in client.get(url("case_detail", case.public_id)).content.decode()
    assert "case.adr_refer" in actions(case)


def test_adr_sessions_and_outcome_are_recorded_with_the_outcome_encrypted(personas: Personas) -> None:
    client, case = consultant(personas)
    adr = adr_referral_create(case=case, actor=personas.consultant, centre="Osaka Bar ADR")
    prefix = f"adr{adr.pk}"
    for day in ("2026-06-10", "2026-06-03", "2026-06-10"):
        client.post(
            url("adr_referral_update", case.public_id, adr.public_id),
            {f"{prefix}-status": "in_mediation", f"{prefix}-session": day},
        )
    response = client.post(
        url("adr_referral_update", case.public_id, adr.public_id),
        {f"{prefix}-status": "settled", f"{prefix}-outcome": "ADR-SECRET paid 300,000 yen"},
    )
    assert response.status_code == 302
    adr.refresh_from_db()
    assert adr.sessions == ["2026-06-03", "2026-06-10"]  # in order, each date once
    assert (adr.status, adr.outcome) == (AdrStatus.SETTLED, "ADR-SECRET paid 300,000 yen")
    assert "ADR-SECRET" not in str(stored("cases_adrreferral", "outcome", adr.pk))
    assert actions(case).count("case.adr_update") == 4


def test_an_adr_cost_share_over_100_percent_is_refused(personas: Personas) -> None:
    client, case = consultant(personas)
    response = client.post(
        url("adr_referral_add", case.public_id), {"centre": "ADR", "employer_cost_percent": "150"}
    )
    assert response.status_code == 400
    assert not AdrReferral.objects.exists()
    with pytest.raises(ValueError, match="percentage"):
        adr_referral_create(case=case, actor=personas.consultant, centre="ADR", employer_cost_percent=101)


def test_an_adr_update_with_an_unknown_status_shows_the_error_on_that_referral(personas: Personas) -> None:
    client, case = consultant(personas)
    adr = adr_referral_create(case=case, actor=personas.consultant, centre="Osaka Bar ADR")
    response = client.post(
        url("adr_referral_update", case.public_id, adr.public_id), {f"adr{adr.pk}-status": "won"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValueError, match="Unknown ADR status"):
        adr_referral_update(adr=adr, actor=personas.consultant, status="won")
