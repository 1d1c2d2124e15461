"""Data for the site-wide page checks (koe/core/tests/test_site.py): made once per test."""

from typing import Any

from koe.organizations.invitations import invitation_create
from koe.organizations.models import ImportJob, ImportStatus, Invitation

PROBLEMS = [
    {"row": 3, "column": "name", "code": "name_missing", "params": {}, "warning": False},
    {
        "row": 4,
        "column": "tier",
        "code": "tier_mismatch",
        "params": {"expected": 2, "parent_tier": 1},
        "warning": False,
    },
    {
        "row": 5,
        "column": "name",
        "code": "name_differs",
        "params": {"registered": "<b>Old</b>"},
        "warning": True,
    },
]


def import_job_of(personas: Any) -> ImportJob:
    """A checked import of Sakura Foods's admin, with errors and a warning to show."""
    if not hasattr(personas, "_import_job"):
        personas._import_job = ImportJob.objects.create(
            organization=personas.org_a, created_by=personas.admin_a, status=ImportStatus.CHECKED,
            file_name="chain.csv", total_rows=4, processed_rows=4, valid_rows=2, error_rows=2, problems=PROBLEMS,
        )  # fmt: skip
    return personas._import_job


def _invitation(personas: Any) -> tuple[Invitation, str]:
    if not hasattr(personas, "_invitation"):
        personas._invitation = invitation_create(
            actor=personas.admin_a, organization=personas.org_a, email="new@example.jp", is_admin=False,
            language="ja",
        )  # fmt: skip
    return personas._invitation


def invitation_of(personas: Any) -> Invitation:
    return _invitation(personas)[0]


def invitation_token(personas: Any) -> str:
    return _invitation(personas)[1]
