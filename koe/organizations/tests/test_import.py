"""Supply-chain import from CSV and XLSX: reading, every row check, the decision, the writing."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from openpyxl import Workbook

from koe.audit.models import AuditEntry
from koe.core.testing.personas import CORPORATE_NUMBERS, Personas, verified_client
from koe.organizations import import_files
from koe.organizations.import_files import FileRefused, read_rows
from koe.organizations.import_rows import check_rows, problem_message
from koe.organizations.models import ImportJob, ImportStatus, Organization, SupplyChainLink
from koe.organizations.selectors import supply_chain_tiers
from koe.organizations.supply_import import supply_import_expire
from koe.organizations.tests.factories import corporate_number, make_org

pytestmark = pytest.mark.django_db

HEADER = ["corporate_number", "name", "tier", "parent_corporate_number"]
BAD_CHECK_DIGIT = "1010001000000"  # 7010001000000 is valid; only its check digit differs


def csv_bytes(rows: list[list[Any]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def three_tiers() -> tuple[list[list[Any]], list[str]]:
    numbers = [corporate_number() for _ in range(3)]
    rows = [
        [numbers[2], "Tier three", 3, numbers[1]],  # order in the file does not matter
        [numbers[0], "Tier one", 1, ""],
        [numbers[1], "Tier two", 2, numbers[0]],
    ]
    return rows, numbers


def problems_of(
    personas: Personas, rows: list[list[Any]], importer: Organization | None = None
) -> set[tuple]:
    checked = check_rows(importer=importer or personas.org_a, raw_rows=read_rows(csv_bytes(rows)))
    return {(problem.row, problem.column, problem.code) for problem in checked.problems}


def upload(client: Client, data: bytes, name: str = "chain.csv", callbacks: Any = None) -> Any:
    file = io.BytesIO(data)
    file.name = name
    with callbacks(execute=True):
        return client.post("/en/company/supply-chain/import/", {"file": file})


def latest_job(personas: Personas) -> ImportJob:
    return ImportJob.objects.filter(organization=personas.org_a).latest("pk")


def confirm(client: Client, job: ImportJob, mode: str, callbacks: Any) -> Any:
    with callbacks(execute=True):
        response = client.post(f"/en/company/supply-chain/import/{job.pk}/confirm/", {"mode": mode})
    return client.get(response["Location"])


# --- the whole journey ---------------------------------------------------------------------


def test_a_brand_holder_imports_a_three_tier_chain_with_tiers_and_parents(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = verified_client(personas.admin_a)
    rows, numbers = three_tiers()
    response = upload(client, csv_bytes(rows), callbacks=django_capture_on_commit_callbacks)
    job = latest_job(personas)
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "3 rows read: 3 valid, 0 with errors." in page
    assert job.status == ImportStatus.CHECKED and not Organization.objects.filter(corporate_number=numbers[0])

    page = confirm(client, job, "all", django_capture_on_commit_callbacks).content.decode()
    assert "Imported: 3 links to suppliers, 3 of them companies new to Koe." in page
    orgs = {number: Organization.objects.get(corporate_number=number) for number in numbers}
    tiers = supply_chain_tiers(personas.org_a)
    assert [tiers[orgs[number].pk] for number in numbers] == [1, 2, 3]
    assert SupplyChainLink.objects.get(supplier=orgs[numbers[2]]).buyer == orgs[numbers[1]]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.upload is None
    entry = AuditEntry.objects.get(action="supply_chain.import")
    assert entry.detail["created"] == 3 and entry.detail["rows"] == 3


def test_the_progress_page_refreshes_itself_while_the_job_runs(personas: Personas) -> None:
    job = ImportJob.objects.create(
        organization=personas.org_a, created_by=personas.admin_a, status=ImportStatus.CHECKING,
        file_name="big.csv", total_rows=10_000, processed_rows=2_500,
    )  # fmt: skip
    response = verified_client(personas.admin_a).get(f"/en/company/supply-chain/import/{job.pk}/")
    assert response["Refresh"] == "2"
    assert "2500 of 10000 rows" in response.content.decode()


def test_an_sc_company_imports_below_itself_keeping_the_brand_holders_tier_numbers(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = verified_client(personas.user_a1)  # admin of Sakura Packing, tier 1 of Sakura Foods
    number = corporate_number()
    upload(
        client, csv_bytes([[number, "Packing supplier", 1, ""]]), callbacks=django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get(organization=personas.org_a1)
    confirm(client, job, "all", django_capture_on_commit_callbacks)
    link = SupplyChainLink.objects.get(supplier__corporate_number=number)
    assert link.buyer == personas.org_a1 and link.tier == 2


# --- all or nothing, or the valid rows only ------------------------------------------------


def test_nothing_is_imported_while_a_row_has_errors_unless_the_admin_chooses_the_valid_rows(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = verified_client(personas.admin_a)
    good, bad, child = corporate_number(), corporate_number(), corporate_number()
    rows = [[good, "Good", 1, ""], [bad, "", 1, ""], [child, "Child of bad", 2, bad]]
    upload(client, csv_bytes(rows), callbacks=django_capture_on_commit_callbacks)
    job = latest_job(personas)
    assert (job.valid_rows, job.error_rows) == (1, 2)

    page = confirm(client, job, "all", django_capture_on_commit_callbacks).content.decode()
    assert "Some rows have errors" in page
    assert not Organization.objects.filter(corporate_number__in=[good, bad, child]).exists()

    confirm(client, job, "valid", django_capture_on_commit_callbacks)
    assert set(Organization.objects.filter(corporate_number__in=[good, bad, child]).values_list(
        "corporate_number", flat=True)) == {good}  # fmt: skip
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["skipped"] == 2


def test_an_import_whose_chain_changed_meanwhile_imports_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = verified_client(personas.admin_a)
    first, second = corporate_number(), corporate_number()
    upload(
        client,
        csv_bytes([[first, "One", 1, ""], [second, "Two", 1, ""]]),
        callbacks=django_capture_on_commit_callbacks,
    )
    job = latest_job(personas)
    make_org("Now with a chain", corporate_number=second, kind="brand_holder")
    SupplyChainLink.objects.create(
        buyer=Organization.objects.get(corporate_number=second), supplier=personas.org_b1
    )
    confirm(client, job, "all", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.result["reason"] == "changed"
    assert not Organization.objects.filter(corporate_number=first).exists()


def test_cancelling_drops_the_file_and_imports_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = verified_client(personas.admin_a)
    number = corporate_number()
    upload(client, csv_bytes([[number, "One", 1, ""]]), callbacks=django_capture_on_commit_callbacks)
    job = latest_job(personas)
    client.post(f"/en/company/supply-chain/import/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and job.upload is None
    assert not Organization.objects.filter(corporate_number=number).exists()


# --- row checks ----------------------------------------------------------------------------


def test_each_row_error_is_reported_with_its_row_and_column(personas: Personas) -> None:
    known = corporate_number()
    rows: list[list[Any]] = [
        [known, "Fine", 1, ""],  # row 2
        [corporate_number(), "", 1, ""],  # row 3: no name
        [BAD_CHECK_DIGIT, "Typo", 1, ""],  # row 4
        [known, "Again", 1, ""],  # row 5: duplicate of row 2
        [corporate_number(), "Zero tier", 0, ""],  # row 6
        [corporate_number(), "Word tier", "two", ""],  # row 7
        [corporate_number(), "Orphan", 2, corporate_number()],  # row 8: parent nowhere
        [corporate_number(), "Wrong tier", 3, known],  # row 9: parent is tier 1
        [CORPORATE_NUMBERS["a1"], "Sakura Packing", 3, CORPORATE_NUMBERS["a2"]],  # row 10: loop
        ["7.01E+12", "Excel", 1, ""],  # row 11
    ]
    assert problems_of(personas, rows) == {
        (3, "name", "name_missing"),
        (4, "corporate_number", "number_check_digit"),
        (5, "corporate_number", "number_duplicate"),
        (6, "tier", "tier_invalid"),
        (7, "tier", "tier_invalid"),
        (8, "parent", "parent_unknown"),
        (9, "tier", "tier_mismatch"),
        (10, "parent", "loop"),
        (11, "corporate_number", "number_scientific"),
    }


def test_a_company_of_another_chain_with_suppliers_of_its_own_is_refused(personas: Personas) -> None:
    rows = [[CORPORATE_NUMBERS["b"], "Hikari Apparel", 1, ""]]
    assert problems_of(personas, rows) == {(2, "corporate_number", "has_chain")}


def test_a_parent_of_another_chain_is_unknown_to_the_importer(personas: Personas) -> None:
    rows = [[corporate_number(), "Sneaky", 2, CORPORATE_NUMBERS["b1"]]]
    assert problems_of(personas, rows) == {(2, "parent", "parent_unknown")}


def test_a_registered_company_outside_the_chain_is_reused_without_telling_its_registered_name(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    registered = make_org("Minami Seika", corporate_number=corporate_number())
    rows = [[registered.corporate_number, "Totally Other Trading", 1, ""]]
    assert problems_of(personas, rows) == set()
    client = verified_client(personas.admin_a)
    upload(client, csv_bytes(rows), callbacks=django_capture_on_commit_callbacks)
    assert (
        "Minami Seika"
        not in client.get(f"/en/company/supply-chain/import/{latest_job(personas).pk}/").content.decode()
    )
    confirm(client, latest_job(personas), "all", django_capture_on_commit_callbacks)
    assert Organization.objects.filter(corporate_number=registered.corporate_number).count() == 1
    assert SupplyChainLink.objects.filter(buyer=personas.org_a, supplier=registered).exists()
    registered.refresh_from_db()
    assert registered.name == "Minami Seika" and registered.created_by_organization is None
    entry = AuditEntry.objects.get(action="organization.link_existing")
    assert (entry.actor_id, entry.object_id) == (personas.admin_a.pk, str(registered.pk))


def test_a_company_of_the_chain_under_a_very_different_name_is_a_warning(personas: Personas) -> None:
    rows = [[CORPORATE_NUMBERS["a2"], "Totally Other Trading", 1, ""]]
    assert problems_of(personas, rows) == {(2, "name", "name_differs")}


def test_the_refusal_of_another_chains_company_says_nothing_about_its_registration(
    personas: Personas,
) -> None:
    rows = [[CORPORATE_NUMBERS["b"], "Whatever", 1, ""]]
    checked = check_rows(importer=personas.org_a, raw_rows=read_rows(csv_bytes(rows)))
    message = problem_message(checked.problems[0].as_json())
    assert "secretariat" in message
    assert "registered" not in message and "suppliers" not in message and "Hikari" not in message


def test_the_companies_an_import_creates_record_the_importer_as_their_creator(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    rows, numbers = three_tiers()
    client = verified_client(personas.admin_a)
    upload(client, csv_bytes(rows), callbacks=django_capture_on_commit_callbacks)
    confirm(client, latest_job(personas), "all", django_capture_on_commit_callbacks)
    creators = set(
        Organization.objects.filter(corporate_number__in=numbers).values_list(
            "created_by_organization", flat=True
        )
    )
    assert creators == {personas.org_a.pk}
    assert not AuditEntry.objects.filter(action="organization.link_existing").exists()


def test_a_similar_name_with_a_company_suffix_is_no_warning(personas: Personas) -> None:
    registered = make_org("Minami Seika", corporate_number=corporate_number())
    assert problems_of(personas, [[registered.corporate_number, "株式会社 Minami Seika", 1, ""]]) == set()


def test_a_row_already_linked_changes_nothing_and_warns(personas: Personas) -> None:
    rows = [[CORPORATE_NUMBERS["a1"], "Sakura Packing", 1, ""]]
    assert problems_of(personas, rows) == {(2, "parent", "already_linked")}


def test_the_importer_cannot_import_itself(personas: Personas) -> None:
    assert problems_of(personas, [[CORPORATE_NUMBERS["a"], "Sakura Foods", 1, ""]]) == {
        (2, "corporate_number", "importer_itself")
    }


def test_markup_in_a_name_is_stored_as_text_and_escaped_on_the_page(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    name = "<script>alert(1)</script> Foods"
    rows = [[corporate_number(), name, 1, ""]]
    assert problems_of(personas, rows) == {(2, "name", "name_markup")}
    client = verified_client(personas.admin_a)
    upload(client, csv_bytes(rows), callbacks=django_capture_on_commit_callbacks)
    confirm(client, latest_job(personas), "all", django_capture_on_commit_callbacks)
    assert Organization.objects.filter(name=name).exists()
    page = client.get("/en/company/supply-chain/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Foods" in page and "<script>alert(1)" not in page


def test_codes_are_checked_and_a_foreign_entity_needs_no_number(personas: Personas) -> None:
    header = [*HEADER, "prefecture", "industry", "foreign"]
    rows = [
        ["", "Hanoi Garments", 1, "", "", "E", "1"],
        [corporate_number(), "Bad codes", 1, "", "48", "Z", "maybe"],
        ["", "No number", 1, "", "13", "E", "0"],
    ]
    checked = check_rows(importer=personas.org_a, raw_rows=read_rows(csv_bytes(rows, header)))
    assert {(p.row, p.column, p.code) for p in checked.problems} == {
        (3, "prefecture", "prefecture_invalid"),
        (3, "industry", "industry_invalid"),
        (3, "is_foreign", "foreign_invalid"),
        (4, "corporate_number", "number_missing"),
    }


def test_the_error_report_lists_every_problem_in_the_users_language(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = verified_client(personas.admin_a)
    upload(
        client, csv_bytes([[BAD_CHECK_DIGIT, "=cmd()", 1, ""]]), callbacks=django_capture_on_commit_callbacks
    )
    job = latest_job(personas)
    report = client.get(f"/en/company/supply-chain/import/{job.pk}/errors.csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0] == ["Row", "Column", "Kind", "Message"]
    assert lines[1][:3] == ["2", "Corporate number", "Error"] and "check digit" in lines[1][3]


# --- files ---------------------------------------------------------------------------------


def test_a_shift_jis_file_with_japanese_headers_and_names_is_read(personas: Personas) -> None:
    number = corporate_number()
    data = csv_bytes(
        [[number, "株式会社さくら包装", "1", ""]], ["法人番号", "会社名", "階層", "親会社法人番号"], "cp932"
    )
    rows = read_rows(data)
    assert rows[0].values["name"] == "株式会社さくら包装" and rows[0].values["corporate_number"] == number


def test_utf8_with_a_byte_order_mark_is_read() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        [[corporate_number(), "みなと農園", "1", ""]], ["法人番号", "名称", "ティア", "親会社法人番号"]
    )
    assert read_rows(data)[0].values["name"] == "みなと農園"


def test_an_xlsx_workbook_is_read_with_numbers_as_digits() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Corporate number", "Company name", "Tier", "Parent corporate number"])
    number = corporate_number()
    sheet.append([int(number), "Excel Foods", 1, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(buffer.getvalue())
    assert rows[0].values == {"corporate_number": number, "name": "Excel Foods", "tier": "1", "parent": ""}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"corporate_number,name,tier,parent\n", "no companies"),
        (b"%PDF-1.4\x00\x01binary", "not a CSV or Excel file"),
        (b"\xd0\xcf\x11\xe0old excel", "old Excel file"),
        (b"PK\x03\x04broken zip", "not an Excel workbook"),
        (b"name,tier\nCaf\xe9,1\n", "characters could not be read"),  # Latin-1
        (b"name,tier\nA,1\n", "Missing"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(data: bytes, words: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read_rows(data)
    with translation.override("en"):  # the message, read in English
        assert words in str(refused.value.message)


def test_too_many_rows_or_bytes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_files, "MAX_ROWS", 2)
    with pytest.raises(FileRefused, match="20,000"):
        read_rows(csv_bytes([[corporate_number(), f"Org {i}", 1, ""] for i in range(3)]))
    monkeypatch.setattr(import_files, "MAX_BYTES", 10)
    with pytest.raises(FileRefused, match="5 MB"):
        read_rows(csv_bytes([[corporate_number(), "Org", 1, ""]]))


def test_the_upload_page_shows_a_refused_file_s_reason(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    response = upload(
        verified_client(personas.admin_a), b"\x00\x01", callbacks=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200 and "not a CSV or Excel file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_template_downloads_with_japanese_headers_on_the_japanese_page(personas: Personas) -> None:
    response = verified_client(personas.admin_a).get("/ja/company/supply-chain/import/template.csv")
    text = response.content.decode("utf-8-sig")
    assert text.startswith("法人番号,名称,階層,親会社法人番号")
    assert len(read_rows(response.content)) == 2


# --- who may see what ----------------------------------------------------------------------


def test_another_companys_admin_and_a_non_admin_get_404_for_a_job(personas: Personas) -> None:
    job = ImportJob.objects.create(organization=personas.org_a, created_by=personas.admin_a,
                                   status=ImportStatus.CHECKED, file_name="a.csv")  # fmt: skip
    base = f"/en/company/supply-chain/import/{job.pk}/"
    for user in (personas.admin_b, personas.user_a1, personas.user_a):
        client = verified_client(user)
        assert client.get(base).status_code == 404
        assert client.get(base + "errors.csv").status_code == 404
        assert client.post(base + "confirm/", {"mode": "valid"}).status_code == 404
        assert client.post(base + "cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_a_company_user_who_is_not_an_admin_cannot_open_the_import(personas: Personas) -> None:
    client = verified_client(personas.user_a)
    assert client.get("/en/company/supply-chain/import/").status_code == 404
    assert client.get("/en/company/supply-chain/import/template.csv").status_code == 404


def xlsx_bytes(rows: list[list[Any]], header: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["cp932", "xlsx"])
def test_a_japanese_office_file_is_imported_with_its_japanese_names(
    personas: Personas, django_capture_on_commit_callbacks: Any, kind: str
) -> None:
    top, below = corporate_number(), corporate_number()
    header = ["法人番号", "会社名", "階層", "親会社法人番号", "都道府県コード", "業種コード"]
    rows: list[list[Any]] = [
        [top, "株式会社さくら包装", 1, "", 13, "E"],
        [below, "みなと農園", 2, top, 1, "A"],
    ]
    data = csv_bytes(rows, header, "cp932") if kind == "cp932" else xlsx_bytes(rows, header)
    client = verified_client(personas.admin_a)
    upload(client, data, name=f"chain.{kind}", callbacks=django_capture_on_commit_callbacks)
    confirm(client, latest_job(personas), "all", django_capture_on_commit_callbacks)
    farm = Organization.objects.get(corporate_number=below)
    assert (farm.name, farm.prefecture, farm.industry) == ("みなと農園", "01", "A")
    assert SupplyChainLink.objects.get(supplier=farm).buyer.name == "株式会社さくら包装"


def test_files_left_undecided_or_stuck_are_dropped(personas: Personas) -> None:
    old = timezone.now() - timedelta(days=2)
    waiting, stuck, fresh = (
        ImportJob.objects.create(organization=personas.org_a, status=status, file_name="a.csv", upload=b"x")
        for status in (ImportStatus.CHECKED, ImportStatus.IMPORTING, ImportStatus.CHECKED)
    )
    ImportJob.objects.filter(pk__in=[waiting.pk, stuck.pk]).update(created_at=old)
    output = io.StringIO()
    call_command("expire_supply_imports", stdout=output)  # what the operator schedules
    assert "Supply-chain imports ended: 2" in output.getvalue()
    assert supply_import_expire.call() == 0  # nothing twice
    states = {job.pk: (job.status, job.upload) for job in ImportJob.objects.all()}
    assert states[waiting.pk] == (ImportStatus.CANCELLED, None)
    assert states[stuck.pk] == (ImportStatus.FAILED, None)
    assert states[fresh.pk][0] == ImportStatus.CHECKED and bytes(states[fresh.pk][1] or b"") == b"x"
