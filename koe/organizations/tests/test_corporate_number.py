"""Japan's corporate number: 13 ASCII digits whose first digit checks the other twelve."""

import pytest
from django.core.exceptions import ValidationError

from koe.organizations.corporate_number import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    validate_corporate_number,
)
from koe.organizations.forms import normalize_corporate_number
from koe.organizations.tests.factories import full_width

NATIONAL_TAX_AGENCY = "7000012050002"
TOYOTA_MOTOR = "1180301018771"


@pytest.mark.parametrize("number", [NATIONAL_TAX_AGENCY, TOYOTA_MOTOR])
def test_it_accepts_real_published_corporate_numbers(number: str) -> None:
    assert is_valid_corporate_number(number)
    validate_corporate_number(number)


def test_it_computes_the_check_digit_over_the_twelve_digit_base() -> None:
    assert corporate_number_check_digit("000012050002") == 7
    assert corporate_number_check_digit("180301018771") == 1


@pytest.mark.parametrize("wrong_first_digit", ["1", "2", "8", "9"])
def test_it_rejects_a_wrong_check_digit(wrong_first_digit: str) -> None:
    number = wrong_first_digit + NATIONAL_TAX_AGENCY[1:]
    assert not is_valid_corporate_number(number)
    with pytest.raises(ValidationError) as raised:
        validate_corporate_number(number)
    assert raised.value.code == "check_digit"


def test_it_rejects_two_swapped_digits() -> None:
    swapped = "7000012050020"
    assert not is_valid_corporate_number(swapped)


@pytest.mark.parametrize("number", ["700001205000", "70000120500021", "7", "700001205000a", "7000-1205-0002"])
def test_it_rejects_a_number_that_is_not_thirteen_digits(number: str) -> None:
    assert not is_valid_corporate_number(number)
    with pytest.raises(ValidationError) as raised:
        validate_corporate_number(number)
    assert raised.value.code == "format"


def test_it_rejects_full_width_digits_in_stored_values() -> None:
    typed = full_width(NATIONAL_TAX_AGENCY)
    assert typed.startswith("\uff17\uff10\uff10\uff10") and len(typed) == 13
    assert typed.isdigit()  # str.isdigit() alone would have let them through
    assert not is_valid_corporate_number(typed)
    with pytest.raises(ValidationError) as raised:
        validate_corporate_number(typed)
    assert raised.value.code == "format"


def test_an_empty_number_is_left_to_the_model_which_asks_japanese_organisations_for_one() -> None:
    validate_corporate_number("")


def test_the_form_turns_what_people_type_into_the_ascii_digits_that_are_stored() -> None:
    assert normalize_corporate_number(full_width(NATIONAL_TAX_AGENCY)) == NATIONAL_TAX_AGENCY
    assert normalize_corporate_number(" 7-0000-1205-0002 ") == NATIONAL_TAX_AGENCY
