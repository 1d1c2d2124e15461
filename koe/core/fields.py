"""Model fields whose content is encrypted before it reaches the database (see crypto.py)."""

from typing import Any

from django.db import models

from koe.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as an AES-GCM token bound to ``app_label.Model.field``.

    It cannot be filtered or ordered on; pair it with a blind index where lookups are needed.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.encryption_context = f"{cls._meta.label}.{name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(str(value), self.encryption_context)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value, self.encryption_context)
