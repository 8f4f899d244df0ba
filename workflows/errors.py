"""One error type for every refused action. It is turned into an HTTP answer in exactly one
place (portal/errors.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rules import Citation, Violation


class ProcedureError(Exception):
    """A refused action: a stable code, a Chinese message, and the rule's citation if any.

    `status` is the HTTP status the answer carries: 400 invalid input or a broken rule,
    403 not allowed, 404 not found (or not visible), 409 the state has moved on.
    """

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        citation: Citation | None = None,
        extra: dict[str, Any] | None = None,
        *,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.citation = citation
        self.extra = extra or {}
        if status is not None:
            self.status = status

    @property
    def uncited_source(self):
        """The citation a page should add after the message: None when the message already
        ends with it (a rule's message carries its citation), so no page cites twice."""
        if self.citation is None or str(self.citation) in self.message:
            return None
        return self.citation

    @classmethod
    def from_violations(cls, violations: list[Violation]) -> ProcedureError:
        first = violations[0]
        error = cls(first.code, first.message, first.citation)
        if len(violations) > 1:
            error.extra["violations"] = [violation.as_dict() for violation in violations]
        return error

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "citation": self.citation.as_dict() if self.citation else None,
        }
        if self.extra:
            body.update(self.extra)
        return body


class NotAllowed(ProcedureError):
    status = 403


class NotFound(ProcedureError):
    status = 404


class Conflict(ProcedureError):
    status = 409
