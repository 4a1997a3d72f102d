"""The specializations the clinics offer, with the department each belongs to (stored
in English; marked so that pages show them in the reader's language)."""

from __future__ import annotations

from healthcareplus.core.i18n import N_

GENERAL_PHYSICIAN = N_("General Physician")

DEPARTMENTS: dict[str, str] = {
    GENERAL_PHYSICIAN: N_("General Medicine"),
    N_("Cardiologist"): N_("Cardiology"),
    N_("Dermatologist"): N_("Dermatology"),
    N_("Neurologist"): N_("Neurology"),
    N_("Orthopedic Surgeon"): N_("Orthopedics"),
    N_("Pediatrician"): N_("Pediatrics"),
    N_("Gynecologist"): N_("Obstetrics & Gynecology"),
    N_("ENT Specialist"): N_("ENT"),
    N_("Ophthalmologist"): N_("Ophthalmology"),
    N_("Psychiatrist"): N_("Psychiatry"),
    N_("Gastroenterologist"): N_("Gastroenterology"),
    N_("Pulmonologist"): N_("Pulmonology"),
    N_("Nephrologist"): N_("Nephrology"),
    N_("Urologist"): N_("Urology"),
    N_("Endocrinologist"): N_("Endocrinology"),
    N_("Oncologist"): N_("Oncology"),
    N_("Rheumatologist"): N_("Rheumatology"),
    N_("Dentist"): N_("Dental Care"),
    N_("General Surgeon"): N_("General Surgery"),
    N_("Physiotherapist"): N_("Physiotherapy"),
    N_("Diabetologist"): N_("Endocrinology"),
    N_("Allergist"): N_("Immunology"),
}

SPECIALIZATIONS: tuple[str, ...] = tuple(DEPARTMENTS)
