"""Background work: generating one quarterly report (on a task worker in production)."""

from django.tasks import task

from koe.quarterly.services import quarterly_report_generate


@task
def generate_quarterly_report(report_id: int) -> str:
    """Builds and renders the report; returns its final status ("done" or "failed")."""
    return quarterly_report_generate(report_id=report_id)
