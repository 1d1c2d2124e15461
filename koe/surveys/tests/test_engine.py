"""The questionnaire engine: definitions are validated, versions are frozen once published, and
answers are scored by the rules the definition states."""

import copy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from koe.surveys.definition import DefinitionError, parse
from koe.surveys.indicators import TAGS_BY_CODE
from koe.surveys.models import Response
from koe.surveys.scoring import score
from koe.surveys.services import (
    PublishedVersionChanged,
    questionnaire_version_load,
    response_save_answers,
    response_start,
    response_submit,
)
from koe.surveys.testing import small_definition, small_document

SELFCHECK = Path(__file__).resolve().parents[1] / "definitions" / "worker-selfcheck" / "v1"


def test_a_missing_translation_is_named_with_its_language_and_key() -> None:
    document = small_document()
    del document["texts"]["my"]["item.hit.advice"]
    document["texts"]["ne"]["option.deductions.savings"] = "   "
    with pytest.raises(DefinitionError) as error:
        parse(document)
    message = str(error.value)
    assert "'my'" in message and "item.hit.advice" in message
    assert "'ne'" in message and "option.deductions.savings" in message


def test_a_language_without_any_text_is_refused() -> None:
    document = small_document()
    del document["texts"]["tl"]
    with pytest.raises(DefinitionError, match="'tl': no texts at all"):
        parse(document)


def test_unknown_tags_conditions_and_duplicate_codes_are_all_reported_at_once() -> None:
    document = copy.deepcopy(small_document())
    items = document["structure"]["sections"][0]["items"]
    items[0]["tags"] = ["not_a_tag"]
    items[1]["show_if"] = {"item": "passport_kept", "in": ["perhaps"]}
    document["structure"]["sections"][1]["items"][0]["code"] = "passport_kept"
    with pytest.raises(DefinitionError) as error:
        parse(document)
    problems = " ".join(error.value.problems)
    assert "not_a_tag" in problems and "'perhaps'" in problems and "used more than once" in problems


def test_hidden_answers_do_not_count() -> None:
    definition = small_definition()
    # passport_back is only asked when the passport is kept: a stale "no" must not raise a flag.
    result = score(definition, {"passport_kept": "no", "passport_back": "no"})
    assert result.red_flags == () and result.shown_tags == 0


def test_a_combination_rule_raises_a_critical_flag_with_its_indicators() -> None:
    result = score(small_definition(), {"passport_kept": "yes", "passport_back": "no"})
    assert [flag.code for flag in result.red_flags] == ["kept_and_no_access"]
    assert result.severity == "critical"
    assert result.shown_tags & TAGS_BY_CODE["restriction_of_movement"].mask


def test_numbers_and_multiple_choices_raise_flags_by_their_thresholds() -> None:
    definition = small_definition()
    assert score(definition, {"overtime": 60}).risky_items == ["overtime"]
    assert score(definition, {"overtime": 60}).red_flags == ()
    assert [flag.code for flag in score(definition, {"overtime": 101}).red_flags] == ["overtime"]
    assert [flag.code for flag in score(definition, {"deductions": ["housing", "savings"]}).red_flags] == [
        "deductions"
    ]
    assert score(definition, {"deductions": ["housing"]}).red_flags == ()


@pytest.mark.django_db
def test_a_published_version_never_changes() -> None:
    document = small_document()
    version = questionnaire_version_load(document=document, publish=True)
    changed = copy.deepcopy(document)
    changed["texts"]["ja"]["item.hit.question"] = "別の質問"
    with pytest.raises(PublishedVersionChanged):
        questionnaire_version_load(document=changed)
    version.refresh_from_db()
    assert version.definition["texts"]["ja"]["item.hit.question"] != "別の質問"
    # Loading the same files again is harmless.
    assert questionnaire_version_load(document=document).pk == version.pk


@pytest.mark.django_db
def test_every_response_points_at_the_version_it_answered() -> None:
    first = questionnaire_version_load(document=small_document(version=1), publish=True)
    response = response_start(version=first, language="vi")
    questionnaire_version_load(document=small_document(version=2), publish=True)
    response_save_answers(response=response, answers={"hit": "yes"}, item_codes=["hit"])
    submitted = response_submit(response_id=response.pk)
    assert submitted.version == first
    assert Response.objects.get(pk=response.pk).answers.get().item == "hit"


@pytest.mark.django_db
def test_free_text_answers_are_encrypted_in_the_database() -> None:
    from django.db import connection

    version = questionnaire_version_load(document=small_document(), publish=True)
    response = response_start(version=version, language="en")
    secret = "My supervisor Tanaka keeps my passport"
    response_save_answers(response=response, answers={"anything_else": secret}, item_codes=["anything_else"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT draft_answers FROM surveys_response")
        assert "Tanaka" not in str(cursor.fetchall())
    response_submit(response_id=response.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM surveys_answer")
        assert "Tanaka" not in str(cursor.fetchall())


@pytest.mark.django_db
def test_the_load_command_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "structure.toml").write_text('slug = "x"\nversion = 1\nkind = "survey"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="'ja': no texts at all"):
        call_command("load_questionnaire", str(tmp_path))


@pytest.mark.django_db
def test_the_worker_selfcheck_in_the_repository_loads_in_every_language() -> None:
    out = StringIO()
    call_command("load_questionnaire", str(SELFCHECK), "--publish", stdout=out)
    assert "published" in out.getvalue()


@pytest.mark.django_db
def test_an_anonymous_sheet_keeps_the_employer_it_came_through_and_the_employers_facts(personas) -> None:
    version = questionnaire_version_load(document=small_document(), publish=True)
    response = response_start(version=version, language="my")
    response_save_answers(response=response, answers={"hit": "yes"}, item_codes=["hit"])
    submitted = response_submit(response_id=response.pk, employer=personas.org_a2)
    assert submitted.worker is None and submitted.employer == personas.org_a2
    assert (submitted.prefecture, submitted.industry) == (
        personas.org_a2.prefecture,
        personas.org_a2.industry,
    )
    assert submitted.alert.employer == personas.org_a2
    assert list(submitted.alert.brand_holders.all()) == [personas.org_a]
