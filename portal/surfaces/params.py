"""Query and form parameters as the pages and the API read them: a malformed value is no
value (a filter not applied), never an exception."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,9}")


def positive_int(value: object) -> int | None:
    """An id or a small number written in ASCII digits, else None: `isdigit` alone would
    let "²" or "١" through to `int`, which fails on the first and accepts the second."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    return int(value)
