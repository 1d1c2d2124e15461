"""The monthly fee of a contract, computed from the price terms it was signed on.

Pure functions over integers (yen has no minor unit), so the fee is exact and testable without a
database. The terms are copied from the programme into the subscription at signing
(``PriceTerms.as_json``), and every later computation for that contract reads the copy.
"""

from dataclasses import asdict, dataclass
from typing import Any

from koe.programmes.models import Programme

BASE, SMALL_COMPANY, PER_COMPANY = "base", "small_company", "per_company"


@dataclass(frozen=True)
class PriceTerms:
    kind: str
    base_fee: int
    per_company_fee: int
    small_company_fee: int | None = None
    small_company_max_employees: int | None = None

    @classmethod
    def of(cls, programme: Programme) -> "PriceTerms":
        return cls(
            kind=programme.kind,
            base_fee=programme.base_fee,
            per_company_fee=programme.per_company_fee,
            small_company_fee=programme.small_company_fee,
            small_company_max_employees=programme.small_company_max_employees,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PriceTerms":
        return cls(
            kind=data["kind"],
            base_fee=data["base_fee"],
            per_company_fee=data["per_company_fee"],
            small_company_fee=data.get("small_company_fee"),
            small_company_max_employees=data.get("small_company_max_employees"),
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def is_small(self, employee_count: int | None) -> bool:
        """Whether the small-company price applies; the boundary itself (e.g. 300) is small."""
        return (
            self.small_company_fee is not None
            and self.small_company_max_employees is not None
            and employee_count is not None
            and employee_count <= self.small_company_max_employees
        )


@dataclass(frozen=True)
class FeeLine:
    code: str  # BASE, SMALL_COMPANY or PER_COMPANY
    quantity: int
    unit_fee: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_fee


@dataclass(frozen=True)
class Fee:
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    def as_json(self) -> list[dict[str, Any]]:
        return [{**asdict(line), "amount": line.amount} for line in self.lines]

    @classmethod
    def from_json(cls, data: list[dict[str, Any]]) -> "Fee":
        return cls(tuple(FeeLine(row["code"], row["quantity"], row["unit_fee"]) for row in data))


def monthly_fee(terms: PriceTerms, *, covered_companies: int, employee_count: int | None) -> Fee:
    """The fee per month: the base (or small-company) fee plus the fee per covered company."""
    if covered_companies < 0:
        raise ValueError("covered_companies cannot be negative")
    if terms.is_small(employee_count):
        assert terms.small_company_fee is not None  # is_small checked it
        lines = [FeeLine(SMALL_COMPANY, 1, terms.small_company_fee)]
    else:
        lines = [FeeLine(BASE, 1, terms.base_fee)]
    if covered_companies:
        lines.append(FeeLine(PER_COMPANY, covered_companies, terms.per_company_fee))
    return Fee(tuple(lines))


def format_yen(amount: int) -> str:
    """¥145,000: the way Japanese invoices write yen, the same in every language."""
    return f"¥{amount:,}"
