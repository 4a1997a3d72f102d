"""How an appointment's status reads and looks in every portal: the label and badge
colour of each time status, a badge that follows a status, and the status and payment
choices of the admin filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.i18n import t

# The row's ``time_status`` -> its label in the admin portal and its badge colour.
TIME_STATUSES = (
    ("upcoming", N_("Upcoming"), "teal"),
    ("pending_payment", N_("Awaiting payment"), "amber"),
    ("completed", N_("Completed"), "green"),
    ("missed", N_("No-show"), "orange"),
    ("cancelled", N_("Cancelled"), "red"),
    ("expired", N_("Expired"), "gray"),
)
TIME_STATUS_COLORS = tuple((key, color) for key, _, color in TIME_STATUSES)
# Filter choices: (value in the URL, label).
STATUS_OPTIONS = (
    ("pending_payment", "Awaiting payment"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
)
PAYMENT_OPTIONS = tuple((s, s) for s in ("Pending", "Success", "Failed", "Refunded"))


def status_badge(
    value: Any, statuses: Sequence[tuple[str, str, str]], fallback: Any = None, **props: Any
) -> rx.Component:
    """A badge whose label and colour follow ``value`` (``statuses``: key, label, colour);
    any other value shows ``fallback`` (else the value itself) in grey."""
    labels = [(key, t(label)) for key, label, _ in statuses]
    colors = [(key, color) for key, _, color in statuses]
    return rx.badge(
        rx.match(value, *labels, value if fallback is None else fallback),
        color_scheme=rx.match(value, *colors, "gray"),
        **props,
    )
