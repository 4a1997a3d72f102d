"""The symptom checker's matching: free text -> recognised symptoms -> ranked specializations."""

from __future__ import annotations

import dataclasses
import time

import pytest

from healthcareplus.domain.catalog import symptoms
from healthcareplus.domain.catalog.specializations import DEPARTMENTS, GENERAL_PHYSICIAN
from healthcareplus.domain.catalog.symptom_vocabulary import SYMPTOMS, URGENT_SYMPTOMS
from healthcareplus.domain.catalog.symptoms import (
    EXAMPLES,
    FALLBACK_MESSAGE,
    KNOWN_SYMPTOMS,
    MAX_INPUT_CHARS,
    URGENT_NOTE,
    SpecializationSuggestion,
    SymptomMatch,
    match_specializations,
)


def top(text: str) -> str:
    return match_specializations(text).suggestions[0].specialization


def ranked(text: str) -> list[str]:
    return [s.specialization for s in match_specializations(text).suggestions]


@pytest.mark.parametrize(
    ("text", "expected_top"),
    [
        ("skin rash, itching", {"Dermatologist"}),
        ("chest pain and breathlessness", {"Cardiologist"}),
        ("toothache", {"Dentist"}),
        ("tooth ache", {"Dentist"}),
        ("frequent urination and excessive thirst", {"Endocrinologist", "Diabetologist"}),
        ("joint pain and swelling in fingers", {"Rheumatologist"}),
        ("back pain", {"Orthopedic Surgeon"}),
        ("depression", {"Psychiatrist"}),
        ("feeling anxious cant sleep", {"Psychiatrist"}),
        ("ear pain", {"ENT Specialist"}),
        ("red eyes", {"Ophthalmologist"}),
        ("blurry vision", {"Ophthalmologist"}),
        ("missed period", {"Gynecologist"}),
        ("irregular periods", {"Gynecologist"}),
        ("kidney stone", {"Urologist", "Nephrologist"}),
        ("seizures", {"Neurologist"}),
        ("heartburn/acidity", {"Gastroenterologist"}),
        ("stomach pain with vomiting", {"Gastroenterologist"}),
        ("loose motions since 2 days", {"Gastroenterologist"}),
        ("burning urination", {"Urologist"}),
        ("knee pain after running", {"Orthopedic Surgeon"}),
        ("pain in my left knee", {"Orthopedic Surgeon"}),
        ("high BP", {"Cardiologist"}),
        ("sugar problem", {"Diabetologist", "Endocrinologist"}),
        ("giddiness", {"Neurologist"}),
        ("sore throat", {"ENT Specialist"}),
        ("sprained ankle while playing football", {"Physiotherapist"}),
        ("piles", {"General Surgeon"}),
        ("lump in breast", {"Oncologist"}),
        ("thyroid", {"Endocrinologist"}),
        ("sneezing and runny nose", {"Allergist", "ENT Specialist", GENERAL_PHYSICIAN}),
        ("my baby has loose motions", {"Pediatrician"}),
        ("I have been having a lot of pain in the chest since morning", {"Cardiologist"}),
        ("swelling in my feet and high creatinine", {"Nephrologist"}),
    ],
)
def test_realistic_inputs_rank_the_expected_specialist_first(text, expected_top):
    assert top(text) in expected_top


def test_symptoms_combine_chest_pain_and_breathlessness():
    result = match_specializations("chest pain and breathlessness")
    assert result.recognized == ("chest pain", "breathlessness")
    names = [s.specialization for s in result.suggestions]
    assert names[:2] == ["Cardiologist", "Pulmonologist"]
    cardiologist = result.suggestions[0]
    assert cardiologist.because == ("chest pain", "breathlessness")


def test_breathlessness_alone_ranks_pulmonologist_but_chest_pain_tips_it():
    assert top("breathlessness") == "Pulmonologist"
    assert top("chest pain") == "Cardiologist"


def test_fever_cough_and_breathlessness_points_to_lungs_or_physician():
    names = ranked("fever, cough and breathlessness")
    assert names[0] in {"Pulmonologist", GENERAL_PHYSICIAN}
    assert {"Pulmonologist", GENERAL_PHYSICIAN} <= set(names[:2])


@pytest.mark.parametrize("text", ["child fever", "my kid has fever and ear ache", "son coughing"])
def test_a_child_brings_the_pediatrician_to_the_top_two(text):
    assert "Pediatrician" in ranked(text)[:2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brething problm", ("breathlessness",)),
        ("itchng", ("itching",)),
        ("diabetis", ("diabetes",)),
        ("hedache and vomitting", ("headache", "vomiting")),
        ("feaver", ("fever",)),
        ("pimpels", ("acne",)),
        ("thyriod", ("thyroid problem",)),
        ("kidny stone", ("kidney stone",)),
        ("constipaton", ("constipation",)),
        ("palpitaions", ("palpitations",)),
        ("anxeity", ("anxiety",)),
    ],
)
def test_typos_are_tolerated(text, expected):
    assert match_specializations(text).recognized == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chestpain", ("chest pain",)),
        ("backpain", ("back pain",)),
        ("bodyache", ("body ache",)),
        ("throatpain", ("sore throat",)),
        ("earache", ("ear pain",)),
        ("hairfall", ("hair loss",)),
    ],
)
def test_joined_words_are_split(text, expected):
    assert match_specializations(text).recognized == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CHEST PAIN!!!", ("chest pain",)),
        ("light-headed", ("dizziness",)),
        ("can't sleep", ("insomnia",)),
        ("itching rashes", ("itching", "skin rash")),
        ("skin rash and itching", ("skin rash", "itching")),
        ("pain in the chest", ("chest pain",)),
        ("my knee hurts", ("knee pain",)),
        ("loose motions, acidity and giddiness", ("diarrhoea", "acidity", "dizziness")),
    ],
)
def test_normalisation_and_order_of_appearance(text, expected):
    assert match_specializations(text).recognized == expected


def test_phrases_match_as_phrases_not_single_words():
    assert match_specializations("chest pain").recognized == ("chest pain",)
    assert match_specializations("low back pain").recognized == ("back pain",)
    assert match_specializations("hay fever").recognized == ("allergy",)
    assert match_specializations("pain").recognized == ()
    assert match_specializations("chest").recognized == ()


def test_repeated_symptoms_are_counted_once():
    result = match_specializations("fever, fever and more fever")
    assert result.recognized == ("fever",)
    assert result.suggestions[0] == SpecializationSuggestion(GENERAL_PHYSICIAN, 1.0, ("fever",))


@pytest.mark.parametrize(
    "text",
    [
        "xyz qwerty",
        "hello",
        "thank you doctor",
        "I want to book an appointment for tomorrow morning",
        "how much is the consultation fee",
        "is the clinic open on sunday",
        "the quick brown fox jumps over the lazy dog",
        "plain chest xray report",
        "12345",
    ],
)
def test_unknown_text_falls_back_to_general_physician(text):
    result = match_specializations(text)
    assert result.recognized == ()
    assert result.suggestions == (SpecializationSuggestion(GENERAL_PHYSICIAN, 0.0, ()),)
    assert result.message == FALLBACK_MESSAGE


@pytest.mark.parametrize("text", ["", "   ", "!!!,,,", "\n\t"])
def test_empty_input_falls_back(text):
    result = match_specializations(text)
    assert result.recognized == ()
    assert [s.specialization for s in result.suggestions] == [GENERAL_PHYSICIAN]
    assert "General Physician" in result.message


def test_over_long_input_is_truncated_not_rejected():
    padding = "x " * MAX_INPUT_CHARS
    result = match_specializations("toothache " + padding + "seizures")
    assert result.recognized == ("toothache",)
    huge = match_specializations("fever " * 100_000)
    assert huge.recognized == ("fever",)


def test_scores_are_normalised_sorted_and_explained():
    result = match_specializations("chest pain, cough, skin rash and back pain", limit=50)
    scores = [s.score for s in result.suggestions]
    assert all(0.0 < score <= 1.0 for score in scores)
    keys = [(-s.score, s.specialization) for s in result.suggestions]
    assert keys == sorted(keys)  # best first, ties broken by name
    for suggestion in result.suggestions:
        assert suggestion.because
        assert set(suggestion.because) <= set(result.recognized)
        assert list(suggestion.because) == [r for r in result.recognized if r in suggestion.because]


def test_ties_are_broken_by_specialization_name():
    result = match_specializations("high bp and sugar")
    first, second = result.suggestions[:2]
    assert first.score == second.score
    assert (first.specialization, second.specialization) == ("Cardiologist", "Diabetologist")


def test_limit():
    assert len(match_specializations("chest pain and breathlessness", limit=1).suggestions) == 1
    assert len(match_specializations("chest pain and breathlessness").suggestions) == 3
    many = match_specializations("fever cough breathlessness chest pain giddiness vomiting")
    assert len(many.suggestions) == 5
    with pytest.raises(ValueError):
        match_specializations("fever", limit=0)


def test_message_names_the_specialist_and_warns_for_urgent_symptoms():
    chest = match_specializations("chest pain")
    assert "a Cardiologist" in chest.message
    assert URGENT_NOTE in chest.message
    itch = match_specializations("itching")
    assert "a Dermatologist" in itch.message and "An Allergist may also help" in itch.message
    assert URGENT_NOTE not in itch.message
    assert "an ENT Specialist" in match_specializations("ear discharge").message


def test_results_are_frozen_and_deterministic():
    first = match_specializations("fever and itching")
    assert first == match_specializations("fever and itching")
    assert isinstance(first, SymptomMatch)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.message = "changed"  # type: ignore[misc]


def test_vocabulary_is_large_and_names_only_real_specializations():
    assert len(KNOWN_SYMPTOMS) >= 60
    assert tuple(SYMPTOMS) == KNOWN_SYMPTOMS
    assert URGENT_SYMPTOMS.issubset(SYMPTOMS)
    for name, (_synonyms, weights) in SYMPTOMS.items():
        assert weights, name
        assert set(weights) <= set(DEPARTMENTS), name
        assert all(0.0 < w <= 1.0 for w in weights.values()), name


def test_every_name_and_synonym_is_recognised_as_its_symptom():
    for name, (synonyms, _weights) in SYMPTOMS.items():
        for phrase in (name, *synonyms):
            assert match_specializations(phrase).recognized == (name,), phrase


def test_almost_every_specialization_is_the_top_suggestion_for_some_symptom():
    reachable = {top(name) for name in KNOWN_SYMPTOMS}
    assert len(set(DEPARTMENTS) - reachable) <= 2


def test_examples_are_recognised():
    assert len(EXAMPLES) == 6
    for example in EXAMPLES:
        assert match_specializations(example).recognized, example


def test_a_200_character_match_is_fast():
    text = (
        "since two days chest pain and brething problm, itchng on arms, feaver at night, "
        "bad cough with phlegm, qwzx plorf and stomachache after eating spicy food, zzkv "
    ) * 2
    text = text[:200]
    runs = 30
    start = time.perf_counter()
    for _ in range(runs):
        symptoms._resolve.cache_clear()  # measure the uncached path
        match_specializations(text)
    assert (time.perf_counter() - start) / runs < 0.005


def test_the_advice_is_written_in_the_readers_language():
    from healthcareplus.core.i18n import use_language

    with use_language("hi"):
        advice = match_specializations("chest pain and fever").message
        fallback = match_specializations("zzzz qqqq").message
    assert "के आधार पर हमारा सुझाव है कि आप" in advice
    assert "हृदय रोग विशेषज्ञ" in advice and "112" in advice  # chest pain is urgent
    assert "Based on" not in advice
    assert fallback.startswith("हम इन लक्षणों को पहचान नहीं सके")
    english = match_specializations("chest pain and fever").message
    assert english.startswith("Based on ") and "A Cardiologist may also help." in english
