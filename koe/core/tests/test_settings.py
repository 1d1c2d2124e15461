"""Production safety of the settings module: it must refuse unsafe combinations on its own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "KOE_ENCRYPTION_KEYS": "k1:dGVzdC1rZXktdGhpcnR5LXR3by1ieXRlcy1sb25nISE=",
    "ALLOWED_HOSTS": "koe.example.org",
}


def load_settings(extra_env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "KOE_", "SECRET_KEY", "SECURE_", "DATABASE_URL", "ALLOWED_HOSTS"))
    }
    env.update(extra_env)
    code = f"import config.settings as s; print({expression})"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_debug_is_off_and_cookies_are_secure_unless_asked() -> None:
    result = load_settings(PRODUCTION_ENV, "s.DEBUG, s.SESSION_COOKIE_SECURE, s.PASSWORD_HASHERS[0]")
    assert result.stdout.strip() == "False True django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_refuses_to_start_without_a_secret_key_in_production() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = load_settings(env, "s.DEBUG")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_refuses_demo_mode_in_production() -> None:
    result = load_settings({**PRODUCTION_ENV, "KOE_DEMO": "1"}, "s.KOE_DEMO")
    assert result.returncode != 0
    assert "KOE_DEMO=1 is only allowed together with DEBUG=1" in result.stderr


def test_it_reads_secrets_from_files(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    env = {**PRODUCTION_ENV, "SECRET_KEY_FILE": str(secret_file)}
    env.pop("SECRET_KEY")
    result = load_settings(env, "s.SECRET_KEY")
    assert result.stdout.strip() == "from-a-file"


@pytest.mark.parametrize(
    ("url", "engine"),
    [("", "django.db.backends.sqlite3"), ("postgres://u@h:5432/koe", "django.db.backends.postgresql")],
)
def test_sqlite_is_the_default_and_database_url_switches_to_postgresql(url: str, engine: str) -> None:
    result = load_settings({**PRODUCTION_ENV, "DATABASE_URL": url}, "s.DATABASES['default']['ENGINE']")
    assert result.stdout.strip() == engine
