"""Domain errors raised by the services; adapters translate them for the user."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``str(error)`` is a message fit to show to the user."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class ValidationFailed(DomainError):
    """Invalid input; ``fields`` maps a field name to the message shown next to it."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(self.fields.values()))


class AuthenticationFailed(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


class Conflict(DomainError):
    pass


class SlotUnavailable(Conflict):
    pass
