"""Worker pages in every language: they render, say their language, and keep their promises."""

import re

import pytest
from django.test import Client

from config.languages import LANGUAGE_CODES

WORKER_PAGES = ["", "privacy/", "account/register/", "account/login/"]


def fetch(path: str) -> tuple[int, str, dict[str, str]]:
    response = Client().get(path)
    return response.status_code, response.content.decode(), dict(response.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("page", WORKER_PAGES)
def test_every_worker_page_renders_in_every_language_with_one_heading(language: str, page: str) -> None:
    status, html, _headers = fetch(f"/{language}/{page}")
    assert status == 200
    assert f'<html lang="{language}"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", WORKER_PAGES)
def test_every_worker_page_offers_quick_exit_and_loads_nothing_from_third_parties(page: str) -> None:
    _status, html, headers = fetch(f"/my/{page}")
    assert 'id="quick-exit"' in html
    assert 'href="/exit/"' in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in html and " style=" not in html


@pytest.mark.django_db
def test_the_language_picker_names_each_language_in_itself_and_keeps_the_page() -> None:
    _status, html, _headers = fetch("/ja/privacy/")
    for name in ["日本語", "Tiếng Việt", "မြန်မာ", "नेपाली", "简体中文", "Tagalog", "Português"]:
        assert name in html
    assert 'href="/ne/privacy/"' in html
    assert 'href="/zh-hans/privacy/"' in html


@pytest.mark.django_db
def test_the_root_follows_the_browser_language_then_remembers_the_chosen_one() -> None:
    client = Client()
    first = client.get("/", headers={"accept-language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert first.status_code == 302 and first["Location"] == "/vi/"
    chosen = client.get("/ne/")
    assert chosen.cookies["koe_language"].value == "ne"
    again = client.get("/", headers={"accept-language": "vi"})
    assert again["Location"] == "/ne/"


@pytest.mark.django_db
def test_tagalog_has_its_own_url_prefix_and_lang_attribute() -> None:
    status, html, _headers = fetch("/tl/")
    assert status == 200
    assert '<html lang="tl"' in html


@pytest.mark.django_db
def test_quick_exit_signs_out_clears_the_site_and_lands_on_a_neutral_page(personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://")
    assert '"cookies"' in response["Clear-Site-Data"] and '"cache"' in response["Clear-Site-Data"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_worker_pages_are_not_kept_in_shared_caches() -> None:
    _status, _html, headers = fetch("/ja/")
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "same-origin"
