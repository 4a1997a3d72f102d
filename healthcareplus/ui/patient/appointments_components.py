"""My appointments page parts: status badge, cancel dialog, list card and detail view."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from healthcareplus.core import routes
from healthcareplus.ui.doctor.record_components import prescription_button, treatment_record
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState as D
from healthcareplus.ui.patient.appointments_state import AppointmentsState as L
from healthcareplus.ui.shared.cards import aside_row, titled_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.layout import page_title, sections
from healthcareplus.ui.shared.statuses import TIME_STATUSES, status_badge
from healthcareplus.ui.shared.typed import RowVar

# As the patient reads them: a visit they did not come to is "Missed".
STATUSES = tuple(
    (key, "Missed" if key == "missed" else label, color) for key, label, color in TIME_STATUSES
)


def time_status_badge(item: RowVar) -> rx.Component:
    return status_badge(item["time_status"], STATUSES, size="2", data_testid="time-status")


def cancel_button(item: RowVar, on_confirm: EventType[()]) -> rx.Component:
    return confirm_dialog(
        rx.button("Cancel appointment", variant="soft", color_scheme="red"),
        "Cancel this appointment?",
        rx.fragment(
            item["doctor_name"],
            " on ",
            item["date_label"],
            " at ",
            item["time_label"],
            rx.cond(
                item["payment_status"] == "Success",
                ". Your payment of " + item["fee_label"] + " will be refunded.",
                ".",
            ),
        ),
        "Keep it",
        rx.button("Yes, cancel", color_scheme="red", on_click=on_confirm),
        size="3",
    )


def _manage(item: RowVar, on_cancel: EventType[()]) -> list[rx.Component]:
    """What the patient may still do: pay, reschedule, cancel (each only when allowed)."""
    reschedule = rx.button("Reschedule", variant="outline")
    return [
        rx.cond(
            item["can_pay"] == "true", rx.link(rx.button("Pay now"), href="/pay/" + item["id"])
        ),
        rx.cond(
            item["can_reschedule"] == "true", rx.link(reschedule, href="/reschedule/" + item["id"])
        ),
        rx.cond(item["can_cancel"] == "true", cancel_button(item, on_cancel)),
    ]


def _facts(item: RowVar) -> rx.Component:
    return rx.vstack(
        rx.text(item["date_label"], " · ", item["time_label"], weight="bold"),
        rx.text(
            item["specialization"],
            " · ",
            item["hospital_name"],
            ", ",
            item["city_name"],
            size="2",
            color_scheme="gray",
        ),
        rx.text(
            "Payment: ",
            item["payment_label"],
            rx.cond(item["payment_method"] != "", " · " + item["payment_method"], ""),
            rx.cond(item["transaction_id"] != "", " · " + item["transaction_id"], ""),
            size="2",
            data_testid="payment-summary",
        ),
        spacing="1",
    )


def appointment_item(item: RowVar) -> rx.Component:
    details = rx.link(rx.button("Details", variant="soft"), href="/appointments/" + item["id"])
    return rx.card(
        rx.vstack(
            aside_row(rx.heading(item["doctor_name"], size="4", as_="h2"), time_status_badge(item)),
            _facts(item),
            rx.flex(details, *_manage(item, L.cancel(item["id"])), spacing="2", wrap="wrap"),
            width="100%",
        ),
        width="100%",
        data_testid="appointment-card",
    )


def appointment_detail() -> rx.Component:
    item = D.item
    confirmed = rx.callout(
        "Your appointment is confirmed. We look forward to seeing you.",
        icon="circle-check",
        color_scheme="green",
        width="100%",
        role="status",
        data_testid="confirmed-banner",
    )
    record = rx.vstack(
        treatment_record(D.record, D.prescription),
        prescription_button("Download prescription (PDF)", D.download_prescription, variant="soft"),
        spacing="2",
        width="100%",
    )
    calendar = rx.button(
        rx.icon("calendar-plus"), "Add to calendar", variant="soft", on_click=D.download_calendar
    )
    return sections(
        rx.cond(D.just_confirmed, confirmed),
        aside_row(page_title("Appointment"), time_status_badge(item)),
        titled_card(
            item["doctor_name"],
            _facts(item),
            rx.text(item["hospital_address"], size="2"),
            rx.text("Reason: ", item["reason"], size="2"),
            rx.text("Fee: ", item["fee_label"], size="2"),
            rx.cond(
                item["cancel_reason"] != "",
                rx.text("Cancelled: ", item["cancel_reason"], size="2"),
            ),
            size="5",
            spacing="2",
        ),
        rx.cond(D.record.contains("id"), record),
        rx.flex(
            rx.cond(item["time_status"] == "upcoming", calendar),
            *_manage(item, D.cancel()),
            rx.link(rx.button("All appointments", variant="ghost"), href=routes.APPOINTMENTS),
            spacing="2",
            wrap="wrap",
        ),
    )
