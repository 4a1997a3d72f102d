"""Data for the symptom checker (``symptoms.py`` holds the matching logic).

Each entry maps a canonical symptom name to the phrases patients use for it (including common
Indian-English and Hinglish phrasings) and to weighted specializations: 1.0 is the specialist
to see first, lower weights are reasonable alternatives. Phrases are written naturally; the
matcher normalises them exactly like user input (filler words dropped, light stemming,
``WORD_SYNONYMS`` applied), so "pain in the chest" and "pain in chest" are the same phrase.
"""

from __future__ import annotations

from healthcareplus.domain.catalog.specializations import GENERAL_PHYSICIAN as GP

ALLERGY = "Allergist"
CARD = "Cardiologist"
DENT = "Dentist"
DERM = "Dermatologist"
DIAB = "Diabetologist"
ENDO = "Endocrinologist"
ENT = "ENT Specialist"
EYE = "Ophthalmologist"
GASTRO = "Gastroenterologist"
GYN = "Gynecologist"
NEPH = "Nephrologist"
NEURO = "Neurologist"
ONCO = "Oncologist"
ORTHO = "Orthopedic Surgeon"
PED = "Pediatrician"
PHYSIO = "Physiotherapist"
PSY = "Psychiatrist"
PULM = "Pulmonologist"
RHEUM = "Rheumatologist"
SURG = "General Surgeon"
URO = "Urologist"

Entry = tuple[tuple[str, ...], dict[str, float]]

# fmt: off
SYMPTOMS: dict[str, Entry] = {
    # Heart and circulation
    "chest pain": (
        ("chest tightness", "tight chest", "chest heaviness", "heavy chest", "heart pain",
         "chest discomfort", "chest pressure", "seene mein dard"),
        {CARD: 1.0, PULM: 0.4, GP: 0.3},
    ),
    "breathlessness": (
        ("shortness of breath", "short of breath", "out of breath", "breathless",
         "breathing problem", "problem breathing", "breathing", "cant breathe",
         "breathing fast", "dyspnea", "dyspnoea", "gasping", "saans phoolna"),
        {PULM: 1.0, CARD: 0.7, GP: 0.3},
    ),
    "palpitations": (
        ("palpitation", "heart racing", "racing heart", "fast heartbeat", "rapid heartbeat",
         "irregular heartbeat", "heart pounding", "pounding heart", "fluttering heart"),
        {CARD: 1.0, GP: 0.3, ENDO: 0.2, PSY: 0.2},
    ),
    "high blood pressure": (
        ("high bp", "bp", "hypertension", "blood pressure", "bp problem", "high pressure"),
        {CARD: 1.0, GP: 0.6, NEPH: 0.3},
    ),
    "low blood pressure": (
        ("low bp", "hypotension", "bp low"),
        {CARD: 0.8, GP: 0.7},
    ),
    "high cholesterol": (
        ("cholesterol", "triglycerides", "high lipids"),
        {CARD: 0.8, GP: 0.6, ENDO: 0.5},
    ),
    "swollen legs": (
        ("swollen feet", "swollen ankles", "swelling in legs", "swelling in feet",
         "leg swelling", "feet swelling", "foot swelling", "ankle swelling", "pedal edema",
         "edema", "oedema", "water retention"),
        {NEPH: 0.8, CARD: 0.7, GP: 0.5},
    ),
    "fainting": (
        ("faint", "fainted", "blackout", "blacked out", "passed out", "syncope",
         "loss of consciousness", "unconscious", "collapsed"),
        {CARD: 0.8, NEURO: 0.8, GP: 0.5},
    ),
    "varicose veins": (
        ("varicose", "swollen veins", "bulging veins", "spider veins"),
        {SURG: 1.0, CARD: 0.3},
    ),
    # Brain and nerves
    "dizziness": (
        ("dizzy", "giddiness", "giddy", "vertigo", "head spinning", "room spinning",
         "lightheaded", "light headed", "lightheadedness", "chakkar"),
        {NEURO: 0.8, ENT: 0.6, GP: 0.6, CARD: 0.3},
    ),
    "headache": (
        ("head pain", "heavy head", "head heaviness", "sir dard", "sar dard"),
        {NEURO: 0.8, GP: 0.7, EYE: 0.2},
    ),
    "migraine": (
        ("one sided headache", "half headache", "migraine headache"),
        {NEURO: 1.0, GP: 0.3},
    ),
    "seizures": (
        ("seizure", "fits", "convulsions", "epilepsy", "epileptic", "jerking movements"),
        {NEURO: 1.0, PED: 0.2, GP: 0.2},
    ),
    "numbness": (
        ("numb", "tingling", "pins and needles", "loss of sensation", "burning feet",
         "nerve pain", "neuropathy"),
        {NEURO: 1.0, DIAB: 0.3, GP: 0.3},
    ),
    "stroke symptoms": (
        ("stroke", "paralysis", "paralysed", "paralyzed", "facial droop", "slurred speech",
         "face drooping", "one sided weakness", "weakness in arm", "weakness on one side"),
        {NEURO: 1.0, PHYSIO: 0.3},
    ),
    "tremors": (
        ("tremor", "shaking hands", "hand shaking", "hands shaking", "trembling",
         "parkinson", "parkinsons"),
        {NEURO: 1.0},
    ),
    "memory loss": (
        ("forgetfulness", "forgetting things", "dementia", "alzheimer", "alzheimers",
         "confusion", "poor memory"),
        {NEURO: 1.0, PSY: 0.5},
    ),
    # Bones, joints and muscles
    "back pain": (
        ("backache", "lower back pain", "low back pain", "spine pain", "slipped disc",
         "sciatica", "lumbar pain", "kamar dard"),
        {ORTHO: 1.0, PHYSIO: 0.7, NEURO: 0.2},
    ),
    "neck pain": (
        ("stiff neck", "neck stiffness", "cervical", "cervical spondylosis", "spondylosis"),
        {ORTHO: 1.0, PHYSIO: 0.8},
    ),
    "knee pain": (
        ("knee", "knee swelling", "swollen knee", "knee injury", "knee problem"),
        {ORTHO: 1.0, PHYSIO: 0.6, RHEUM: 0.3},
    ),
    "shoulder pain": (
        ("frozen shoulder", "shoulder stiffness", "shoulder injury"),
        {ORTHO: 1.0, PHYSIO: 0.8},
    ),
    "hip pain": (("hip", "hip injury"), {ORTHO: 1.0, PHYSIO: 0.5, RHEUM: 0.3}),
    "foot pain": (
        ("heel pain", "ankle pain", "plantar fasciitis", "leg pain"),
        {ORTHO: 1.0, PHYSIO: 0.6},
    ),
    "wrist pain": (
        ("elbow pain", "tennis elbow", "carpal tunnel", "hand pain", "arm pain"),
        {ORTHO: 1.0, PHYSIO: 0.6, NEURO: 0.2},
    ),
    "joint pain": (
        ("joints pain", "painful joints", "arthritis", "stiff joints", "joint stiffness",
         "morning stiffness", "finger pain", "finger joints", "osteoarthritis",
         "rheumatoid", "lupus"),
        {RHEUM: 1.0, ORTHO: 0.6, PHYSIO: 0.2},
    ),
    "joint swelling": (
        ("swollen joints", "swelling in fingers", "swollen fingers", "finger swelling"),
        {RHEUM: 1.0, ORTHO: 0.4},
    ),
    "gout": (("uric acid", "high uric acid", "toe pain"), {RHEUM: 1.0, ORTHO: 0.3, GP: 0.2}),
    "fracture": (
        ("broken bone", "broken arm", "broken leg", "broken wrist", "bone injury",
         "dislocation", "fall injury", "hairline fracture"),
        {ORTHO: 1.0, SURG: 0.3},
    ),
    "sprain": (
        ("sprained ankle", "twisted ankle", "ankle twist", "ligament injury", "ligament tear",
         "sports injury", "pulled muscle", "muscle pull", "muscle strain", "hamstring"),
        {PHYSIO: 1.0, ORTHO: 0.8},
    ),
    "weak bones": (
        ("osteoporosis", "bone pain", "low bone density"),
        {ORTHO: 0.8, RHEUM: 0.6, ENDO: 0.4},
    ),
    "body ache": (
        ("body pain", "muscle pain", "muscle ache", "myalgia", "muscle cramps", "cramps"),
        {GP: 1.0, PHYSIO: 0.5, RHEUM: 0.3},
    ),
    "rehabilitation": (
        ("rehab", "physiotherapy", "physio", "recovery after surgery", "exercise therapy",
         "bad posture", "posture problem", "mobility problem"),
        {PHYSIO: 1.0, ORTHO: 0.3},
    ),
    # General and infections
    "fever": (
        ("high temperature", "temperature", "feverish", "pyrexia", "chills", "shivering",
         "viral fever", "bukhar", "bukhaar"),
        {GP: 1.0, PED: 0.3},
    ),
    "infection": (
        ("dengue", "malaria", "typhoid", "chikungunya", "covid", "flu", "influenza"),
        {GP: 1.0, PED: 0.2},
    ),
    "cold": (
        ("common cold", "runny nose", "running nose", "blocked nose", "stuffy nose",
         "nose block", "nasal congestion", "zukam", "jukam"),
        {GP: 0.8, ENT: 0.7, ALLERGY: 0.3},
    ),
    "cough": (
        ("dry cough", "wet cough", "persistent cough", "cough with phlegm", "phlegm",
         "sputum", "mucus", "khansi", "khasi"),
        {GP: 0.8, PULM: 0.75, ENT: 0.3},
    ),
    "fatigue": (
        ("tiredness", "tired", "always tired", "weakness", "exhaustion", "exhausted",
         "lethargy", "low energy", "no energy", "kamzori"),
        {GP: 1.0, ENDO: 0.4},
    ),
    "anaemia": (
        ("anemia", "low hemoglobin", "low haemoglobin", "low hb", "pale skin"),
        {GP: 1.0, GYN: 0.2},
    ),
    "loss of appetite": (
        ("no appetite", "poor appetite", "not hungry", "not feeling hungry"),
        {GP: 1.0, GASTRO: 0.6},
    ),
    "night sweats": (("sweating at night", "night sweating"), {GP: 0.8, PULM: 0.3, ONCO: 0.3}),
    "weight loss": (
        ("losing weight", "unexplained weight loss", "sudden weight loss"),
        {ENDO: 0.7, GP: 0.6, ONCO: 0.5, DIAB: 0.3},
    ),
    "weight gain": (
        ("gaining weight", "obesity", "obese", "overweight"),
        {ENDO: 1.0, GP: 0.4, DIAB: 0.4},
    ),
    "illness in a child": (
        ("child", "kid", "baby", "infant", "toddler", "newborn", "son", "daughter", "bacha",
         "bachha"),
        {PED: 1.0},
    ),
    "vaccination": (("vaccine", "immunization", "immunisation", "vaccines"), {PED: 0.8, GP: 0.6}),
    # Lungs
    "coughing blood": (
        ("blood in cough", "blood in sputum", "spitting blood", "hemoptysis"),
        {PULM: 1.0, ONCO: 0.3},
    ),
    "wheezing": (
        ("wheeze", "asthma", "whistling sound", "asthma attack", "inhaler"),
        {PULM: 1.0, ALLERGY: 0.6},
    ),
    "snoring": (("snore", "sleep apnea", "sleep apnoea"), {ENT: 0.8, PULM: 0.7}),
    # Ear, nose and throat
    "sore throat": (
        ("throat pain", "throat infection", "scratchy throat", "tonsils", "tonsillitis",
         "gala kharab"),
        {ENT: 1.0, GP: 0.6},
    ),
    "ear pain": (
        ("earache", "ear infection", "ear discharge", "pus from ear", "blocked ear",
         "ear block", "kaan dard"),
        {ENT: 1.0, PED: 0.2, GP: 0.2},
    ),
    "hearing loss": (
        ("cant hear", "difficulty hearing", "hard of hearing", "deafness", "deaf",
         "ringing in ears", "ear ringing", "tinnitus"),
        {ENT: 1.0},
    ),
    "sinusitis": (
        ("sinus", "sinus pain", "sinus infection", "nasal polyps"),
        {ENT: 1.0, ALLERGY: 0.4},
    ),
    "nosebleed": (
        ("nose bleed", "nose bleeding", "bleeding nose", "bleeding from nose", "epistaxis"),
        {ENT: 1.0, GP: 0.3},
    ),
    "hoarse voice": (
        ("hoarseness", "voice change", "lost voice", "loss of voice"),
        {ENT: 1.0},
    ),
    "difficulty swallowing": (
        ("trouble swallowing", "painful swallowing", "swallowing problem", "dysphagia"),
        {ENT: 0.9, GASTRO: 0.8},
    ),
    # Eyes
    "red eyes": (
        ("red eye", "eye redness", "pink eye", "conjunctivitis", "eye infection", "itchy eyes",
         "watery eyes", "eye irritation"),
        {EYE: 1.0, ALLERGY: 0.3},
    ),
    "blurred vision": (
        ("blurry vision", "blurry eyes", "blurred eyes", "poor eyesight", "weak eyesight",
         "cant see clearly", "vision problem", "double vision", "low vision", "cataract",
         "eyesight"),
        {EYE: 1.0, NEURO: 0.2, DIAB: 0.1},
    ),
    "eye pain": (("eye strain", "glaucoma", "eye swelling"), {EYE: 1.0}),
    # Skin and hair
    "skin rash": (
        ("rash", "rashes", "skin allergy", "red spots", "red patches", "eczema", "dermatitis"),
        {DERM: 1.0, ALLERGY: 0.6},
    ),
    "itching": (
        ("itch", "itchy", "itchy skin", "scratching", "pruritus", "khujli"),
        {DERM: 1.0, ALLERGY: 0.4},
    ),
    "acne": (("pimples", "pimple", "breakouts", "blackheads", "zits"), {DERM: 1.0}),
    "hair loss": (
        ("hair fall", "hair falling", "baldness", "thinning hair", "dandruff"),
        {DERM: 1.0, ENDO: 0.2},
    ),
    "skin infection": (
        ("fungal infection", "ringworm", "white patches", "psoriasis", "skin peeling",
         "dry skin", "vitiligo", "skin problem", "skin discoloration", "warts", "mole"),
        {DERM: 1.0},
    ),
    "hives": (("urticaria", "welts"), {ALLERGY: 1.0, DERM: 0.7}),
    # Mind
    "depression": (
        ("depressed", "sadness", "sad", "low mood", "feeling low", "hopeless", "no interest",
         "feeling empty"),
        {PSY: 1.0, GP: 0.1},
    ),
    "anxiety": (
        ("anxious", "panic attack", "panic attacks", "panic", "nervousness", "nervous",
         "worried", "worry", "stress", "stressed", "tension", "overthinking"),
        {PSY: 1.0, GP: 0.2},
    ),
    "insomnia": (
        ("cant sleep", "no sleep", "sleeplessness", "sleepless", "trouble sleeping",
         "sleeping problem", "sleep problem", "not sleeping", "poor sleep"),
        {PSY: 0.8, GP: 0.5, NEURO: 0.3},
    ),
    "suicidal thoughts": (
        ("suicidal", "suicide", "want to die", "self harm", "kill myself"),
        {PSY: 1.0},
    ),
    "addiction": (
        ("alcohol addiction", "alcoholism", "drinking problem", "drug addiction",
         "smoking addiction", "substance abuse", "quit smoking"),
        {PSY: 1.0},
    ),
    "mood swings": (
        ("bipolar", "hallucinations", "hearing voices", "anger issues", "irritability"),
        {PSY: 1.0},
    ),
    # Digestion
    "acidity": (
        ("heartburn", "acid reflux", "reflux", "gerd", "sour burps", "indigestion",
         "gastric", "gastritis", "burning in chest"),
        {GASTRO: 1.0, GP: 0.5},
    ),
    "stomach pain": (
        ("stomachache", "abdominal pain", "tummy pain", "belly pain", "stomach cramps",
         "pet dard", "pait dard", "stomach upset", "upset stomach"),
        {GASTRO: 1.0, GP: 0.5, SURG: 0.3},
    ),
    "vomiting": (
        ("vomit", "throwing up", "nausea", "nauseous", "nauseated", "puking", "ulti",
         "vomiting blood"),
        {GASTRO: 0.9, GP: 0.8},
    ),
    "diarrhoea": (
        ("diarrhea", "loose motions", "loose motion", "loose stools", "watery stools",
         "dysentery", "dast"),
        {GASTRO: 1.0, GP: 0.7, PED: 0.1},
    ),
    "constipation": (
        ("constipated", "hard stools", "no motion", "difficulty passing stool"),
        {GASTRO: 1.0, GP: 0.4},
    ),
    "bloating": (("bloated", "gas", "flatulence", "gassy", "gas problem"), {GASTRO: 1.0, GP: 0.3}),
    "blood in stool": (
        ("bloody stool", "black stool", "rectal bleeding", "bleeding from anus"),
        {GASTRO: 1.0, SURG: 0.6, ONCO: 0.3},
    ),
    "jaundice": (
        ("yellow eyes", "yellow skin", "yellowish eyes", "liver problem", "fatty liver",
         "hepatitis", "piliya"),
        {GASTRO: 1.0, GP: 0.4},
    ),
    # Surgery
    "piles": (
        ("hemorrhoids", "haemorrhoids", "fissure", "fistula", "anal pain"),
        {SURG: 1.0, GASTRO: 0.5},
    ),
    "hernia": (("bulge in groin", "groin swelling", "groin lump"), {SURG: 1.0}),
    "appendicitis": (("appendix", "appendix pain"), {SURG: 1.0, GASTRO: 0.4}),
    "gallstones": (
        ("gallstone", "gall bladder stone", "gallbladder stone", "gall stone"),
        {SURG: 1.0, GASTRO: 0.6},
    ),
    "boil or abscess": (
        ("boil", "abscess", "pus", "wound", "infected wound", "non healing wound", "cut"),
        {SURG: 1.0, DERM: 0.4},
    ),
    "lump": (("lumps", "growth", "swelling under skin", "cyst"), {SURG: 1.0, ONCO: 0.8}),
    "breast lump": (
        ("lump in breast", "breast pain", "breast swelling", "nipple discharge"),
        {ONCO: 1.0, SURG: 0.8, GYN: 0.5},
    ),
    "cancer": (
        ("tumour", "tumor", "malignancy", "carcinoma", "chemotherapy", "chemo", "cancer care"),
        {ONCO: 1.0},
    ),
    # Hormones and diabetes
    "diabetes": (
        ("diabetic", "sugar", "high sugar", "blood sugar", "sugar problem", "sugar level",
         "low sugar", "madhumeh"),
        {DIAB: 1.0, ENDO: 0.8, GP: 0.3},
    ),
    "excessive thirst": (
        ("always thirsty", "very thirsty", "thirsty", "thirst", "increased thirst",
         "dry mouth", "polydipsia"),
        {DIAB: 1.0, ENDO: 0.8, GP: 0.3},
    ),
    "thyroid problem": (
        ("thyroid", "hypothyroid", "hypothyroidism", "hyperthyroid", "hyperthyroidism",
         "goitre", "goiter"),
        {ENDO: 1.0, GP: 0.2},
    ),
    "hormonal imbalance": (
        ("hormone problem", "hormonal problem", "hormones", "excess facial hair",
         "growth problem"),
        {ENDO: 1.0, GYN: 0.3},
    ),
    # Kidneys and urinary tract
    "frequent urination": (
        ("urinating frequently", "frequent urine", "peeing a lot", "urge to urinate",
         "passing urine frequently", "night urination", "polyuria"),
        {URO: 0.8, DIAB: 0.7, ENDO: 0.5, NEPH: 0.3},
    ),
    "burning urination": (
        ("burning urine", "burning while urinating", "painful urination", "pain while urinating",
         "urine infection", "urinary infection", "uti", "dysuria"),
        {URO: 1.0, NEPH: 0.4, GYN: 0.3, GP: 0.3},
    ),
    "blood in urine": (("red urine", "hematuria", "haematuria"), {URO: 1.0, NEPH: 0.8, ONCO: 0.2}),
    "kidney stone": (
        ("kidney stones", "renal stone", "stone in kidney", "stone pain", "flank pain",
         "ureteric stone"),
        {URO: 1.0, NEPH: 0.8},
    ),
    "kidney problem": (
        ("kidney disease", "kidney failure", "kidney pain", "high creatinine", "creatinine",
         "dialysis", "protein in urine", "foamy urine", "less urine", "reduced urine"),
        {NEPH: 1.0, URO: 0.3},
    ),
    "prostate problem": (
        ("prostate", "enlarged prostate", "weak urine stream", "difficulty urinating",
         "cant pass urine", "urine retention"),
        {URO: 1.0},
    ),
    "erectile dysfunction": (
        ("impotence", "sexual problem", "low libido", "erection problem"),
        {URO: 1.0, ENDO: 0.2, PSY: 0.2},
    ),
    # Women's health
    "irregular periods": (
        ("missed period", "late period", "delayed period", "no periods", "period problem",
         "irregular menses", "pcos", "pcod"),
        {GYN: 1.0, ENDO: 0.4},
    ),
    "period pain": (
        ("painful periods", "period cramps", "menstrual cramps", "menstrual pain",
         "heavy periods", "heavy bleeding", "dysmenorrhea"),
        {GYN: 1.0, GP: 0.2},
    ),
    "pregnancy": (
        ("pregnant", "prenatal", "antenatal", "pregnancy test", "trying to conceive"),
        {GYN: 1.0},
    ),
    "vaginal discharge": (
        ("white discharge", "leucorrhoea", "vaginal itching", "vaginal infection"),
        {GYN: 1.0, DERM: 0.1},
    ),
    "menopause": (("hot flashes", "hot flushes", "perimenopause"), {GYN: 1.0, ENDO: 0.4}),
    "infertility": (
        ("cant conceive", "not getting pregnant", "fertility problem"),
        {GYN: 1.0, URO: 0.5, ENDO: 0.4},
    ),
    # Teeth and mouth
    "toothache": (
        ("tooth pain", "teeth pain", "dental pain", "sensitive teeth", "tooth sensitivity",
         "cavity", "tooth decay", "broken tooth", "daant dard", "wisdom tooth"),
        {DENT: 1.0},
    ),
    "gum problems": (
        ("bleeding gums", "gum bleeding", "swollen gums", "gum pain", "bad breath"),
        {DENT: 1.0},
    ),
    "mouth ulcers": (
        ("mouth ulcer", "mouth sores", "ulcer in mouth", "canker sore", "chhale"),
        {DENT: 0.7, GP: 0.5, GASTRO: 0.4},
    ),
    # Allergies
    "allergy": (
        ("allergic", "allergic reaction", "food allergy", "dust allergy", "pollen allergy",
         "hay fever", "allergies"),
        {ALLERGY: 1.0, DERM: 0.3, ENT: 0.2},
    ),
    "sneezing": (("sneeze", "sneezes", "frequent sneezing"), {ALLERGY: 1.0, ENT: 0.6, GP: 0.3}),
    "swelling of face or lips": (
        ("swollen lips", "lip swelling", "swollen face", "face swelling", "facial swelling",
         "swollen tongue", "tongue swelling"),
        {ALLERGY: 1.0, GP: 0.3},
    ),
}

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
