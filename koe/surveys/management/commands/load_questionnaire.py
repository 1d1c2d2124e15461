from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koe.surveys.definition import DefinitionError
from koe.surveys.services import PublishedVersionChanged, questionnaire_version_load, read_definition_files


class Command(BaseCommand):
    help = "Load a questionnaire definition directory (docs/questionnaires.md); --publish to publish it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args: Any, directory: Path, publish: bool, **options: Any) -> None:
        if not (directory / "structure.toml").exists():
            raise CommandError(f"{directory} has no structure.toml.")
        try:
            version = questionnaire_version_load(document=read_definition_files(directory), publish=publish)
        except DefinitionError as error:
            raise CommandError("The definition is not valid:\n- " + "\n- ".join(error.problems)) from error
        except PublishedVersionChanged as error:
            raise CommandError(str(error)) from error
        state = "published" if version.is_published else "saved as a draft"
        self.stdout.write(f"{version} {state}: {sum(1 for _ in version.parsed.items())} items.")
