"""The specializations the clinics offer, with the department each belongs to."""

from __future__ import annotations

GENERAL_PHYSICIAN = "General Physician"

DEPARTMENTS: dict[str, str] = {
    GENERAL_PHYSICIAN: "General Medicine",
    "Cardiologist": "Cardiology",
    "Dermatologist": "Dermatology",
    "Neurologist": "Neurology",
    "Orthopedic Surgeon": "Orthopedics",
    "Pediatrician": "Pediatrics",
    "Gynecologist": "Obstetrics & Gynecology",
    "ENT Specialist": "ENT",
    "Ophthalmologist": "Ophthalmology",
    "Psychiatrist": "Psychiatry",
    "Gastroenterologist": "Gastroenterology",
    "Pulmonologist": "Pulmonology",
    "Nephrologist": "Nephrology",
    "Urologist": "Urology",
    "Endocrinologist": "Endocrinology",
    "Oncologist": "Oncology",
    "Rheumatologist": "Rheumatology",
    "Dentist": "Dental Care",
    "General Surgeon": "General Surgery",
    "Physiotherapist": "Physiotherapy",
    "Diabetologist": "Endocrinology",
    "Allergist": "Immunology",
}

SPECIALIZATIONS: tuple[str, ...] = tuple(DEPARTMENTS)
