"""Word search at the desk: cases are found by the words the worker and the desk wrote, in any
script, while the database holds only keyed hashes of those words."""

from typing import Any

import pytest
from django.db import connection

from koe.cases.models import Case, CaseSearchToken
from koe.cases.search import words_of
from koe.cases.selectors import InboxFilters, case_inbox
from koe.cases.services import case_open, desk_message_post, internal_note_add, worker_message_post
from koe.core.testing.personas import Personas

pytestmark = pytest.mark.django_db

VIETNAMESE = "Công ty giữ hộ chiếu của tôi và không trả lương làm thêm giờ"
JAPANESE = "会社にパスポートを取られました。残業代も払われていません。"
BURMESE = "အလုပ်ရှင်က ကျွန်တော့် ပတ်စ်ပို့ကို သိမ်းထားတယ်"


def case_with_message(personas: Personas, language: str, message: str) -> Case:
    case = case_open(
        language=language, account="-", channel="phone", categories=["other"], logged_by=personas.consultant
    )
    assert isinstance(case, Case)
    worker_message_post(case=case, body=message)
    return case


def found(user: Any, text: str, status: str = "") -> set[Case]:
    return set(case_inbox(user, InboxFilters(search=text, status=status)))


def test_a_case_is_found_by_a_word_of_the_workers_message_in_vietnamese(personas: Personas) -> None:
    case = case_with_message(personas, "vi", VIETNAMESE)
    assert found(personas.consultant, "hộ chiếu") == {case}
    assert found(personas.consultant, "LƯƠNG") == {case}
    assert found(personas.consultant, "ho chieu") == {case}  # typed without accents


def test_a_case_is_found_by_a_word_of_the_workers_message_in_japanese(personas: Personas) -> None:
    case = case_with_message(personas, "ja", JAPANESE)
    assert found(personas.consultant, "パスポート") == {case}
    assert found(personas.consultant, "残業代") == {case}
    assert found(personas.consultant, "ﾊﾟｽﾎﾟｰﾄ") == {case}  # half-width katakana, as some phones type


def test_a_case_is_found_by_a_word_of_the_workers_message_in_burmese(personas: Personas) -> None:
    case = case_with_message(personas, "my", BURMESE)
    assert found(personas.consultant, "ပတ်စ်ပို့") == {case}  # passport
    assert found(personas.consultant, "အလုပ်ရှင်") == {case}  # employer


def test_a_word_that_is_not_in_the_case_finds_nothing(personas: Personas) -> None:
    case_with_message(personas, "vi", VIETNAMESE)
    case_with_message(personas, "ja", JAPANESE)
    case_with_message(personas, "my", BURMESE)
    assert found(personas.consultant, "visa") == set()
    assert found(personas.consultant, "給料") == set()  # wages: not written in the Japanese case
    assert found(personas.consultant, "ဗီဇာ") == set()  # visa
    assert found(personas.consultant, "hộ chiếu visa") == set()  # every word must be there


def test_the_token_table_holds_no_word_in_plain_text(personas: Personas) -> None:
    case_with_message(personas, "vi", VIETNAMESE)
    case_with_message(personas, "ja", JAPANESE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_casesearchtoken")
        stored = str(cursor.fetchall())
    assert CaseSearchToken.objects.count() > 20
    for word in ("chiếu", "chieu", "lương", "luong", "パス", "ポート", "残業"):
        assert word not in stored


def test_only_desk_staff_search_and_only_among_cases_they_may_see(personas: Personas) -> None:
    case = case_with_message(personas, "vi", VIETNAMESE)
    assert found(personas.supervisor, "hộ chiếu") == {case}
    for outsider in (personas.admin_a, personas.worker, personas.auditor, personas.expert):
        assert found(outsider, "hộ chiếu") == set()
    assert found(personas.consultant, "hộ chiếu", status="closed") == set()  # filters still apply


def test_a_new_message_or_note_makes_its_words_findable(personas: Personas) -> None:
    case = case_with_message(personas, "vi", VIETNAMESE)
    assert found(personas.consultant, "ký túc xá") == set()
    worker_message_post(case=case, body="Họ khóa cửa ký túc xá")  # they lock the dormitory door
    assert found(personas.consultant, "ký túc xá") == {case}
    desk_message_post(case=case, body="We will visit the dormitory on Friday", actor=personas.consultant)
    internal_note_add(case=case, actor=personas.consultant, body="Ask the labour inspection office")
    assert found(personas.consultant, "dormitory friday") == {case}
    assert found(personas.consultant, "inspection") == {case}
    assert found(personas.consultant, "hộ chiếu") == {case}  # earlier words are still there


def test_the_account_and_the_employer_as_written_are_searchable(personas: Personas) -> None:
    case = case_open(
        language="en", account="They took my residence card", channel="phone", logged_by=personas.consultant,
        employer_named="Tsubasa Bento factory",
    )  # fmt: skip
    assert found(personas.consultant, "residence card") == {case}
    assert found(personas.consultant, "bento") == {case}


def test_words_are_normalised_and_short_or_common_ones_dropped() -> None:
    full_width = "\uff30\uff21\uff33\uff33\uff30\uff2f\uff32\uff34"  # PASSPORT as CJK keyboards type it
    assert words_of(f"{full_width}, the Passport!") == {"passport"}
    assert words_of("パスポート") == {"パス", "スポ", "ポー", "ート"}
    assert words_of("金 a") == set()  # one character alone says too little to be indexed
    assert words_of("và của tôi", "vi") == set()
    assert "lương" in words_of("lương", "vi") and "luong" in words_of("lương", "vi")
    assert words_of("lương", for_query=True) == {"lương"}  # a search typed with accents stays exact


def test_the_reindex_command_makes_older_cases_findable(personas) -> None:
    from io import StringIO

    from django.core.management import call_command

    from koe.cases.models import CaseSearchToken
    from koe.cases.services import case_open

    case_open(language="en", account="The dormitory heater is broken", pin="123456")
    CaseSearchToken.objects.all().delete()  # as before the upgrade that brought word search
    out = StringIO()
    call_command("reindex_case_search", stdout=out)
    assert "indexed" in out.getvalue()
    assert CaseSearchToken.objects.exists()
