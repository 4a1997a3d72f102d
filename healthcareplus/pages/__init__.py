"""Every route of the app, registered in one place with its on-load events."""

from __future__ import annotations

import reflex as rx

from healthcareplus import routes
from healthcareplus.pages import (
    admin_home,
    appointments,
    auth,
    booking,
    browse,
    doctor_profile,
    doctors,
    home,
    payment,
    profile,
    symptoms,
)
from healthcareplus.states.account import AccountFormState
from healthcareplus.states.admin_home import AdminHomeState
from healthcareplus.states.appointments import AppointmentDetailState, AppointmentsState
from healthcareplus.states.booking import BookingState
from healthcareplus.states.discovery import CityState, HomeState, HospitalState
from healthcareplus.states.doctor_profile import DoctorProfileState
from healthcareplus.states.doctor_search import DoctorSearchState
from healthcareplus.states.payment import PaymentState
from healthcareplus.states.profile import ProfileState
from healthcareplus.states.session import SessionState
from healthcareplus.states.symptoms import SymptomState

TITLE = "HealthCarePlus"

PAGES = [
    (home.home_page, routes.HOME, "Book doctor appointments", [HomeState.load]),
    (auth.login_page, routes.LOGIN, "Log in", [AccountFormState.reset_form]),
    (auth.admin_login_page, routes.ADMIN_LOGIN, "Admin portal", [AccountFormState.reset_form]),
    (auth.register_page, routes.REGISTER, "Register", [AccountFormState.reset_form]),
    (
        auth.admin_register_page,
        routes.ADMIN_REGISTER,
        "Register an administrator",
        [AccountFormState.reset_form],
    ),
    (profile.profile_page, routes.PROFILE, "My profile", [ProfileState.load]),
    (admin_home.admin_home_page, routes.ADMIN_HOME, "Admin overview", [AdminHomeState.load]),
    (doctors.doctors_page, routes.DOCTORS, "Find a doctor", [DoctorSearchState.load]),
    (symptoms.symptoms_page, routes.SYMPTOMS, "Symptom checker", [SymptomState.load]),
    (browse.city_page, routes.CITY, "Hospitals", [CityState.load]),
    (browse.hospital_page, routes.HOSPITAL, "Doctors", [HospitalState.load]),
    (doctor_profile.doctor_profile_page, routes.DOCTOR, "Doctor", [DoctorProfileState.load]),
    (booking.booking_page, routes.BOOK, "Book an appointment", [BookingState.load]),
    (booking.booking_page, routes.RESCHEDULE, "Reschedule", [BookingState.load]),
    (payment.payment_page, routes.PAY, "Payment", [PaymentState.load]),
    (
        appointments.appointments_page,
        routes.APPOINTMENTS,
        "My appointments",
        [AppointmentsState.load],
    ),
    (
        appointments.appointment_page,
        routes.APPOINTMENT,
        "Appointment",
        [AppointmentDetailState.load],
    ),
]


def register_pages(app: rx.App) -> None:
    for component, route, title, on_load in PAGES:
        app.add_page(
            component,
            route=route,
            title=f"{title} · {TITLE}",
            on_load=[SessionState.check_session, *on_load],
        )
