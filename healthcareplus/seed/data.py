"""Static demo data for ``healthcareplus.seed.demo``: places, name pools and text snippets.

Only constants live here; the seed modules decide how they are combined. Names, addresses
and phone numbers are realistic in form but made up for a demo.
"""

from __future__ import annotations

from typing import NamedTuple


class HospitalSeed(NamedTuple):
    city: str
    name: str
    address: str
    phone: str
    specialties: tuple[str, ...]


class ScheduleTemplate(NamedTuple):
    """A weekly timetable: weekday (0 = Monday) -> working blocks ("HH:MM", "HH:MM")."""

    label: str
    days: dict[int, tuple[tuple[str, str], ...]]
    slot_minutes: int
    weight: int


CITIES: tuple[tuple[str, str], ...] = (
    ("Bangalore", "Karnataka"),
    ("Mumbai", "Maharashtra"),
    ("Chennai", "Tamil Nadu"),
    ("Hyderabad", "Telangana"),
    ("Delhi", "Delhi"),
    ("Udupi", "Karnataka"),
)

_ALL = (
    "General Physician",
    "Cardiologist",
    "Dermatologist",
    "Neurologist",
    "Orthopedic Surgeon",
    "Pediatrician",
    "Gynecologist",
    "ENT Specialist",
    "Ophthalmologist",
    "Psychiatrist",
    "Gastroenterologist",
    "Pulmonologist",
    "Nephrologist",
    "Urologist",
    "Endocrinologist",
    "Oncologist",
    "Rheumatologist",
    "Dentist",
    "General Surgeon",
    "Physiotherapist",
    "Diabetologist",
    "Allergist",
)
_CORE = (
    "General Physician",
    "Cardiologist",
    "Neurologist",
    "Orthopedic Surgeon",
    "Pediatrician",
    "Gynecologist",
    "ENT Specialist",
    "Gastroenterologist",
    "Pulmonologist",
    "General Surgeon",
)

# Order matters: the first Bangalore hospital hosts the demo doctor (a Cardiologist).
HOSPITALS: tuple[HospitalSeed, ...] = (
    HospitalSeed(
        "Bangalore",
        "Apollo Hospital, Bannerghatta Road",
        "154/11, Bannerghatta Road, Opp. IIM-B, Bengaluru, Karnataka 560076",
        "+91-80-2630-2630",
        _ALL,
    ),
    HospitalSeed(
        "Bangalore",
        "Manipal Hospital, Old Airport Road",
        "98, HAL Old Airport Road, Kodihalli, Bengaluru, Karnataka 560017",
        "+91-80-2502-4444",
        _CORE + ("Dermatologist", "Nephrologist", "Urologist", "Oncologist", "Dentist"),
    ),
    HospitalSeed(
        "Bangalore",
        "Fortis Hospital, Cunningham Road",
        "14, Cunningham Road, Vasanth Nagar, Bengaluru, Karnataka 560052",
        "+91-80-4199-4444",
        _CORE + ("Dermatologist", "Endocrinologist", "Diabetologist", "Psychiatrist"),
    ),
    HospitalSeed(
        "Bangalore",
        "Narayana Health City",
        "258/A, Bommasandra Industrial Area, Hosur Road, Bengaluru, Karnataka 560099",
        "+91-80-7122-2222",
        _CORE + ("Oncologist", "Nephrologist", "Rheumatologist", "Physiotherapist"),
    ),
    HospitalSeed(
        "Mumbai",
        "Kokilaben Dhirubhai Ambani Hospital",
        "Rao Saheb Achutrao Patwardhan Marg, Four Bungalows, Andheri West, Mumbai 400053",
        "+91-22-4269-6969",
        _ALL,
    ),
    HospitalSeed(
        "Mumbai",
        "Lilavati Hospital and Research Centre",
        "A-791, Bandra Reclamation, Bandra West, Mumbai, Maharashtra 400050",
        "+91-22-2675-1000",
        _CORE + ("Dermatologist", "Ophthalmologist", "Urologist", "Allergist", "Dentist"),
    ),
    HospitalSeed(
        "Mumbai",
        "Jaslok Hospital",
        "15, Dr. G. Deshmukh Marg, Pedder Road, Mumbai, Maharashtra 400026",
        "+91-22-6657-3333",
        _CORE + ("Psychiatrist", "Endocrinologist", "Rheumatologist", "Oncologist"),
    ),
    HospitalSeed(
        "Chennai",
        "MIOT International",
        "4/112, Mount Poonamallee Road, Manapakkam, Chennai, Tamil Nadu 600089",
        "+91-44-4200-2288",
        _CORE + ("Nephrologist", "Urologist", "Physiotherapist", "Rheumatologist"),
    ),
    HospitalSeed(
        "Chennai",
        "Apollo Hospitals, Greams Road",
        "21, Greams Lane, Off Greams Road, Thousand Lights, Chennai, Tamil Nadu 600006",
        "+91-44-2829-3333",
        _ALL,
    ),
    HospitalSeed(
        "Hyderabad",
        "KIMS Hospitals, Secunderabad",
        "1-8-31/1, Minister Road, Krishna Nagar Colony, Secunderabad, Telangana 500003",
        "+91-40-4488-5000",
        _CORE + ("Nephrologist", "Diabetologist", "Dermatologist", "Dentist"),
    ),
    HospitalSeed(
        "Hyderabad",
        "Yashoda Hospitals, Somajiguda",
        "Raj Bhavan Road, Somajiguda, Hyderabad, Telangana 500082",
        "+91-40-4567-4567",
        _CORE + ("Oncologist", "Endocrinologist", "Allergist", "Ophthalmologist"),
    ),
    HospitalSeed(
        "Delhi",
        "All India Institute of Medical Sciences (AIIMS)",
        "Sri Aurobindo Marg, Ansari Nagar, New Delhi, Delhi 110029",
        "+91-11-2658-8500",
        _ALL,
    ),
    HospitalSeed(
        "Delhi",
        "Sir Ganga Ram Hospital",
        "Sarhadi Gandhi Marg, Old Rajinder Nagar, New Delhi, Delhi 110060",
        "+91-11-4225-4000",
        _CORE + ("Psychiatrist", "Dermatologist", "Diabetologist", "Physiotherapist"),
    ),
    HospitalSeed(
        "Udupi",
        "Kasturba Hospital, Manipal",
        "Madhav Nagar, Manipal, Udupi, Karnataka 576104",
        "+91-820-292-2761",
        _ALL,
    ),
    HospitalSeed(
        "Udupi",
        "Dr. TMA Pai Hospital",
        "Court Road, near Jodukatte, Udupi, Karnataka 576101",
        "+91-820-252-6501",
        (
            "General Physician",
            "Pediatrician",
            "Gynecologist",
            "Orthopedic Surgeon",
            "ENT Specialist",
            "Ophthalmologist",
            "Dentist",
            "Diabetologist",
            "General Surgeon",
            "Physiotherapist",
        ),
    ),
)

# Where each city's doctors usually come from (keys of the name pools below).
CITY_REGIONS: dict[str, tuple[str, ...]] = {
    "Bangalore": ("karnataka", "karnataka", "tamil", "telugu", "kerala"),
    "Mumbai": ("maharashtra", "maharashtra", "north", "udupi"),
    "Chennai": ("tamil", "tamil", "kerala", "telugu"),
    "Hyderabad": ("telugu", "telugu", "tamil", "north"),
    "Delhi": ("north", "north", "bengal", "kerala"),
    "Udupi": ("udupi", "udupi", "karnataka", "kerala"),
}

CITY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "Bangalore": ("English", "Kannada", "Hindi"),
    "Mumbai": ("English", "Hindi", "Marathi"),
    "Chennai": ("English", "Tamil"),
    "Hyderabad": ("English", "Telugu", "Hindi"),
    "Delhi": ("English", "Hindi"),
    "Udupi": ("English", "Kannada", "Tulu"),
}

REGION_LANGUAGES: dict[str, tuple[str, ...]] = {
    "karnataka": ("Kannada",),
    "tamil": ("Tamil",),
    "telugu": ("Telugu",),
    "maharashtra": ("Marathi",),
    "north": ("Hindi", "Punjabi"),
    "kerala": ("Malayalam",),
    "bengal": ("Bengali",),
    "udupi": ("Tulu", "Konkani"),
}

FEMALE_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "karnataka": ("Ananya", "Kavya", "Shruti", "Deepa", "Sahana", "Rashmi", "Sowmya", "Bhavana"),
    "tamil": ("Lakshmi", "Priya", "Divya", "Gayathri", "Janani", "Meenakshi", "Revathi", "Nithya"),
    "telugu": ("Sravani", "Lavanya", "Haritha", "Sirisha", "Madhuri", "Padmaja", "Sindhu"),
    "maharashtra": ("Aditi", "Snehal", "Madhura", "Gauri", "Ketaki", "Rutuja", "Sayali"),
    "north": ("Neha", "Ritu", "Shalini", "Anjali", "Nidhi", "Simran", "Garima", "Swati"),
    "kerala": ("Anjana", "Reshma", "Nimisha", "Aswathy", "Lekha", "Sreelakshmi"),
    "bengal": ("Moumita", "Sreoshi", "Tanushree", "Debjani", "Rituparna", "Paromita"),
    "udupi": ("Prajna", "Shwetha", "Akshata", "Vidya", "Ashwini", "Sharanya"),
}

MALE_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "karnataka": ("Raghavendra", "Suresh", "Prashanth", "Manjunath", "Kiran", "Vinay", "Harish"),
    "tamil": ("Karthik", "Senthil", "Arun", "Vignesh", "Balaji", "Saravanan", "Venkatesh"),
    "telugu": ("Srinivas", "Ravi", "Chaitanya", "Sai", "Mahesh", "Phani", "Vamsi"),
    "maharashtra": ("Aniket", "Sachin", "Rohit", "Amol", "Nikhil", "Sameer", "Omkar"),
    "north": ("Rahul", "Amit", "Vikram", "Rajesh", "Sanjay", "Gaurav", "Manish", "Arjun"),
    "kerala": ("Anoop", "Jithin", "Sreejith", "Ajith", "Vivek", "Arjun"),
    "bengal": ("Soumya", "Arindam", "Debashish", "Sourav", "Abhijit", "Indranil"),
    "udupi": ("Shrikanth", "Raghuram", "Gururaj", "Vadiraj", "Sudhindra", "Ganesh"),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "karnataka": ("Rao", "Hegde", "Gowda", "Murthy", "Kulkarni", "Bhat", "Nayak", "Prasad"),
    "tamil": ("Iyer", "Subramanian", "Krishnan", "Sundaram", "Natarajan", "Srinivasan", "Rajan"),
    "telugu": ("Reddy", "Naidu", "Chowdary", "Varma", "Raju", "Sastry", "Rao"),
    "maharashtra": ("Deshpande", "Patil", "Joshi", "Gokhale", "Pawar", "Shinde", "Deshmukh"),
    "north": ("Sharma", "Gupta", "Malhotra", "Kapoor", "Singh", "Verma", "Agarwal", "Saxena"),
    "kerala": ("Nair", "Menon", "Pillai", "Kurup", "Panicker", "Varghese", "Thomas"),
    "bengal": ("Banerjee", "Chatterjee", "Mukherjee", "Das", "Sen", "Ghosh", "Bose"),
    "udupi": ("Pai", "Kamath", "Shenoy", "Acharya", "Upadhyaya", "Prabhu", "Kini", "Shetty"),
}

QUALIFICATIONS: dict[str, tuple[str, ...]] = {
    "General Physician": ("MBBS, MD (General Medicine)", "MBBS, DNB (Family Medicine)"),
    "Cardiologist": ("MBBS, MD, DM (Cardiology)", "MBBS, DNB (Medicine), DNB (Cardiology)"),
    "Dermatologist": ("MBBS, MD (Dermatology, Venereology & Leprosy)", "MBBS, DDVL"),
    "Neurologist": ("MBBS, MD, DM (Neurology)", "MBBS, DNB (Neurology)"),
    "Orthopedic Surgeon": ("MBBS, MS (Orthopaedics)", "MBBS, D.Ortho, DNB (Orthopaedics)"),
    "Pediatrician": ("MBBS, MD (Paediatrics)", "MBBS, DCH, DNB (Paediatrics)"),
    "Gynecologist": ("MBBS, MS (Obstetrics & Gynaecology)", "MBBS, DGO, DNB (OBG)"),
    "ENT Specialist": ("MBBS, MS (ENT)", "MBBS, DLO, DNB (ENT)"),
    "Ophthalmologist": ("MBBS, MS (Ophthalmology)", "MBBS, DO, DNB (Ophthalmology)"),
    "Psychiatrist": ("MBBS, MD (Psychiatry)", "MBBS, DPM, DNB (Psychiatry)"),
    "Gastroenterologist": ("MBBS, MD, DM (Gastroenterology)", "MBBS, DNB (Gastroenterology)"),
    "Pulmonologist": ("MBBS, MD (Pulmonary Medicine)", "MBBS, DTCD, DNB (Respiratory Medicine)"),
    "Nephrologist": ("MBBS, MD, DM (Nephrology)", "MBBS, DNB (Nephrology)"),
    "Urologist": ("MBBS, MS, MCh (Urology)", "MBBS, DNB (Genito-Urinary Surgery)"),
    "Endocrinologist": ("MBBS, MD, DM (Endocrinology)", "MBBS, DNB (Endocrinology)"),
    "Oncologist": ("MBBS, MD, DM (Medical Oncology)", "MBBS, MS, MCh (Surgical Oncology)"),
    "Rheumatologist": ("MBBS, MD, DM (Rheumatology)", "MBBS, DNB (Rheumatology)"),
    "Dentist": ("BDS, MDS (Orthodontics)", "BDS, MDS (Endodontics)", "BDS"),
    "General Surgeon": ("MBBS, MS (General Surgery)", "MBBS, DNB (General Surgery), FMAS"),
    "Physiotherapist": ("BPT, MPT (Orthopaedics)", "BPT, MPT (Neurology)"),
    "Diabetologist": ("MBBS, MD, Fellowship in Diabetology", "MBBS, PGDD (Diabetology)"),
    "Allergist": ("MBBS, MD, Fellowship in Allergy & Immunology", "MBBS, DNB (Immunology)"),
}

FOCUS_AREAS: dict[str, str] = {
    "General Physician": "fever, infections, hypertension and preventive health check-ups",
    "Cardiologist": "preventive cardiology, hypertension, heart failure and angioplasty",
    "Dermatologist": "acne, eczema, psoriasis, hair loss and cosmetic dermatology",
    "Neurologist": "migraine, epilepsy, stroke care and movement disorders",
    "Orthopedic Surgeon": "joint replacement, sports injuries and spine care",
    "Pediatrician": "newborn care, vaccinations and childhood development",
    "Gynecologist": "high-risk pregnancy, PCOS and laparoscopic gynaecology",
    "ENT Specialist": "sinusitis, hearing loss, tonsils and endoscopic sinus surgery",
    "Ophthalmologist": "cataract surgery, glaucoma and diabetic eye care",
    "Psychiatrist": "anxiety, depression, sleep disorders and de-addiction",
    "Gastroenterologist": "acid reflux, liver disease and therapeutic endoscopy",
    "Pulmonologist": "asthma, COPD, sleep apnoea and post-COVID lung care",
    "Nephrologist": "chronic kidney disease, dialysis and transplant follow-up",
    "Urologist": "kidney stones, prostate care and minimally invasive urology",
    "Endocrinologist": "thyroid disorders, diabetes and hormonal imbalance",
    "Oncologist": "chemotherapy, targeted therapy and cancer screening",
    "Rheumatologist": "arthritis, lupus and autoimmune conditions",
    "Dentist": "root canals, braces, implants and preventive dental care",
    "General Surgeon": "hernia, gallbladder and laparoscopic surgery",
    "Physiotherapist": "post-operative rehabilitation, back pain and sports physiotherapy",
    "Diabetologist": "type 1 and type 2 diabetes, insulin management and diet plans",
    "Allergist": "food and drug allergies, allergic rhinitis and immunotherapy",
}

ABOUT_TEMPLATES: tuple[str, ...] = (
    "{name} is a {specialization} at {hospital}, {city}, with {years} years of experience. "
    "Special interests: {focus}. Consults in {languages}.",
    "With {years} years in {department}, {name} focuses on {focus}. "
    "Patients at {hospital} can consult in {languages}.",
    "{name} ({qualification}) has practised for {years} years and leads clinics in {focus} "
    "at {hospital}. Languages: {languages}.",
)

# Relative share of each specialization among the doctors beyond the first two of each.
SPECIALIZATION_WEIGHTS: dict[str, int] = {
    "General Physician": 12,
    "Cardiologist": 8,
    "Pediatrician": 8,
    "Gynecologist": 8,
    "Orthopedic Surgeon": 7,
    "Dermatologist": 6,
    "ENT Specialist": 5,
    "Dentist": 5,
    "General Surgeon": 4,
    "Neurologist": 4,
    "Ophthalmologist": 4,
    "Gastroenterologist": 4,
    "Pulmonologist": 3,
    "Psychiatrist": 3,
    "Diabetologist": 3,
    "Physiotherapist": 3,
    "Endocrinologist": 2,
    "Nephrologist": 2,
    "Urologist": 2,
    "Oncologist": 2,
    "Rheumatologist": 1,
    "Allergist": 1,
}

# Consultation fee range in rupees (junior -> senior); the seed rounds to ₹50.
FEE_RANGES: dict[str, tuple[int, int]] = {
    "General Physician": (300, 800),
    "Dentist": (300, 900),
    "Physiotherapist": (300, 900),
    "Pediatrician": (500, 1200),
    "Dermatologist": (500, 1500),
    "ENT Specialist": (500, 1300),
    "Ophthalmologist": (500, 1300),
    "Diabetologist": (500, 1400),
    "Allergist": (600, 1500),
    "Gynecologist": (600, 1600),
    "Psychiatrist": (800, 2000),
    "General Surgeon": (600, 1500),
    "Orthopedic Surgeon": (700, 1800),
    "Pulmonologist": (700, 1800),
    "Gastroenterologist": (800, 2000),
    "Endocrinologist": (800, 2000),
    "Rheumatologist": (800, 2000),
    "Urologist": (800, 2000),
    "Nephrologist": (900, 2200),
    "Neurologist": (1000, 2500),
    "Cardiologist": (1000, 2500),
    "Oncologist": (1200, 2500),
}

_FULL = (("09:00", "13:00"), ("14:00", "18:00"))
_MORNING = (("10:00", "14:00"),)
_SPLIT = (("09:30", "13:30"), ("16:00", "19:00"))
_EARLY = (("08:30", "12:30"), ("13:30", "17:30"))
_EVENING = (("17:00", "20:00"),)

# Every template works at least 4 weekdays; only one works on Sunday.
SCHEDULE_TEMPLATES: tuple[ScheduleTemplate, ...] = (
    ScheduleTemplate(
        "Mon-Fri 09-13 + 14-18, Sat 09-13",
        {0: _FULL, 1: _FULL, 2: _FULL, 3: _FULL, 4: _FULL, 5: (("09:00", "13:00"),)},
        15,
        30,
    ),
    ScheduleTemplate(
        "Mon-Fri 08:30-12:30 + 13:30-17:30 (off Saturday)",
        dict.fromkeys(range(5), _EARLY),
        15,
        20,
    ),
    ScheduleTemplate(
        "Mon-Sat 09:30-13:30 + 16-19 (off Wednesday)",
        dict.fromkeys((0, 1, 3, 4, 5), _SPLIT),
        20,
        14,
    ),
    ScheduleTemplate("Mon-Sat 10-14", dict.fromkeys(range(6), _MORNING), 30, 8),
    ScheduleTemplate(
        "Mon-Sat evening clinic 17-20, Tue/Thu 10-12",
        {
            0: _EVENING,
            1: (("10:00", "12:00"),) + _EVENING,
            2: _EVENING,
            3: (("10:00", "12:00"),) + _EVENING,
            4: _EVENING,
            5: _EVENING,
        },
        15,
        8,
    ),
    ScheduleTemplate(
        "Mon/Wed/Fri 09-13 + 14-17, Tue/Thu 17-20",
        {
            0: (("09:00", "13:00"), ("14:00", "17:00")),
            1: _EVENING,
            2: (("09:00", "13:00"), ("14:00", "17:00")),
            3: _EVENING,
            4: (("09:00", "13:00"), ("14:00", "17:00")),
        },
        20,
        8,
    ),
    ScheduleTemplate(
        "Tue-Sat 10-13 + 15-19, Sun 10-13",
        {**dict.fromkeys(range(1, 6), (("10:00", "13:00"), ("15:00", "19:00"))), 6: _MORNING},
        15,
        6,
    ),
    ScheduleTemplate(
        "Mon/Tue/Thu/Sat 11-15 (operating days off)",
        dict.fromkeys((0, 1, 3, 5), (("11:00", "15:00"),)),
        20,
        6,
    ),
)

REASONS: dict[str, tuple[str, ...]] = {
    "General Physician": (
        "Fever and body ache for three days",
        "Persistent cough and cold",
        "Annual health check-up",
        "Blood pressure review",
        "Fatigue and weakness",
        "Stomach upset after travel",
    ),
    "Cardiologist": (
        "Chest pain on exertion",
        "Palpitations",
        "Follow-up after angioplasty",
        "High blood pressure review",
        "Breathlessness while climbing stairs",
        "ECG report review",
    ),
    "Dermatologist": (
        "Acne and pigmentation",
        "Itchy skin rash",
        "Hair fall",
        "Psoriasis follow-up",
        "Fungal infection",
    ),
    "Neurologist": (
        "Recurring migraine",
        "Numbness in hands",
        "Dizziness and imbalance",
        "Seizure follow-up",
        "Memory problems",
    ),
    "Orthopedic Surgeon": (
        "Knee pain while walking",
        "Lower back pain",
        "Shoulder stiffness",
        "Sports injury to ankle",
        "Follow-up after fracture",
    ),
    "Pediatrician": (
        "Child has fever and cough",
        "Vaccination visit",
        "Growth and development check",
        "Recurring ear infection",
        "Poor appetite",
    ),
    "Gynecologist": (
        "Irregular periods",
        "Pregnancy check-up",
        "PCOS follow-up",
        "Pelvic pain",
        "Pap smear and routine screening",
    ),
    "ENT Specialist": (
        "Ear pain and blocked ear",
        "Chronic sinusitis",
        "Sore throat and tonsils",
        "Hearing difficulty",
        "Nose bleeds",
    ),
    "Ophthalmologist": (
        "Blurred vision",
        "Red and watery eyes",
        "Cataract evaluation",
        "Spectacle power check",
        "Diabetic eye screening",
    ),
    "Psychiatrist": (
        "Anxiety and stress",
        "Trouble sleeping",
        "Low mood for several weeks",
        "Medication review",
        "Panic attacks",
    ),
    "Gastroenterologist": (
        "Acidity and heartburn",
        "Abdominal pain and bloating",
        "Fatty liver follow-up",
        "Change in bowel habits",
        "Endoscopy consultation",
    ),
    "Pulmonologist": (
        "Asthma follow-up",
        "Chronic cough",
        "Breathlessness",
        "Snoring and sleep apnoea",
        "Lung function test review",
    ),
    "Nephrologist": (
        "High creatinine in report",
        "Swelling in legs",
        "Kidney function follow-up",
        "Dialysis review",
    ),
    "Urologist": (
        "Kidney stone pain",
        "Frequent urination",
        "Prostate check-up",
        "Burning during urination",
    ),
    "Endocrinologist": (
        "Thyroid report review",
        "Weight gain and fatigue",
        "Hormonal imbalance",
        "Vitamin D deficiency",
    ),
    "Oncologist": (
        "Chemotherapy follow-up",
        "Second opinion on biopsy report",
        "Cancer screening",
        "Post-treatment review",
    ),
    "Rheumatologist": (
        "Joint pain and swelling",
        "Morning stiffness",
        "Rheumatoid arthritis follow-up",
        "Gout flare-up",
    ),
    "Dentist": (
        "Toothache",
        "Teeth cleaning",
        "Bleeding gums",
        "Root canal follow-up",
        "Braces consultation",
    ),
    "General Surgeon": (
        "Hernia consultation",
        "Gallbladder stones",
        "Lump examination",
        "Post-surgery dressing review",
    ),
    "Physiotherapist": (
        "Neck and shoulder pain",
        "Rehabilitation after knee surgery",
        "Lower back pain exercises",
        "Posture correction",
    ),
    "Diabetologist": (
        "Blood sugar review",
        "HbA1c report review",
        "Insulin dose adjustment",
        "Diabetic diet consultation",
    ),
    "Allergist": (
        "Seasonal allergies",
        "Food allergy testing",
        "Allergic rhinitis",
        "Skin allergy and hives",
    ),
}

CANCEL_REASONS: tuple[str, ...] = (
    "Feeling better",
    "Schedule conflict",
    "Travelling out of town",
    "Booked with another doctor",
    "Doctor unavailable",
    "Family emergency",
)

BLOOD_GROUPS: tuple[str, ...] = ("A+", "A-", "B+", "B-", "O+", "O-", "AB+", "AB-")
CARD_BRANDS: tuple[str, ...] = ("Visa", "Mastercard", "RuPay", "Amex")
UPI_HANDLES: tuple[str, ...] = ("okaxis", "okhdfcbank", "oksbi", "ybl", "paytm", "ibl")
BANKS: tuple[str, ...] = (
    "State Bank of India",
    "HDFC Bank",
    "ICICI Bank",
    "Axis Bank",
    "Kotak Mahindra Bank",
    "Canara Bank",
)
WALLETS: tuple[str, ...] = ("Paytm", "PhonePe")
PAYMENT_FAILURES: tuple[str, ...] = (
    "Payment declined by bank",
    "UPI request timed out",
    "Insufficient balance",
)
