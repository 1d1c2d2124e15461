"""A small valid questionnaire for tests, in every language, built in code."""

from typing import Any

from config.languages import LANGUAGE_CODES
from koe.surveys.definition import Definition, parse, parse_structure, required_text_keys

SMALL_STRUCTURE: dict[str, Any] = {
    "slug": "tiny-check",
    "version": 1,
    "kind": "worker_selfcheck",
    "sections": [
        {
            "code": "documents",
            "items": [
                {
                    "code": "passport_kept",
                    "type": "yes_no_unsure",
                    "tags": ["retention_of_identity_documents"],
                    "weights": {"yes": 3, "no": 0, "unsure": 1},
                    "refer": ["desk"],
                },
                {
                    "code": "passport_back",
                    "type": "yes_no_unsure",
                    "tags": ["restriction_of_movement"],
                    "weights": {"yes": 0, "no": 2, "unsure": 1},
                    "show_if": {"item": "passport_kept", "in": ["yes"]},
                },
            ],
        },
        {
            "code": "work",
            "items": [
                {
                    "code": "hit",
                    "type": "yes_no_unsure",
                    "tags": ["physical_and_sexual_violence"],
                    "weights": {"yes": 3, "no": 0, "unsure": 1},
                    "red_flag": ["yes"],
                    "severity": "critical",
                },
                {
                    "code": "deductions",
                    "type": "multiple",
                    "tags": ["withholding_of_wages"],
                    "options": [
                        {"code": "housing", "weight": 0},
                        {"code": "savings", "weight": 3, "red_flag": True},
                    ],
                },
                {
                    "code": "overtime",
                    "type": "number",
                    "min": 0,
                    "max": 400,
                    "risk_above": 45,
                    "red_flag_above": 100,
                    "tags": ["excessive_overtime"],
                },
                {"code": "arrived", "type": "date"},
                {"code": "anything_else", "type": "text"},
            ],
        },
    ],
    "red_flags": [
        {
            "code": "kept_and_no_access",
            "severity": "critical",
            "tags": ["retention_of_identity_documents", "restriction_of_movement"],
            "when": [{"item": "passport_kept", "in": ["yes"]}, {"item": "passport_back", "in": ["no"]}],
        }
    ],
    "contacts": [{"code": "desk"}, {"code": "police", "phone": "110"}],
}


def small_document(slug: str = "tiny-check", version: int = 1) -> dict[str, Any]:
    structure = {**SMALL_STRUCTURE, "slug": slug, "version": version}
    keys = required_text_keys(parse_structure(structure))
    texts = {language: {key: f"[{language}] {key}" for key in keys} for language in LANGUAGE_CODES}
    return {"structure": structure, "texts": texts}


def small_definition() -> Definition:
    return parse(small_document())
