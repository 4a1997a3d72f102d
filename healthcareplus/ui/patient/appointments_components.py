"""My appointments page parts: status badge, cancel dialog, list card and detail view."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.record_components import treatment_record
from healthcareplus.ui.patient.appointments_state import AppointmentDetailState as D
from healthcareplus.ui.patient.appointments_state import AppointmentsState as L

STATUS_COLORS = (
    ("upcoming", "teal"),
    ("pending_payment", "amber"),
    ("completed", "green"),
    ("missed", "orange"),
    ("cancelled", "red"),
    ("expired", "gray"),
)
STATUS_LABELS = (
    ("upcoming", "Upcoming"),
    ("pending_payment", "Awaiting payment"),
    ("completed", "Completed"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
)


def status_badge(item: rx.Var) -> rx.Component:
    return rx.badge(
        rx.match(item["time_status"], *STATUS_LABELS, item["time_status"]),
        color_scheme=rx.match(item["time_status"], *STATUS_COLORS, "gray"),
        size="2",
        data_testid="time-status",
    )


def cancel_button(item: rx.Var, on_confirm: rx.EventSpec) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button("Cancel appointment", variant="soft", color_scheme="red")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Cancel this appointment?"),
            rx.alert_dialog.description(
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
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Yes, cancel", color_scheme="red", on_click=on_confirm)
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
        ),
    )


def _facts(item: rx.Var) -> rx.Component:
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
            item["payment_status"],
            rx.cond(item["payment_method"] != "", " · " + item["payment_method"], ""),
            rx.cond(item["transaction_id"] != "", " · " + item["transaction_id"], ""),
            size="2",
            data_testid="payment-summary",
        ),
        spacing="1",
        align="start",
    )


def appointment_item(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(item["doctor_name"], size="4", as_="h3"),
                rx.spacer(),
                status_badge(item),
                width="100%",
                align="center",
            ),
            _facts(item),
            rx.flex(
                rx.link(rx.button("Details", variant="soft"), href="/appointments/" + item["id"]),
                rx.cond(
                    item["can_pay"] == "true",
                    rx.link(rx.button("Pay now"), href="/pay/" + item["id"]),
                ),
                rx.cond(
                    item["can_reschedule"] == "true",
                    rx.link(
                        rx.button("Reschedule", variant="outline"), href="/reschedule/" + item["id"]
                    ),
                ),
                rx.cond(item["can_cancel"] == "true", cancel_button(item, L.cancel(item["id"]))),
                spacing="2",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="appointment-card",
    )


def appointment_detail() -> rx.Component:
    item = D.item
    return rx.vstack(
        rx.cond(
            D.just_confirmed,
            rx.callout(
                "Your appointment is confirmed. We look forward to seeing you.",
                icon="circle-check",
                color_scheme="green",
                width="100%",
                role="status",
                data_testid="confirmed-banner",
            ),
        ),
        rx.hstack(
            rx.heading("Appointment", size="7", as_="h1"),
            rx.spacer(),
            status_badge(item),
            width="100%",
            align="center",
        ),
        rx.card(
            rx.vstack(
                rx.heading(item["doctor_name"], size="5", as_="h2"),
                _facts(item),
                rx.text(item["hospital_address"], size="2"),
                rx.text("Reason: ", item["reason"], size="2"),
                rx.text("Fee: ", item["fee_label"], size="2"),
                rx.cond(
                    item["cancel_reason"] != "",
                    rx.text("Cancelled: ", item["cancel_reason"], size="2"),
                ),
                spacing="2",
                align="start",
            ),
            width="100%",
        ),
        rx.cond(
            D.record.contains("id"),
            rx.vstack(
                treatment_record(D.record, D.prescription),
                rx.button(
                    rx.icon("file-down"),
                    "Download prescription (PDF)",
                    variant="soft",
                    on_click=D.download_prescription,
                ),
                spacing="2",
                width="100%",
            ),
        ),
        rx.flex(
            rx.cond(
                item["time_status"] == "upcoming",
                rx.button(
                    rx.icon("calendar-plus"),
                    "Add to calendar",
                    variant="soft",
                    on_click=D.download_calendar,
                ),
            ),
            rx.cond(
                item["can_pay"] == "true", rx.link(rx.button("Pay now"), href="/pay/" + item["id"])
            ),
            rx.cond(
                item["can_reschedule"] == "true",
                rx.link(
                    rx.button("Reschedule", variant="outline"), href="/reschedule/" + item["id"]
                ),
            ),
            rx.cond(item["can_cancel"] == "true", cancel_button(item, D.cancel())),
            rx.link(rx.button("All appointments", variant="ghost"), href=routes.APPOINTMENTS),
            spacing="2",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )
