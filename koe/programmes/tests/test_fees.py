from datetime import date

import pytest

from koe.programmes.fees import BASE, PER_COMPANY, SMALL_COMPANY, Fee, PriceTerms, format_yen, monthly_fee
from koe.programmes.periods import add_months, period_containing

BASIC = PriceTerms("sc_basic", base_fee=100_000, per_company_fee=5_000)
EXPANSION = PriceTerms("sc_expansion", base_fee=200_000, per_company_fee=5_000)
STANDALONE = PriceTerms("standalone", 50_000, 0, small_company_fee=10_000, small_company_max_employees=300)


def test_basic_costs_the_base_fee_plus_five_thousand_yen_per_covered_company() -> None:
    fee = monthly_fee(BASIC, covered_companies=9, employee_count=None)
    assert fee.total == 145_000
    assert [(line.code, line.quantity, line.amount) for line in fee.lines] == [
        (BASE, 1, 100_000), (PER_COMPANY, 9, 45_000),
    ]  # fmt: skip


def test_expansion_costs_two_hundred_thousand_yen_plus_five_thousand_per_company() -> None:
    assert monthly_fee(EXPANSION, covered_companies=0, employee_count=None).total == 200_000
    assert monthly_fee(EXPANSION, covered_companies=3, employee_count=5000).total == 215_000


@pytest.mark.parametrize(
    ("employees", "expected"), [(1, 10_000), (299, 10_000), (300, 10_000), (301, 50_000), (None, 50_000)]
)
def test_stand_alone_is_ten_thousand_yen_up_to_and_including_300_employees(
    employees: int | None, expected: int
) -> None:
    fee = monthly_fee(STANDALONE, covered_companies=0, employee_count=employees)
    assert fee.total == expected
    assert fee.lines[0].code == (SMALL_COMPANY if expected == 10_000 else BASE)


def test_a_breakdown_survives_its_round_trip_through_json() -> None:
    fee = monthly_fee(BASIC, covered_companies=2, employee_count=None)
    assert Fee.from_json(fee.as_json()) == fee
    assert PriceTerms.from_json(STANDALONE.as_json()) == STANDALONE


def test_yen_are_written_with_the_yen_sign_and_thousands_separators() -> None:
    assert format_yen(145_000) == "¥145,000"
    assert format_yen(0) == "¥0"


def test_months_are_counted_from_the_contract_start_and_clamped_to_short_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert period_containing(date(2026, 4, 15), date(2026, 5, 14), 1) == (
        date(2026, 4, 15),
        date(2026, 5, 14),
    )
    assert period_containing(date(2026, 4, 15), date(2026, 5, 15), 1) == (
        date(2026, 5, 15),
        date(2026, 6, 14),
    )
    assert period_containing(date(2026, 4, 1), date(2027, 4, 1), 12) == (date(2027, 4, 1), date(2028, 3, 31))
