"""Published dashboard figures: one snapshot per organisation and closed quarter.

A snapshot holds only figures already suppressed (``koe.reports.dashboard``): the page reads it
and counts nothing, and once published it never changes, so two views of one quarter can never
be subtracted from each other.
"""

from django.db import models


class DashboardSnapshot(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="dashboard_snapshots"
    )
    quarter = models.CharField(max_length=7, help_text="As in URLs: 2026-Q3.")
    period_start = models.DateField()
    period_end = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    data = models.JSONField(help_text="Suppressed figures only; hidden ones are null.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "quarter"], name="one_snapshot_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"dashboard {self.organization_id} {self.quarter}"
