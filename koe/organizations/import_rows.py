"""Judging each row of a supply-chain file against itself, the rest of the file and Koe's records.

The tier rule: tiers count from the importing company. A company directly below it is tier 1
(its parent column is empty, or holds the importing company's own number); a supplier of a
tier-1 company is tier 2; a row's tier is always its parent's tier plus one. A parent is either
another row of the file or a company already in the importer's supply chain (its tier there
is the length of its shortest path from the importer).

Rows are judged in tier order, so a parent is always judged before its children; a row whose
parent has errors fails too. Problems are kept as codes and parameters (``Problem``) and worded
only when shown, in the language of the person looking (``problem_message``).
"""

import difflib
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from koe.organizations.corporate_number import is_valid_corporate_number
from koe.organizations.forms import MAX_TIER, normalize_corporate_number
from koe.organizations.import_files import RawRow
from koe.organizations.japan import INDUSTRY_CHOICES, PREFECTURE_CHOICES
from koe.organizations.models import Organization, SupplyChainLink
from koe.organizations.selectors import supply_chain_links, supply_chain_tiers

NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300
LOOKUP_CHUNK = 1000
PROGRESS_EVERY = 500
SIMILAR_NAME_RATIO = 0.5
IMPORTER = "importer"  # the node of the importing company in the graph walked for loops

PREFECTURES = {code for code, _label in PREFECTURE_CHOICES}
INDUSTRIES = {code for code, _label in INDUSTRY_CHOICES}
YES = {"1", "yes", "y", "true", "はい", "○", "◯", "外国", "外国法人", "海外"}
NO = {"", "0", "no", "n", "false", "いいえ", "\u00d7", "-"}  # the batsu mark, "no"
SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)
MARKUP = re.compile(r"[<>]")
COMPANY_SUFFIXES = re.compile(
    r"株式会社|有限会社|合同会社|\(株\)|\(有\)|co\.?,? ?ltd\.?|inc\.?|corp\.?|[\s.,]"
)

COLUMN_LABELS: dict[str, Any] = {
    "corporate_number": _("Corporate number"),
    "name": _("Name"),
    "tier": _("Tier"),
    "parent": _("Parent corporate number"),
    "prefecture": _("Prefecture"),
    "industry": _("Industry"),
    "is_foreign": _("Foreign entity"),
    "address": _("Address"),
}
MESSAGES: dict[str, Any] = {
    "name_missing": _("The name is missing."),
    "name_long": _("The name is longer than 200 characters."),
    "name_markup": _(
        "The name contains < or >. It will be stored exactly as written and always shown as text."
    ),
    "number_missing": _("A Japanese company needs its corporate number (or mark it as a foreign entity)."),
    "number_format": _("A corporate number has exactly 13 digits."),
    "number_scientific": _(
        "This looks like a number Excel shortened (%(value)s). Format the column as text and type the 13 digits again."
    ),
    "number_check_digit": _(
        "The check digit of this corporate number is wrong: please check it for a typing error."
    ),
    "number_duplicate": _("This corporate number is already on row %(row)s of the file."),
    "name_differs": _(
        "This corporate number is registered on Koe as “%(registered)s”. The registered name is kept."
    ),
    "tier_invalid": _("The tier must be a whole number from 1 to %(max)s."),
    "tier_mismatch": _("The tier must be %(expected)s: one more than its parent's tier (%(parent_tier)s)."),
    "parent_format": _("The parent's corporate number is not valid."),
    "parent_unknown": _("The parent is neither in this file nor in your supply chain."),
    "parent_has_errors": _("Its parent (row %(row)s) has errors, so this row cannot be imported either."),
    "parent_self": _("A company cannot be its own parent."),
    "importer_itself": _("This is your own organisation; it cannot be its own supplier."),
    # Worded so that it says nothing about a company outside the importer's chain: whether it is
    # on Koe, under which name, with which suppliers (anyone can type any corporate number).
    "has_chain": _(
        "This company cannot be added to your supply chain by import. Please ask the Koe secretariat."
    ),
    "loop": _("This row would make the supply chain loop back on itself."),
    "already_linked": _("This company is already registered below this parent; the row changes nothing."),
    "prefecture_invalid": _("The prefecture code must be a number from 01 to 47."),
    "industry_invalid": _("The industry code must be a letter from A to T."),
    "foreign_invalid": _("Write 1 (yes) or 0 (no) for a foreign entity."),
    "address_long": _("The address is longer than 300 characters."),
}


@dataclass
class Problem:
    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "params": self.params,
                "warning": self.warning}  # fmt: skip


def problem_message(problem: dict[str, Any]) -> str:
    message = str(MESSAGES[problem["code"]])
    params = problem.get("params")
    return message % params if params else message


def column_label(column: str) -> str:
    return str(COLUMN_LABELS.get(column, column))


@dataclass
class Row:
    number: int
    name: str = ""
    corporate_number: str = ""
    tier: int = 0
    parent: str = ""  # the parent's corporate number; empty for the importer itself
    prefecture: str = ""
    industry: str = ""
    is_foreign: bool = False
    address: str = ""
    errors: int = 0
    existing_id: int | None = None
    parent_node: int | str = IMPORTER
    already_linked: bool = False

    @property
    def node(self) -> int | str:
        """This row's company in the graph: its id when already on Koe, else a key of the file."""
        return self.existing_id if self.existing_id is not None else f"row:{self.number}"

    def organization_fields(self) -> dict[str, Any]:
        return {"name": self.name, "corporate_number": self.corporate_number, "is_foreign": self.is_foreign,
                "prefecture": self.prefecture, "industry": self.industry, "address": self.address}  # fmt: skip


@dataclass
class Checked:
    rows: list[Row]  # every readable row, in tier order
    problems: list[Problem]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if not row.errors]

    @property
    def error_rows(self) -> int:
        return len({problem.row for problem in self.problems if not problem.warning})


class _Judge:
    """Collects problems while the rows are read and checked."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, target: Row, column: str, code: str, /, **params: Any) -> None:
        target.errors += 1
        self.problems.append(Problem(target.number, column, code, params))

    def warn(self, target: Row, column: str, code: str, /, **params: Any) -> None:
        self.problems.append(Problem(target.number, column, code, params, warning=True))


def _text(value: str) -> str:
    """Control characters (a stray tab, a line break inside a cell) become spaces."""
    cleaned = "".join(" " if unicodedata.category(character)[0] == "C" else character for character in value)
    return " ".join(cleaned.split())


def _number(judge: _Judge, row: Row, column: str, raw: str, *, missing_code: str | None) -> str:
    number = normalize_corporate_number(raw.strip())
    if not number:
        if missing_code:
            judge.error(row, column, missing_code)
        return ""
    if SCIENTIFIC.match(number):
        judge.error(row, column, "number_scientific", value=number)
    elif len(number) != 13 or not number.isascii() or not number.isdigit():
        judge.error(row, column, "number_format" if column == "corporate_number" else "parent_format")
    elif not is_valid_corporate_number(number):
        judge.error(row, column, "number_check_digit" if column == "corporate_number" else "parent_format")
    else:
        return number
    return ""


def _tier(judge: _Judge, row: Row, raw: str) -> int:
    text = unicodedata.normalize("NFKC", raw).strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_TIER:
        return int(text)
    judge.error(row, "tier", "tier_invalid", max=MAX_TIER)
    return 0


def _codes(judge: _Judge, row: Row, values: dict[str, str]) -> None:
    prefecture = unicodedata.normalize("NFKC", values.get("prefecture", "")).strip()
    if prefecture.isascii() and prefecture.isdigit():
        prefecture = prefecture.zfill(2)
    if prefecture and prefecture not in PREFECTURES:
        judge.error(row, "prefecture", "prefecture_invalid")
    industry = unicodedata.normalize("NFKC", values.get("industry", "")).strip().upper()
    if industry and industry not in INDUSTRIES:
        judge.error(row, "industry", "industry_invalid")
    foreign = unicodedata.normalize("NFKC", values.get("is_foreign", "")).strip().casefold()
    if foreign not in YES | NO:
        judge.error(row, "is_foreign", "foreign_invalid")
    row.prefecture, row.industry, row.is_foreign = prefecture, industry, foreign in YES


def _read(judge: _Judge, raw: RawRow) -> Row:
    """One row's own fields, each checked on its own."""
    values = raw.values
    row = Row(number=raw.number, name=_text(values.get("name", "")), address=_text(values.get("address", "")))
    if not row.name:
        judge.error(row, "name", "name_missing")
    elif len(row.name) > NAME_MAX_LENGTH:
        judge.error(row, "name", "name_long")
    elif MARKUP.search(row.name):
        judge.warn(row, "name", "name_markup")
    if len(row.address) > ADDRESS_MAX_LENGTH:
        judge.error(row, "address", "address_long")
    _codes(judge, row, values)
    missing = None if row.is_foreign else "number_missing"
    row.corporate_number = _number(
        judge, row, "corporate_number", values.get("corporate_number", ""), missing_code=missing
    )
    row.tier = _tier(judge, row, values.get("tier", ""))
    row.parent = _number(judge, row, "parent", values.get("parent", ""), missing_code=None)
    return row


def _mark_duplicates(judge: _Judge, rows: list[Row]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        if not row.corporate_number:
            continue
        if row.corporate_number in first:
            judge.error(row, "corporate_number", "number_duplicate", row=first[row.corporate_number])
        else:
            first[row.corporate_number] = row.number


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def _similar_name(a: str, b: str) -> bool:
    def simple(name: str) -> str:
        return COMPANY_SUFFIXES.sub("", unicodedata.normalize("NFKC", name).casefold())

    return difflib.SequenceMatcher(None, simple(a), simple(b)).ratio() >= SIMILAR_NAME_RATIO


@dataclass
class _Graph:
    """What Koe already knows around the importer, loaded once for the whole file."""

    importer: Organization
    registered: dict[str, tuple[int, str]]  # corporate number -> (id, name)
    tiers: dict[int, int]  # the importer's chain: id -> tier seen from the importer
    with_suppliers: set[int]  # registered organisations that have suppliers of their own
    edges: dict[int | str, set[int | str]]  # buyer -> suppliers, the importer as IMPORTER

    @classmethod
    def load(cls, importer: Organization, numbers: set[str]) -> "_Graph":
        registered: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(sorted(numbers)):
            found = Organization.objects.filter(corporate_number__in=chunk).values_list(
                "corporate_number", "pk", "name"
            )
            registered.update({number: (pk, name) for number, pk, name in found})
        ids = [pk for pk, _name in registered.values()]
        with_suppliers: set[int] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk_ids = ids[start : start + LOOKUP_CHUNK]
            with_suppliers |= set(
                SupplyChainLink.objects.filter(buyer_id__in=chunk_ids).values_list("buyer_id", flat=True)
            )
        edges: dict[int | str, set[int | str]] = {}
        for buyer, supplier in supply_chain_links(importer.pk):
            key = IMPORTER if buyer == importer.pk else buyer
            edges.setdefault(key, set()).add(IMPORTER if supplier == importer.pk else supplier)
        tiers = supply_chain_tiers(importer)
        return cls(importer, registered, tiers, with_suppliers, edges)

    def reaches(self, start: int | str, goal: int | str) -> bool:
        seen, queue = {start}, deque([start])
        while queue:
            current = queue.popleft()
            if current == goal:
                return True
            for following in self.edges.get(current, ()):
                if following not in seen:
                    seen.add(following)
                    queue.append(following)
        return False


def _match_registered(judge: _Judge, graph: _Graph, row: Row) -> None:
    found = graph.registered.get(row.corporate_number)
    if found is None:
        return
    pk, registered_name = found
    if pk == graph.importer.pk:
        judge.error(row, "corporate_number", "importer_itself")
        return
    if pk not in graph.tiers and pk in graph.with_suppliers:
        judge.error(row, "corporate_number", "has_chain")
        return
    row.existing_id = pk
    # Only for a company the importer already sees: elsewhere the name would tell what Koe holds.
    if pk in graph.tiers and row.name and not _similar_name(row.name, registered_name):
        judge.warn(row, "name", "name_differs", registered=registered_name)


def _place(judge: _Judge, graph: _Graph, row: Row, in_file: dict[str, Row]) -> None:
    """Finds the row's parent, checks its tier and that the new link closes no loop."""
    parent_tier = 0
    if row.parent and row.parent == row.corporate_number:
        judge.error(row, "parent", "parent_self")
        return
    if row.parent and row.parent != graph.importer.corporate_number:
        parent_row = in_file.get(row.parent)
        registered = graph.registered.get(row.parent)
        if parent_row is not None:
            if parent_row.errors:
                judge.error(row, "parent", "parent_has_errors", row=parent_row.number)
                return
            row.parent_node, parent_tier = parent_row.node, parent_row.tier
        elif registered is not None and registered[0] in graph.tiers:
            row.parent_node, parent_tier = registered[0], graph.tiers[registered[0]]
        else:
            judge.error(row, "parent", "parent_unknown")
            return
    if row.tier != parent_tier + 1:
        judge.error(row, "tier", "tier_mismatch", expected=parent_tier + 1, parent_tier=parent_tier)
        return
    if row.node in graph.edges.get(row.parent_node, ()):
        row.already_linked = True
        judge.warn(row, "parent", "already_linked")
        return
    if row.existing_id is not None and graph.reaches(row.node, row.parent_node):
        judge.error(row, "parent", "loop")
        return
    graph.edges.setdefault(row.parent_node, set()).add(row.node)


def check_rows(
    *, importer: Organization, raw_rows: list[RawRow], progress: Callable[[int], None] | None = None
) -> Checked:
    """Every row judged; ``progress(n)`` is told how many rows are done now and then."""
    judge = _Judge()
    rows = [_read(judge, raw) for raw in raw_rows]
    _mark_duplicates(judge, rows)
    numbers = {row.corporate_number for row in rows} | {row.parent for row in rows}
    graph = _Graph.load(importer, {number for number in numbers if number})
    # A duplicated number's first row is the parent its children refer to.
    in_file: dict[str, Row] = {}
    for row in rows:
        if row.corporate_number:
            in_file.setdefault(row.corporate_number, row)
    rows.sort(key=lambda row: (row.tier, row.number))
    for done, row in enumerate(rows, start=1):
        if not row.errors:
            _match_registered(judge, graph, row)
        if not row.errors:
            _place(judge, graph, row, in_file)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    judge.problems.sort(key=lambda problem: (problem.row, problem.warning))
    return Checked(rows=rows, problems=judge.problems)


def declared_tier_offset(importer: Organization) -> int:
    """The importer's own tier as its buyers declared it, so that links below an SC company keep
    the brand holder's numbering (a tier-1 company's direct suppliers are recorded as tier 2)."""
    lowest = SupplyChainLink.objects.filter(supplier=importer).aggregate(lowest=Min("tier"))["lowest"]
    return lowest or 0
