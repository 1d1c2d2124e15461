import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_is_migrated() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_a_migration_is_missing() -> None:
    recorder = MigrationRecorder(connection)
    # The app's newest migration: an older one marked unapplied below applied ones is not "pending".
    app, newest = MigrationLoader(connection).graph.leaf_nodes("organizations")[0]
    recorder.record_unapplied(app, newest)
    try:
        response = Client().get("/healthz")
    finally:
        recorder.record_applied(app, newest)
    assert response.status_code == 503
    assert response.json()["status"] == "migrations pending"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.utils import OperationalError

    def refuse() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
