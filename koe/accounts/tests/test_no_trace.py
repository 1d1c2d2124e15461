"""Rule "No trace": registering and signing in leave no address or browser fingerprint anywhere.

The test does everything a worker and a staff member do at the door (register, sign out, sign
in, fail a sign-in, set language, two-factor, export) while sending distinctive network
metadata, then reads every column of every table, and every session decoded, looking for it.
"""

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts.tests.helpers import (
    STRONG_PASSWORD,
    current_code,
    forget_wrong_codes,
    registration_data,
    sign_in,
    wrong_code,
)
from koe.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

PROBE_ADDRESS = "203.0.113.187"
PROBE_FORWARDED = "198.51.100.243"
PROBE_AGENT = "KoeProbeBrowser/7.31 (TraceCanary)"
PROBE_REFERER = "https://referer-canary.example/path"
PROBES = [PROBE_ADDRESS, PROBE_FORWARDED, PROBE_AGENT, "TraceCanary", "referer-canary"]
METADATA: dict[str, Any] = {
    "REMOTE_ADDR": PROBE_ADDRESS,
    "HTTP_X_FORWARDED_FOR": PROBE_FORWARDED,
    "HTTP_X_REAL_IP": PROBE_FORWARDED,
    "HTTP_USER_AGENT": PROBE_AGENT,
    "HTTP_REFERER": PROBE_REFERER,
}


def traced_client() -> Client:
    return Client(**METADATA)


def walk_through_the_door(personas) -> None:
    worker = traced_client()
    registered = worker.post(
        "/vi/account/register/", registration_data(email="probe@example.com"), **METADATA
    )
    assert registered.status_code == 302
    worker.post("/vi/account/language/", {"language": "ne"}, **METADATA)
    assert worker.get("/ne/account/my-data/", **METADATA).status_code == 200
    worker.post("/ne/account/logout/", **METADATA)
    assert sign_in(worker, "sakura_bird", "wrong-password", **METADATA).status_code == 200
    assert sign_in(worker, "sakura_bird", STRONG_PASSWORD, **METADATA).status_code == 302
    assert worker.get("/ne/account/", **METADATA).status_code == 200

    staff = traced_client()
    sign_in(staff, "operator", PASSWORD, **METADATA)
    device = TOTPDevice.objects.get(user=personas.operator)
    staff.post("/ja/account/two-factor/", {"code": wrong_code(device)}, **METADATA)
    forget_wrong_codes(device)
    assert (
        staff.post("/ja/account/two-factor/", {"code": current_code(device)}, **METADATA).status_code == 302
    )
    assert staff.get("/admin/", **METADATA).status_code == 200
    assert staff.get("/admin/accounts/workerprofile/", **METADATA).status_code == 200


def columns_containing(needle: str) -> list[str]:
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def sessions_containing(needle: str) -> list[str]:
    return [session.pk for session in Session.objects.all() if needle in repr(session.get_decoded())]


def test_no_address_or_user_agent_is_stored_anywhere(personas) -> None:
    walk_through_the_door(personas)
    assert Session.objects.exists()  # the walk really happened and left sessions to inspect
    for probe in PROBES:
        assert columns_containing(probe) == [], probe
        assert sessions_containing(probe) == [], probe


def test_the_scan_would_notice_a_stored_address(personas) -> None:
    # Guards the test above against scanning nothing: a planted value must be found.
    personas.worker.first_name = PROBE_ADDRESS
    personas.worker.save(update_fields=["first_name"])
    assert columns_containing(PROBE_ADDRESS) == ["accounts_user.first_name"]
