"""Resident identity numbers (居民身份证号码) per GB 11643-1999."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260 (including 71 Taiwan, 81/82 Hong Kong and Macao).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

MSG_LENGTH = gettext_noop("身份证号码应为18位（17位数字加1位校验码）。")
MSG_DIGITS = gettext_noop("身份证号码前17位必须是数字，最后一位是数字或X。")
MSG_REGION = gettext_noop("身份证号码的前两位不是有效的省级行政区划代码。")
MSG_BIRTH = gettext_noop("身份证号码中的出生日期（第7至14位）不是有效日期。")
MSG_CHECK = gettext_noop("身份证号码校验码不正确，请核对是否输错。")
MSG_BIRTH_MISMATCH = gettext_noop(
    "身份证号码中的出生日期（%(in_number)s）与填写的出生日期（%(given)s）不一致。"
)
MSG_GENDER_MISMATCH = gettext_noop(
    "身份证号码显示的性别（%(in_number)s）与填写的性别（%(given)s）不一致。"
)


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise(value: str) -> str:
    return (value or "").strip().upper()


def birth_date_of(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_male(number: str) -> bool:
    """The 17th digit is odd for men and even for women."""
    return int(number[16]) % 2 == 1


def problems(value: str, *, birth_date: date | None = None, male: bool | None = None) -> list[str]:
    """Every reason, in Chinese, why `value` is not a valid number for that person."""
    number = normalise(value)
    if len(number) != 18:
        return [_(MSG_LENGTH)]
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return [_(MSG_DIGITS)]
    found: list[str] = []
    if number[:2] not in _PROVINCES:
        found.append(_(MSG_REGION))
    born = birth_date_of(number)
    if born is None or born > date.today() or born.year < 1900:
        found.append(_(MSG_BIRTH))
    if check_digit(number[:17]) != number[17]:
        found.append(_(MSG_CHECK))
    if found:
        return found
    if birth_date is not None and born != birth_date:
        found.append(_(MSG_BIRTH_MISMATCH) % {"in_number": born, "given": birth_date})
    if male is not None and is_male(number) != male:
        gender_word = {True: _("男"), False: _("女")}
        found.append(
            _(MSG_GENDER_MISMATCH)
            % {"in_number": gender_word[is_male(number)], "given": gender_word[male]}
        )
    return found


def make_number(region: str, born: date, sequence: int, *, male: bool) -> str:
    """A number with a correct check digit (for the demo county and tests only)."""
    sequence = sequence % 1000
    if (sequence % 2 == 1) != male:
        sequence = (sequence + 1) % 1000
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
