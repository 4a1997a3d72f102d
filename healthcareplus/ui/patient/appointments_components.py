"""My appointments page parts: status badge, cancel dialog, list card and detail view."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.doctor.record_components import prescription_button, treatment_record
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState as D
from healthcareplus.ui.patient.appointments_state import AppointmentsState as L
from healthcareplus.ui.patient.review_dialog_components import review_button
from healthcareplus.ui.shared.cards import aside_row, titled_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import page_title, sections
from healthcareplus.ui.shared.statuses import TIME_STATUSES, status_badge
from healthcareplus.ui.shared.typed import RowVar

# As the patient reads them: a visit they did not come to is "Missed".
STATUSES = tuple(
    (key, N_("Missed") if key == "missed" else label, color) for key, label, color in TIME_STATUSES
)


def time_status_badge(item: RowVar) -> rx.Component:
    """Where the visit stands; a request shows it waits for the doctor, not for payment."""
    return rx.cond(
        item["awaiting_doctor"] == "true",
        rx.badge(
            t("Waiting for the doctor"), color_scheme="amber", size="2", data_testid="time-status"
        ),  # fmt: skip
        status_badge(item["time_status"], STATUSES, size="2", data_testid="time-status"),
    )


def cancel_button(item: RowVar, on_confirm: EventType[()]) -> rx.Component:
    return confirm_dialog(
        rx.button(t("Cancel appointment"), variant="soft", color_scheme="red"),
        t("Cancel this appointment?"),
        rx.cond(
            item["payment_status"] == "Success",
            t(
                "{doctor} on {date} at {time}. Your payment of {fee} will be refunded.",
                doctor=item["doctor_name"],
                date=item["date_label"],
                time=item["time_label"],
                fee=item["fee_label"],
            ),
            t(
                "{doctor} on {date} at {time}.",
                doctor=item["doctor_name"],
                date=item["date_label"],
                time=item["time_label"],
            ),
        ),
        t("Keep it"),
        rx.button(t("Yes, cancel"), color_scheme="red", on_click=on_confirm),
        size="3",
    )


def _manage(item: RowVar, on_cancel: EventType[()]) -> list[rx.Component]:
    """What the patient may still do: pay, reschedule, cancel (each only when allowed)."""
    reschedule = rx.button(t("Reschedule"), variant="outline")
    return [
        rx.cond(
            item["can_pay"] == "true", rx.link(rx.button(t("Pay now")), href="/pay/" + item["id"])
        ),
        rx.cond(
            item["can_reschedule"] == "true", rx.link(reschedule, href="/reschedule/" + item["id"])
        ),
        rx.cond(item["can_cancel"] == "true", cancel_button(item, on_cancel)),
    ]


def _facts(item: RowVar) -> rx.Component:
    return rx.vstack(
        rx.text(item["date_label"], " · ", item["time_label"], weight="bold"),
        rx.cond(
            item["for_name"] != "",
            rx.text(
                t("For: "),
                item["for_name"],
                " (",
                item["for_relation"],
                ")",
                size="2",
                data_testid="appointment-for",
            ),
        ),
        rx.text(
            catalog_label(item["specialization"]),
            " · ",
            item["hospital_name"],
            ", ",
            item["city_name"],
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            item["awaiting_doctor"] == "true",
            rx.text(
                t("Waiting for the doctor to accept · answer by {time}", time=item["answer_by"]),
                size="2",
                color_scheme="amber",
                weight="medium",
                data_testid="awaiting-doctor",
            ),
        ),
        rx.text(
            t("Payment: "),
            item["payment_label"],
            rx.cond(item["payment_method"] != "", " · " + item["payment_method"], ""),
            rx.cond(item["transaction_id"] != "", " · " + item["transaction_id"], ""),
            size="2",
            data_testid="payment-summary",
        ),
        spacing="1",
    )


def appointment_item(item: RowVar) -> rx.Component:
    details = rx.link(rx.button(t("Details"), variant="soft"), href="/appointments/" + item["id"])
    return rx.card(
        rx.vstack(
            aside_row(rx.heading(item["doctor_name"], size="4", as_="h2"), time_status_badge(item)),
            _facts(item),
            rx.flex(
                details,
                *_manage(item, L.cancel(item["id"])),
                review_button(item),
                spacing="2",
                wrap="wrap",
            ),
            width="100%",
        ),
        width="100%",
        data_testid="appointment-card",
    )


def appointment_detail() -> rx.Component:
    item = D.item
    confirmed = rx.callout(
        t("Your appointment is confirmed. We look forward to seeing you."),
        icon="circle-check",
        color_scheme="green",
        width="100%",
        role="status",
        data_testid="confirmed-banner",
    )
    record = rx.vstack(
        treatment_record(D.record, D.prescription),
        prescription_button(
            t("Download prescription (PDF)"), D.download_prescription, variant="soft"
        ),
        spacing="2",
        width="100%",
    )
    calendar = rx.button(
        rx.icon("calendar-plus"), t("Add to calendar"), variant="soft", on_click=D.download_calendar
    )
    return sections(
        rx.cond(D.just_confirmed, confirmed),
        aside_row(page_title(t("Appointment")), time_status_badge(item)),
        titled_card(
            item["doctor_name"],
            _facts(item),
            rx.text(item["hospital_address"], size="2"),
            rx.text(t("Reason: "), item["reason"], size="2"),
            rx.text(t("Fee: "), item["fee_label"], size="2"),
            rx.cond(
                item["cancel_reason"] != "",
                rx.text(t("Cancelled: "), item["cancel_reason"], size="2"),
            ),
            size="5",
            spacing="2",
        ),
        rx.cond(D.record.contains("id"), record),
        rx.flex(
            rx.cond(item["time_status"] == "upcoming", calendar),
            *_manage(item, D.cancel()),
            rx.link(rx.button(t("All appointments"), variant="ghost"), href=routes.APPOINTMENTS),
            spacing="2",
            wrap="wrap",
        ),
    )
