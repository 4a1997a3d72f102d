"""The seeded doctors, planned in pure Python from a fixed random seed.

Planning never looks at the database, so every database gets the same doctors (same
names, emails, fees and schedules) and ``seed_reference_data`` can compare by email.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from healthcareplus.domain.catalog.specializations import DEPARTMENTS, SPECIALIZATIONS
from healthcareplus.seed import data

SEED = 20261121
DOCTOR_COUNT = 127
MIN_PER_SPECIALIZATION = 2

# Pinned first: the browser tests rely on Cardiologists and Dermatologists in Bangalore
# (hospital indexes 0-3), and the demo doctor is the first Cardiologist of hospital 0.
_ANCHORS: tuple[tuple[int, str], ...] = (
    (0, "Cardiologist"),
    (1, "Cardiologist"),
    (2, "Cardiologist"),
    (0, "Dermatologist"),
    (1, "Dermatologist"),
)


@dataclass(frozen=True)
class DoctorPlan:
    hospital: int  # index into seed_data.HOSPITALS
    specialization: str
    name: str
    email: str
    gender: str
    experience_years: int
    fee_paise: int
    qualification: str
    languages: tuple[str, ...]
    phone: str
    about: str
    template: int  # index into seed_data.SCHEDULE_TEMPLATES
    is_demo: bool = False


def _assignments(rng: random.Random) -> list[tuple[int, str]]:
    """(hospital index, specialization) for every doctor, spreading doctors evenly."""
    picks = list(_ANCHORS)
    load = Counter(h for h, _ in picks)

    def place(spec: str) -> None:
        options = [i for i, h in enumerate(data.HOSPITALS) if spec in h.specialties]
        lightest = min(load[i] for i in options)
        hospital = rng.choice([i for i in options if load[i] == lightest])
        load[hospital] += 1
        picks.append((hospital, spec))

    for spec in SPECIALIZATIONS:
        for _ in range(MIN_PER_SPECIALIZATION - sum(s == spec for _, s in picks)):
            place(spec)
    specs = list(data.SPECIALIZATION_WEIGHTS)
    weights = list(data.SPECIALIZATION_WEIGHTS.values())
    while len(picks) < DOCTOR_COUNT:
        place(rng.choices(specs, weights)[0])
    order = {s: i for i, s in enumerate(SPECIALIZATIONS)}
    return sorted(picks, key=lambda p: (p[0], order[p[1]]))  # stable: anchors stay first


def _fee_paise(rng: random.Random, spec: str, years: int) -> int:
    low, high = data.FEE_RANGES[spec]
    rupees = low + (high - low) * (years - 2) / 33 + rng.choice((-100, -50, 0, 50, 100))
    return min(2500, max(300, round(rupees / 50) * 50)) * 100


def _join(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plan_doctors() -> list[DoctorPlan]:
    """The doctors to seed, identical on every call."""
    rng = random.Random(SEED)
    taken: set[tuple[str, str]] = set()
    weights = [t.weight for t in data.SCHEDULE_TEMPLATES]
    plans: list[DoctorPlan] = []
    demo_done = False
    for n, (h, spec) in enumerate(_assignments(rng), start=1):
        hospital = data.HOSPITALS[h]
        gender = "Female" if rng.random() < 0.45 else "Male"
        pool = data.FEMALE_FIRST_NAMES if gender == "Female" else data.MALE_FIRST_NAMES
        while True:
            regions = data.CITY_REGIONS[hospital.city] if rng.random() < 0.8 else tuple(pool)
            region = rng.choice(regions)
            first, last = rng.choice(pool[region]), rng.choice(data.SURNAMES[region])
            if (first, last) not in taken:
                taken.add((first, last))
                break
        languages = list(data.CITY_LANGUAGES[hospital.city])
        extra = [lang for lang in data.REGION_LANGUAGES[region] if lang not in languages]
        languages += extra[:1]
        if "Hindi" not in languages and rng.random() < 0.4:
            languages.append("Hindi")
        years = rng.randint(2, 35)
        qualification = rng.choice(data.QUALIFICATIONS[spec])
        name = f"Dr. {first} {last}"
        is_demo = not demo_done and h == 0 and spec == "Cardiologist"
        demo_done = demo_done or is_demo
        fee = _fee_paise(rng, spec, years)
        phone = f"+91 {rng.choice('6789')}{rng.randrange(10_000):04d} {rng.randrange(100_000):05d}"
        about = rng.choice(data.ABOUT_TEMPLATES).format(
            name=name,
            specialization=spec,
            department=DEPARTMENTS[spec],
            hospital=hospital.name,
            city=hospital.city,
            years=years,
            focus=data.FOCUS_AREAS[spec],
            qualification=qualification,
            languages=_join(tuple(languages)),
        )
        template = rng.choices(range(len(data.SCHEDULE_TEMPLATES)), weights)[0]
        plans.append(
            DoctorPlan(
                hospital=h,
                specialization=spec,
                name=name,
                email=f"{first}.{last}{n}@healthcareplus.in".lower(),
                gender=gender,
                experience_years=years,
                fee_paise=fee,
                qualification=qualification,
                languages=tuple(languages),
                phone=phone,
                about=about,
                template=0 if is_demo else template,  # demo doctor: the fullest week
                is_demo=is_demo,
            )
        )
    return plans
