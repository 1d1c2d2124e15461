"""Japan's corporate number (法人番号): 13 digits, the first a check digit over the other twelve.

Check digit = 9 - (sum of P_n * Q_n for n = 1..12) mod 9, where P_n is the n-th digit counted
from the right of the twelve-digit base number and Q_n is 1 when n is odd and 2 when n is even
(National Tax Agency, 法人番号の指定等に関する省令 第2条).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base12: str) -> int:
    total = 0
    for position, digit in enumerate(reversed(base12), start=1):
        weight = 1 if position % 2 else 2
        total += int(digit) * weight
    return 9 - (total % 9)


def is_valid_corporate_number(value: str) -> bool:
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    return int(value[0]) == corporate_number_check_digit(value[1:])


def validate_corporate_number(value: str) -> None:
    if not value:
        return
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A corporate number has exactly 13 digits."), code="format")
    if not is_valid_corporate_number(value):
        raise ValidationError(
            _("This corporate number's check digit is wrong: please check it for a typing error."),
            code="check_digit",
        )
