"""Codes of digits that workers copy by hand (resume codes, receipt codes): digits only, because
numerals are the one script every reader of Koe shares, shown in groups of four."""

import unicodedata

from django.utils.crypto import get_random_string

GROUP = 4


def random_digits(count: int) -> str:
    return get_random_string(count, "0123456789")


def ascii_digits(text: str) -> str:
    """Only the digits of ``text``, as 0-9: a phone may type Burmese, Devanagari or full-width digits."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if unicodedata.decimal(ch, None) is not None)


def grouped(code: str) -> str:
    """ "123412341234" → "1234 1234 1234", easier to read out and copy."""
    return " ".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
