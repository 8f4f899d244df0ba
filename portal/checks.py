"""Start-up checks: what the server lacks that users would meet as a failure later."""

from __future__ import annotations

from django.core.checks import Warning as CheckWarning

from .public import fontfiles


def pdf_fonts(app_configs=None, **kwargs) -> list[CheckWarning]:
    """Printed notices and forms need a CJK font; without one their links answer 503."""

    return [
        CheckWarning(problem, hint=hint, id="jiceng.W001")
        for problem, hint in fontfiles.font_problems()
    ]
