"""The symptom checker's state: a share is shown only for symptoms it recognised."""

from __future__ import annotations

from collections.abc import Callable

from healthcareplus.core import routes
from healthcareplus.ui.patient.symptoms_state import SymptomState
from tests.ui.harness import Client


async def test_recognised_symptoms_show_each_specialists_share(
    make_client: Callable[..., Client],
) -> None:
    client = make_client(url=routes.SYMPTOMS)
    await client.call(SymptomState, "check", form_data={"symptoms": "skin rash, itching"})
    state = await client.state(SymptomState)
    assert state.recognized
    assert state.suggestions[0]["specialization"] == "Dermatologist"
    assert int(state.suggestions[0]["percent"]) > 0


async def test_unrecognised_input_offers_a_general_physician_without_a_share(
    make_client: Callable[..., Client],
) -> None:
    client = make_client(url=routes.SYMPTOMS)
    await client.call(SymptomState, "check", form_data={"symptoms": "qwerty zxcv"})
    state = await client.state(SymptomState)
    assert state.recognized == []
    assert [(s["specialization"], s["percent"]) for s in state.suggestions] == [
        ("General Physician", "")
    ]
    assert "search for a doctor" in state.message
