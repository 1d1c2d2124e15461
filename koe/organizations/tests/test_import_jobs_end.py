"""A check that fails ends its job (the page stops waiting), and a job that
expired while it was being checked stays ended."""

import logging
from typing import Any
from unittest import mock

import pytest

from koe.core.testing.personas import Personas, verified_client
from koe.organizations import supply_import
from koe.organizations.models import ImportJob, ImportStatus
from koe.organizations.supply_import import supply_import_check

pytestmark = pytest.mark.django_db
FILE = b"corporate_number,name,tier,parent_corporate_number\n7010001000000,Yamada Taro Shoten,1,\n"


def checking_job(personas: Personas) -> ImportJob:
    return ImportJob.objects.create(
        organization=personas.org_a, created_by=personas.admin_a, status=ImportStatus.CHECKING,
        file_name="chain.csv", upload=FILE, total_rows=1,
    )  # fmt: skip


def test_a_check_that_fails_ends_the_job_and_the_page_stops_refreshing(
    personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    job = checking_job(personas)
    failure = RuntimeError("row 2: Yamada Taro Shoten")
    with (
        mock.patch.object(supply_import, "check_rows", side_effect=failure),
        caplog.at_level(logging.WARNING),
    ):
        assert supply_import_check.call(job_id=job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.upload, job.result) == (ImportStatus.FAILED, None, {"reason": "interrupted"})
    assert "RuntimeError" in caplog.text and "Yamada" not in caplog.text
    response = verified_client(personas.admin_a).get(f"/en/company/supply-chain/import/{job.pk}/")
    assert "Refresh" not in response
    assert "the import was interrupted" in response.content.decode()


def test_a_job_expired_during_its_check_is_not_brought_back(personas: Personas) -> None:
    job = checking_job(personas)
    real = supply_import.check_rows

    def expired_meanwhile(**kwargs: Any) -> Any:
        # What supply_import_expire does to a job it believes stuck.
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, upload=None, result={"reason": "interrupted"}
        )
        return real(**kwargs)

    with mock.patch.object(supply_import, "check_rows", side_effect=expired_meanwhile):
        assert supply_import_check.call(job_id=job.pk) == "gone"
    job.refresh_from_db()
    assert (job.status, job.upload) == (ImportStatus.FAILED, None)


def test_a_check_that_succeeds_still_waits_for_the_decision(personas: Personas) -> None:
    job = checking_job(personas)
    assert supply_import_check.call(job_id=job.pk) == ImportStatus.CHECKED
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.processed_rows == 1 and job.upload is not None
