"""The audit log pages: operators only, filters, keyset pages, CSV export, and their own audit."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from koe.audit import export
from koe.audit.models import AuditEntry
from koe.audit.paging import PAGE_SIZE
from koe.audit.services import audit_record
from koe.audit.tests.helpers import record_many
from koe.core.testing.personas import password_only_client, verified_client

pytestmark = pytest.mark.django_db

LIST_URL = "/en/operator/audit/"
EXPORT_URL = "/en/operator/audit/export.csv"
SECRET_REASON = "checked overtime for case 41"


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_urls_live_under_the_language_prefix() -> None:
    with translation.override("vi"):
        assert reverse("audit:list") == "/vi/operator/audit/"
        assert reverse("audit:export") == "/vi/operator/audit/export.csv"


@pytest.mark.parametrize(
    "name", ["consultant", "supervisor", "expert", "auditor", "admin_a", "user_a", "worker"]
)
@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_only_operators_reach_the_log(personas, name: str, url: str) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason=SECRET_REASON)
    response = verified_client(getattr(personas, name)).get(url)
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="audit.").exists()


@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_anonymous_visitors_are_sent_to_sign_in(personas, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_an_operator_without_the_second_factor_is_sent_to_verify(personas, url: str) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason=SECRET_REASON)
    response = password_only_client(personas.operator).get(url)
    with translation.override("en"):
        two_factor = reverse("accounts:two_factor")
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == two_factor
    assert not AuditEntry.objects.filter(action__startswith="audit.").exists()


def test_the_list_shows_entries_newest_first_with_one_heading(personas) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason="first")
    audit_record(actor=personas.admin_a, action="organization.view", target=personas.org_a, reason="second")
    response = verified_client(personas.operator).get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<th scope="col">' in html
    assert html.index("second") < html.index("first")
    assert "organizations.Organization" in html


def test_viewing_the_log_is_itself_audited(personas) -> None:
    record_many(3, actor=personas.consultant)
    verified_client(personas.operator).get(LIST_URL, {"action": "test.", "actor": "consultant"})
    seen = AuditEntry.objects.get(action="audit.view")
    assert seen.actor_id == personas.operator.pk
    assert seen.detail == {
        "filters": {"action": "test.", "actor_id": personas.consultant.pk},
        "shown": [1, 3],
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor": "admin_a"}, ["org-a"]),
        ({"action": "case."}, ["case-b", "case-a"]),
        ({"action": "case.share"}, ["case-b"]),
        ({"object_type": "organizations.Organization"}, ["org-b", "org-a"]),
        ({"object_type": "organizations.Organization", "object_id": "__org_b__"}, ["org-b"]),
    ],
)
def test_the_filters_narrow_the_list(personas, filters: dict[str, str], expected: list[str]) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason="case-a")
    audit_record(actor=personas.admin_a, action="organization.view", target=personas.org_a, reason="org-a")
    audit_record(actor=personas.admin_b, action="organization.view", target=personas.org_b, reason="org-b")
    audit_record(actor=personas.supervisor, action="case.share", reason="case-b")
    if filters.get("object_id") == "__org_b__":
        filters = {**filters, "object_id": str(personas.org_b.pk)}
    html = verified_client(personas.operator).get(LIST_URL, filters).content.decode()
    shown = re.findall(r"<td>((?:case|org)-[ab])</td>", html)
    assert shown == expected


def test_the_date_filters_include_whole_days_in_japan_time(personas) -> None:
    entry = audit_record(actor=personas.consultant, action="case.view", reason="today")
    client = verified_client(personas.operator)
    today = timezone.localdate(entry.at).isoformat()
    assert "today" in client.get(LIST_URL, {"date_from": today, "date_to": today}).content.decode()
    tomorrow = (timezone.localdate(entry.at) + datetime.timedelta(days=1)).isoformat()
    assert "No entries match" in client.get(LIST_URL, {"date_from": tomorrow}).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "yesterday"},
        {"date_to": "2026-13-45"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
    ],
)
def test_bad_filters_show_a_message_instead_of_failing(personas, query: dict[str, str]) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason=SECRET_REASON)
    client = verified_client(personas.operator)
    response = client.get(LIST_URL, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and 'class="errorlist"' in html
    assert SECRET_REASON not in html
    export = client.get(EXPORT_URL, query)
    assert export.status_code == 302 and export["Location"].startswith(LIST_URL)


def test_bad_page_positions_are_ignored(personas) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason=SECRET_REASON)
    response = verified_client(personas.operator).get(LIST_URL, {"before": "x", "after": "-3"})
    assert response.status_code == 200 and SECRET_REASON in response.content.decode()


def test_the_list_pages_by_fifty_from_newest_to_oldest_and_back(personas) -> None:
    record_many(PAGE_SIZE + 10, actor=personas.consultant)
    client = verified_client(personas.operator)
    first = client.get(LIST_URL, {"action": "test."}).content.decode()
    assert first.count("<tr>") == PAGE_SIZE + 1  # the header row too
    assert f"step {PAGE_SIZE + 10}<" in first and "step 11<" in first and "step 10<" not in first
    older = re.search(r'href="(\?[^"]*before=11[^"]*)" rel="next"', first)
    assert older is not None
    second = client.get(LIST_URL + older.group(1).replace("&amp;", "&")).content.decode()
    assert second.count("<tr>") == 11 and "step 10<" in second and "step 1<" in second
    assert 'rel="next"' not in second
    newer = re.search(r'href="(\?[^"]*after=10[^"]*)" rel="prev"', second)
    assert newer is not None
    back = client.get(LIST_URL + newer.group(1).replace("&amp;", "&")).content.decode()
    assert back.count("<tr>") == PAGE_SIZE + 1 and "step 11<" in back and 'rel="prev"' not in back


def test_the_list_costs_the_same_queries_for_any_number_of_entries(
    personas, django_assert_max_num_queries
) -> None:
    record_many(PAGE_SIZE * 2, actor=personas.consultant)
    client = verified_client(personas.operator)
    with django_assert_max_num_queries(12):
        assert client.get(LIST_URL, {"before": "60"}).status_code == 200


def test_the_export_holds_the_filtered_rows_under_a_header(personas) -> None:
    audit_record(actor=personas.consultant, action="case.view", reason='=HYPERLINK("http://x")')
    audit_record(actor=personas.admin_a, action="organization.view", target=personas.org_a, reason="org-a")
    audit_record(actor=personas.consultant, action="case.share", reason="相談者の同意あり")
    response = verified_client(personas.operator).get(EXPORT_URL, {"actor": "consultant"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="koe-audit-')
    rows = csv_rows(response)
    assert rows[0][:3] == ["Sequence", "When", "Actor"]
    assert [(row[0], row[5], row[8]) for row in rows[1:]] == [
        ("3", "case.share", "相談者の同意あり"),
        ("1", "case.view", '\'=HYPERLINK("http://x")'),
    ]
    assert rows[1][11] == AuditEntry.objects.get(sequence=3).entry_hash


def test_the_export_header_follows_the_page_language(personas) -> None:
    rows = csv_rows(verified_client(personas.operator).get("/ja/operator/audit/export.csv"))
    with translation.override("ja"):
        assert rows[0] == export.header()


def test_the_export_streams_more_rows_than_one_batch(personas, monkeypatch) -> None:
    monkeypatch.setattr(export, "BATCH_SIZE", 4)
    record_many(10, actor=personas.consultant)
    rows = csv_rows(verified_client(personas.operator).get(EXPORT_URL, {"action": "test."}))
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(10, 0, -1)]


def test_exporting_is_itself_audited(personas) -> None:
    record_many(2, actor=personas.consultant)
    response = verified_client(personas.operator).get(
        EXPORT_URL, {"object_type": "x.Y", "date_from": "2026-01-01"}
    )
    csv_rows(response)
    exported = AuditEntry.objects.get(action="audit.export")
    assert exported.actor_id == personas.operator.pk
    assert exported.detail == {"filters": {"object_type": "x.Y", "date_from": "2026-01-01"}}
