"""Data for the symptom checker (``symptoms.py`` holds the matching logic).

``SYMPTOMS`` maps a canonical symptom name to the phrases patients use for it (including
common Indian-English and Hinglish phrasings) and to weighted specializations: 1.0 is the
specialist to see first, lower weights are reasonable alternatives. Phrases are written
naturally; the matcher normalises them exactly like user input (filler words dropped, light
stemming, ``WORD_SYNONYMS`` applied), so "pain in the chest" and "pain in chest" are the
same phrase.

The table is plain text, a paragraph per symptom: its name and weighted specialists on one
line, then (indented, over as many lines as it takes) the phrases, all separated by commas;
``#`` lines name the groups. It is read once, at import, and a specialization the clinics
do not offer is refused there.
"""

from __future__ import annotations

from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS

Entry = tuple[tuple[str, ...], dict[str, float]]

_TABLE = """
# Heart and circulation
chest pain: Cardiologist 1.0, Pulmonologist 0.4, General Physician 0.3
    chest tightness, tight chest, chest heaviness, heavy chest, heart pain, chest discomfort,
    chest pressure, seene mein dard
breathlessness: Pulmonologist 1.0, Cardiologist 0.7, General Physician 0.3
    shortness of breath, short of breath, out of breath, breathless, breathing problem,
    problem breathing, breathing, cant breathe, breathing fast, dyspnea, dyspnoea, gasping,
    saans phoolna
palpitations: Cardiologist 1.0, General Physician 0.3, Endocrinologist 0.2, Psychiatrist 0.2
    palpitation, heart racing, racing heart, fast heartbeat, rapid heartbeat, irregular heartbeat,
    heart pounding, pounding heart, fluttering heart
high blood pressure: Cardiologist 1.0, General Physician 0.6, Nephrologist 0.3
    high bp, bp, hypertension, blood pressure, bp problem, high pressure
low blood pressure: Cardiologist 0.8, General Physician 0.7
    low bp, hypotension, bp low
high cholesterol: Cardiologist 0.8, General Physician 0.6, Endocrinologist 0.5
    cholesterol, triglycerides, high lipids
swollen legs: Nephrologist 0.8, Cardiologist 0.7, General Physician 0.5
    swollen feet, swollen ankles, swelling in legs, swelling in feet, leg swelling, feet swelling,
    foot swelling, ankle swelling, pedal edema, edema, oedema, water retention
fainting: Cardiologist 0.8, Neurologist 0.8, General Physician 0.5
    faint, fainted, blackout, blacked out, passed out, syncope, loss of consciousness, unconscious,
    collapsed
varicose veins: General Surgeon 1.0, Cardiologist 0.3
    varicose, swollen veins, bulging veins, spider veins
# Brain and nerves
dizziness: Neurologist 0.8, ENT Specialist 0.6, General Physician 0.6, Cardiologist 0.3
    dizzy, giddiness, giddy, vertigo, head spinning, room spinning, lightheaded, light headed,
    lightheadedness, chakkar
headache: Neurologist 0.8, General Physician 0.7, Ophthalmologist 0.2
    head pain, heavy head, head heaviness, sir dard, sar dard
migraine: Neurologist 1.0, General Physician 0.3
    one sided headache, half headache, migraine headache
seizures: Neurologist 1.0, Pediatrician 0.2, General Physician 0.2
    seizure, fits, convulsions, epilepsy, epileptic, jerking movements
numbness: Neurologist 1.0, Diabetologist 0.3, General Physician 0.3
    numb, tingling, pins and needles, loss of sensation, burning feet, nerve pain, neuropathy
stroke symptoms: Neurologist 1.0, Physiotherapist 0.3
    stroke, paralysis, paralysed, paralyzed, facial droop, slurred speech, face drooping,
    one sided weakness, weakness in arm, weakness on one side
tremors: Neurologist 1.0
    tremor, shaking hands, hand shaking, hands shaking, trembling, parkinson, parkinsons
memory loss: Neurologist 1.0, Psychiatrist 0.5
    forgetfulness, forgetting things, dementia, alzheimer, alzheimers, confusion, poor memory
# Bones, joints and muscles
back pain: Orthopedic Surgeon 1.0, Physiotherapist 0.7, Neurologist 0.2
    backache, lower back pain, low back pain, spine pain, slipped disc, sciatica, lumbar pain,
    kamar dard
neck pain: Orthopedic Surgeon 1.0, Physiotherapist 0.8
    stiff neck, neck stiffness, cervical, cervical spondylosis, spondylosis
knee pain: Orthopedic Surgeon 1.0, Physiotherapist 0.6, Rheumatologist 0.3
    knee, knee swelling, swollen knee, knee injury, knee problem
shoulder pain: Orthopedic Surgeon 1.0, Physiotherapist 0.8
    frozen shoulder, shoulder stiffness, shoulder injury
hip pain: Orthopedic Surgeon 1.0, Physiotherapist 0.5, Rheumatologist 0.3
    hip, hip injury
foot pain: Orthopedic Surgeon 1.0, Physiotherapist 0.6
    heel pain, ankle pain, plantar fasciitis, leg pain
wrist pain: Orthopedic Surgeon 1.0, Physiotherapist 0.6, Neurologist 0.2
    elbow pain, tennis elbow, carpal tunnel, hand pain, arm pain
joint pain: Rheumatologist 1.0, Orthopedic Surgeon 0.6, Physiotherapist 0.2
    joints pain, painful joints, arthritis, stiff joints, joint stiffness, morning stiffness,
    finger pain, finger joints, osteoarthritis, rheumatoid, lupus
joint swelling: Rheumatologist 1.0, Orthopedic Surgeon 0.4
    swollen joints, swelling in fingers, swollen fingers, finger swelling
gout: Rheumatologist 1.0, Orthopedic Surgeon 0.3, General Physician 0.2
    uric acid, high uric acid, toe pain
fracture: Orthopedic Surgeon 1.0, General Surgeon 0.3
    broken bone, broken arm, broken leg, broken wrist, bone injury, dislocation, fall injury,
    hairline fracture
sprain: Physiotherapist 1.0, Orthopedic Surgeon 0.8
    sprained ankle, twisted ankle, ankle twist, ligament injury, ligament tear, sports injury,
    pulled muscle, muscle pull, muscle strain, hamstring
weak bones: Orthopedic Surgeon 0.8, Rheumatologist 0.6, Endocrinologist 0.4
    osteoporosis, bone pain, low bone density
body ache: General Physician 1.0, Physiotherapist 0.5, Rheumatologist 0.3
    body pain, muscle pain, muscle ache, myalgia, muscle cramps, cramps
rehabilitation: Physiotherapist 1.0, Orthopedic Surgeon 0.3
    rehab, physiotherapy, physio, recovery after surgery, exercise therapy, bad posture,
    posture problem, mobility problem
# General and infections
fever: General Physician 1.0, Pediatrician 0.3
    high temperature, temperature, feverish, pyrexia, chills, shivering, viral fever, bukhar,
    bukhaar
infection: General Physician 1.0, Pediatrician 0.2
    dengue, malaria, typhoid, chikungunya, covid, flu, influenza
cold: General Physician 0.8, ENT Specialist 0.7, Allergist 0.3
    common cold, runny nose, running nose, blocked nose, stuffy nose, nose block, nasal congestion,
    zukam, jukam
cough: General Physician 0.8, Pulmonologist 0.75, ENT Specialist 0.3
    dry cough, wet cough, persistent cough, cough with phlegm, phlegm, sputum, mucus, khansi, khasi
fatigue: General Physician 1.0, Endocrinologist 0.4
    tiredness, tired, always tired, weakness, exhaustion, exhausted, lethargy, low energy,
    no energy, kamzori
anaemia: General Physician 1.0, Gynecologist 0.2
    anemia, low hemoglobin, low haemoglobin, low hb, pale skin
loss of appetite: General Physician 1.0, Gastroenterologist 0.6
    no appetite, poor appetite, not hungry, not feeling hungry
night sweats: General Physician 0.8, Pulmonologist 0.3, Oncologist 0.3
    sweating at night, night sweating
weight loss: Endocrinologist 0.7, General Physician 0.6, Oncologist 0.5, Diabetologist 0.3
    losing weight, unexplained weight loss, sudden weight loss
weight gain: Endocrinologist 1.0, General Physician 0.4, Diabetologist 0.4
    gaining weight, obesity, obese, overweight
illness in a child: Pediatrician 1.0
    child, kid, baby, infant, toddler, newborn, son, daughter, bacha, bachha
vaccination: Pediatrician 0.8, General Physician 0.6
    vaccine, immunization, immunisation, vaccines
# Lungs
coughing blood: Pulmonologist 1.0, Oncologist 0.3
    blood in cough, blood in sputum, spitting blood, hemoptysis
wheezing: Pulmonologist 1.0, Allergist 0.6
    wheeze, asthma, whistling sound, asthma attack, inhaler
snoring: ENT Specialist 0.8, Pulmonologist 0.7
    snore, sleep apnea, sleep apnoea
# Ear, nose and throat
sore throat: ENT Specialist 1.0, General Physician 0.6
    throat pain, throat infection, scratchy throat, tonsils, tonsillitis, gala kharab
ear pain: ENT Specialist 1.0, Pediatrician 0.2, General Physician 0.2
    earache, ear infection, ear discharge, pus from ear, blocked ear, ear block, kaan dard
hearing loss: ENT Specialist 1.0
    cant hear, difficulty hearing, hard of hearing, deafness, deaf, ringing in ears, ear ringing,
    tinnitus
sinusitis: ENT Specialist 1.0, Allergist 0.4
    sinus, sinus pain, sinus infection, nasal polyps
nosebleed: ENT Specialist 1.0, General Physician 0.3
    nose bleed, nose bleeding, bleeding nose, bleeding from nose, epistaxis
hoarse voice: ENT Specialist 1.0
    hoarseness, voice change, lost voice, loss of voice
difficulty swallowing: ENT Specialist 0.9, Gastroenterologist 0.8
    trouble swallowing, painful swallowing, swallowing problem, dysphagia
# Eyes
red eyes: Ophthalmologist 1.0, Allergist 0.3
    red eye, eye redness, pink eye, conjunctivitis, eye infection, itchy eyes, watery eyes,
    eye irritation
blurred vision: Ophthalmologist 1.0, Neurologist 0.2, Diabetologist 0.1
    blurry vision, blurry eyes, blurred eyes, poor eyesight, weak eyesight, cant see clearly,
    vision problem, double vision, low vision, cataract, eyesight
eye pain: Ophthalmologist 1.0
    eye strain, glaucoma, eye swelling
# Skin and hair
skin rash: Dermatologist 1.0, Allergist 0.6
    rash, rashes, skin allergy, red spots, red patches, eczema, dermatitis
itching: Dermatologist 1.0, Allergist 0.4
    itch, itchy, itchy skin, scratching, pruritus, khujli
acne: Dermatologist 1.0
    pimples, pimple, breakouts, blackheads, zits
hair loss: Dermatologist 1.0, Endocrinologist 0.2
    hair fall, hair falling, baldness, thinning hair, dandruff
skin infection: Dermatologist 1.0
    fungal infection, ringworm, white patches, psoriasis, skin peeling, dry skin, vitiligo,
    skin problem, skin discoloration, warts, mole
hives: Allergist 1.0, Dermatologist 0.7
    urticaria, welts
# Mind
depression: Psychiatrist 1.0, General Physician 0.1
    depressed, sadness, sad, low mood, feeling low, hopeless, no interest, feeling empty
anxiety: Psychiatrist 1.0, General Physician 0.2
    anxious, panic attack, panic attacks, panic, nervousness, nervous, worried, worry, stress,
    stressed, tension, overthinking
insomnia: Psychiatrist 0.8, General Physician 0.5, Neurologist 0.3
    cant sleep, no sleep, sleeplessness, sleepless, trouble sleeping, sleeping problem,
    sleep problem, not sleeping, poor sleep
suicidal thoughts: Psychiatrist 1.0
    suicidal, suicide, want to die, self harm, kill myself
addiction: Psychiatrist 1.0
    alcohol addiction, alcoholism, drinking problem, drug addiction, smoking addiction,
    substance abuse, quit smoking
mood swings: Psychiatrist 1.0
    bipolar, hallucinations, hearing voices, anger issues, irritability
# Digestion
acidity: Gastroenterologist 1.0, General Physician 0.5
    heartburn, acid reflux, reflux, gerd, sour burps, indigestion, gastric, gastritis,
    burning in chest
stomach pain: Gastroenterologist 1.0, General Physician 0.5, General Surgeon 0.3
    stomachache, abdominal pain, tummy pain, belly pain, stomach cramps, pet dard, pait dard,
    stomach upset, upset stomach
vomiting: Gastroenterologist 0.9, General Physician 0.8
    vomit, throwing up, nausea, nauseous, nauseated, puking, ulti, vomiting blood
diarrhoea: Gastroenterologist 1.0, General Physician 0.7, Pediatrician 0.1
    diarrhea, loose motions, loose motion, loose stools, watery stools, dysentery, dast
constipation: Gastroenterologist 1.0, General Physician 0.4
    constipated, hard stools, no motion, difficulty passing stool
bloating: Gastroenterologist 1.0, General Physician 0.3
    bloated, gas, flatulence, gassy, gas problem
blood in stool: Gastroenterologist 1.0, General Surgeon 0.6, Oncologist 0.3
    bloody stool, black stool, rectal bleeding, bleeding from anus
jaundice: Gastroenterologist 1.0, General Physician 0.4
    yellow eyes, yellow skin, yellowish eyes, liver problem, fatty liver, hepatitis, piliya
# Surgery
piles: General Surgeon 1.0, Gastroenterologist 0.5
    hemorrhoids, haemorrhoids, fissure, fistula, anal pain
hernia: General Surgeon 1.0
    bulge in groin, groin swelling, groin lump
appendicitis: General Surgeon 1.0, Gastroenterologist 0.4
    appendix, appendix pain
gallstones: General Surgeon 1.0, Gastroenterologist 0.6
    gallstone, gall bladder stone, gallbladder stone, gall stone
boil or abscess: General Surgeon 1.0, Dermatologist 0.4
    boil, abscess, pus, wound, infected wound, non healing wound, cut
lump: General Surgeon 1.0, Oncologist 0.8
    lumps, growth, swelling under skin, cyst
breast lump: Oncologist 1.0, General Surgeon 0.8, Gynecologist 0.5
    lump in breast, breast pain, breast swelling, nipple discharge
cancer: Oncologist 1.0
    tumour, tumor, malignancy, carcinoma, chemotherapy, chemo, cancer care
# Hormones and diabetes
diabetes: Diabetologist 1.0, Endocrinologist 0.8, General Physician 0.3
    diabetic, sugar, high sugar, blood sugar, sugar problem, sugar level, low sugar, madhumeh
excessive thirst: Diabetologist 1.0, Endocrinologist 0.8, General Physician 0.3
    always thirsty, very thirsty, thirsty, thirst, increased thirst, dry mouth, polydipsia
thyroid problem: Endocrinologist 1.0, General Physician 0.2
    thyroid, hypothyroid, hypothyroidism, hyperthyroid, hyperthyroidism, goitre, goiter
hormonal imbalance: Endocrinologist 1.0, Gynecologist 0.3
    hormone problem, hormonal problem, hormones, excess facial hair, growth problem
# Kidneys and urinary tract
frequent urination: Urologist 0.8, Diabetologist 0.7, Endocrinologist 0.5, Nephrologist 0.3
    urinating frequently, frequent urine, peeing a lot, urge to urinate, passing urine frequently,
    night urination, polyuria
burning urination: Urologist 1.0, Nephrologist 0.4, Gynecologist 0.3, General Physician 0.3
    burning urine, burning while urinating, painful urination, pain while urinating,
    urine infection, urinary infection, uti, dysuria
blood in urine: Urologist 1.0, Nephrologist 0.8, Oncologist 0.2
    red urine, hematuria, haematuria
kidney stone: Urologist 1.0, Nephrologist 0.8
    kidney stones, renal stone, stone in kidney, stone pain, flank pain, ureteric stone
kidney problem: Nephrologist 1.0, Urologist 0.3
    kidney disease, kidney failure, kidney pain, high creatinine, creatinine, dialysis,
    protein in urine, foamy urine, less urine, reduced urine
prostate problem: Urologist 1.0
    prostate, enlarged prostate, weak urine stream, difficulty urinating, cant pass urine,
    urine retention
erectile dysfunction: Urologist 1.0, Endocrinologist 0.2, Psychiatrist 0.2
    impotence, sexual problem, low libido, erection problem
# Women's health
irregular periods: Gynecologist 1.0, Endocrinologist 0.4
    missed period, late period, delayed period, no periods, period problem, irregular menses, pcos,
    pcod
period pain: Gynecologist 1.0, General Physician 0.2
    painful periods, period cramps, menstrual cramps, menstrual pain, heavy periods,
    heavy bleeding, dysmenorrhea
pregnancy: Gynecologist 1.0
    pregnant, prenatal, antenatal, pregnancy test, trying to conceive
vaginal discharge: Gynecologist 1.0, Dermatologist 0.1
    white discharge, leucorrhoea, vaginal itching, vaginal infection
menopause: Gynecologist 1.0, Endocrinologist 0.4
    hot flashes, hot flushes, perimenopause
infertility: Gynecologist 1.0, Urologist 0.5, Endocrinologist 0.4
    cant conceive, not getting pregnant, fertility problem
# Teeth and mouth
toothache: Dentist 1.0
    tooth pain, teeth pain, dental pain, sensitive teeth, tooth sensitivity, cavity, tooth decay,
    broken tooth, daant dard, wisdom tooth
gum problems: Dentist 1.0
    bleeding gums, gum bleeding, swollen gums, gum pain, bad breath
mouth ulcers: Dentist 0.7, General Physician 0.5, Gastroenterologist 0.4
    mouth ulcer, mouth sores, ulcer in mouth, canker sore, chhale
# Allergies
allergy: Allergist 1.0, Dermatologist 0.3, ENT Specialist 0.2
    allergic, allergic reaction, food allergy, dust allergy, pollen allergy, hay fever, allergies
sneezing: Allergist 1.0, ENT Specialist 0.6, General Physician 0.3
    sneeze, sneezes, frequent sneezing
swelling of face or lips: Allergist 1.0, General Physician 0.3
    swollen lips, lip swelling, swollen face, face swelling, facial swelling, swollen tongue,
    tongue swelling
"""


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _read(table: str) -> dict[str, Entry]:
    """``SYMPTOMS`` from the text of ``_TABLE``."""
    entries: dict[str, Entry] = {}
    name = ""
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):  # more phrases of the symptom above
            phrases, specialists = entries[name]
            entries[name] = (phrases + tuple(_items(line)), specialists)
            continue
        name, _, listed = line.partition(":")
        weights: dict[str, float] = {}
        for item in _items(listed):
            specialist, weight = item.rsplit(" ", 1)
            if specialist not in SPECIALIZATIONS:
                raise ValueError(f"{name}: no such specialization {specialist!r}")
            weights[specialist] = float(weight)
        entries[name] = ((), weights)
    return entries


SYMPTOMS: dict[str, Entry] = _read(_TABLE)

# fmt: off
# Symptoms that can signal an emergency: the message adds a warning.
URGENT_SYMPTOMS: frozenset[str] = frozenset(
    {"chest pain", "breathlessness", "fainting", "seizures", "stroke symptoms",
     "coughing blood", "suicidal thoughts", "swelling of face or lips", "appendicitis"}
)

# Words dropped before matching (both from phrases and input) so they never break a phrase.
FILLER_WORDS: frozenset[str] = frozenset({
    "a", "an", "the", "my", "me", "i", "im", "ive", "is", "am", "are", "was", "were", "be", "been",
    "being", "have", "has", "having", "had", "got", "get", "getting", "in", "on", "at", "of", "to",
    "from", "with", "while", "when", "during", "very", "really", "so", "too", "bit", "little",
    "some", "severe", "mild", "slight", "slightly", "constant", "continuous",
    "sudden", "suddenly", "left", "right", "both", "his", "her", "their", "our", "your", "its",
    "he", "she", "it", "they", "we", "also", "lately", "recently"
})

# Whole-word equivalences, applied before stemming; values are already normalised tokens.
WORD_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        ("ache", "aches", "aching", "achy", "hurt", "hurts", "hurting", "paining", "pains",
         "painful", "pain", "dard"),
        "pain",
    ),
    **dict.fromkeys(
        ("issue", "issues", "trouble", "troubles", "difficulty", "difficulties", "problem",
         "problems"),
        "problem",
    ),
    **dict.fromkeys(("tummy", "belly", "abdomen", "abdominal", "pet", "pait"), "stomach"),
    **dict.fromkeys(
        ("urine", "urinate", "urinating", "urination", "pee", "peeing", "micturition"), "urine"
    ),
    **dict.fromkeys(("cannot", "unable", "cant"), "cant"),
    **dict.fromkeys(("kids", "children", "childs", "babies"), "kid"),
    "teeth": "tooth",
    "feet": "foot",
    "hives": "hives",  # would otherwise stem to "hiv"
    "fits": "fits",  # "fit" alone is not a seizure
    "felt": "feel",
}

# Ordinary words never "corrected" into a symptom word by the typo matcher.
COMMON_WORDS: frozenset[str] = frozenset({
    "about", "above", "after", "again", "against", "always", "another", "anything", "appointment",
    "around", "because", "before", "behind", "being", "below", "better", "between", "could",
    "daily", "doctor", "during", "early", "evening", "every", "everything", "first", "going",
    "hello", "hospital", "little", "maybe", "months", "morning", "never", "night", "nothing",
    "other", "please", "really", "should", "since", "something", "sometimes", "started", "still",
    "suddenly", "thank", "thanks", "their", "there", "these", "thing", "things", "think", "those",
    "three", "through", "today", "tomorrow", "until", "usually", "weeks", "where", "which",
    "while", "whole", "would", "years", "yesterday",
    # one typo away from a symptom word
    "addition", "additions", "breadth", "cancel", "cancelled", "conclusion", "conclusions",
    "conversion", "conversions", "decreased", "exhaustive", "fewer", "handshake", "handshakes",
    "hides", "importance", "influence", "ingestion", "injection", "injections", "insertion",
    "inspection", "intention", "kinds", "month", "pairs", "paint", "plain", "poles", "pipes",
    "score", "scores", "sitting", "squeezing", "store", "stores", "storing", "strike", "sweets",
    "thirty", "throbbing", "timed", "tried", "waits", "warns", "watts"
})
