"""Bytes a worker's phone downloads for each worker page: compressed HTML + CSS + JS.

Budget: 30 KB (30,720 B) per page, images excluded. HTML is measured as served (GZip middleware);
CSS and JS as gzip at level 9, as WhiteNoise precompresses them (its Brotli files are smaller
still, so this is an upper bound for browsers that accept Brotli).
"""

import gzip
import re

from _django import report, setup_django_with_test_database

BUDGET_BYTES = 30 * 1024
WORKER_PAGES = {
    "home": "",
    "privacy": "privacy/",
    "register": "account/register/",
    "login": "account/login/",
}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def asset_bytes(url: str) -> int:
    from django.contrib.staticfiles import finders

    path = finders.find(url.removeprefix("/static/"))
    with open(path, "rb") as handle:  # type: ignore[arg-type]
        return len(gzip.compress(handle.read(), compresslevel=9))


def page_bytes(client, language: str, path: str) -> int:
    response = client.get(f"/{language}/{path}", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, (language, path, response.status_code)
    html = (
        gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    )
    assets = sum(asset_bytes(url) for url in set(ASSET.findall(html.decode())))
    return len(response.content) + assets


def selfcheck_page_sizes(languages: list[str]) -> list[tuple[str, int]]:
    """Every page of the self-check, the result page with every answer risky (its longest form)."""
    from django.test import Client

    from koe.surveys.demo import publish_worker_selfcheck
    from koe.surveys.models import Response
    from koe.surveys.services import response_save_answers, response_submit

    version = publish_worker_selfcheck()
    definition = version.parsed
    sizes = []
    for language in languages:
        client = Client()
        client.post(f"/{language}/self-check/")
        response = Response.objects.latest("created_at")
        base = f"self-check/{response.public_id}/"
        sizes.append((f"selfcheck_start.{language}", page_bytes(client, language, "self-check/")))
        biggest = max(
            page_bytes(client, language, f"{base}{n}/") for n in range(1, len(definition.sections) + 1)
        )
        sizes.append((f"selfcheck_largest_section.{language}", biggest))
        answers = {item.code: _riskiest(item) for item in definition.items() if item.has_options}
        response_save_answers(response=response, answers=answers, item_codes=list(answers))
        sizes.append((f"selfcheck_review.{language}", page_bytes(client, language, f"{base}review/")))
        response_submit(response_id=response.pk)
        sizes.append(
            (f"selfcheck_result_all_risky.{language}", page_bytes(client, language, f"{base}result/"))
        )
    return sizes


def _riskiest(item):
    option = max(item.options, key=lambda option: option.weight)
    return [option.code] if item.type == "multiple" else option.code


def main() -> None:
    setup_django_with_test_database()
    from django.test import Client

    from config.languages import LANGUAGE_CODES

    largest = 0
    for name, path in WORKER_PAGES.items():
        for language in LANGUAGE_CODES:
            size = page_bytes(Client(), language, path)
            largest = max(largest, size)
            report(f"page_bytes.{name}.{language}", size, "B")
    for name, size in selfcheck_page_sizes(LANGUAGE_CODES):
        largest = max(largest, size)
        report(f"page_bytes.{name}", size, "B")
    report("page_bytes.largest", largest, "B")
    report("page_bytes.largest_share_of_budget", 100 * largest / BUDGET_BYTES, "%")


if __name__ == "__main__":
    main()
