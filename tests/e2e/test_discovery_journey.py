"""Finding a doctor: city -> hospital -> cardiologist, the symptom checker, search filters
kept in the URL, and a doctor's profile; at phone and desktop sizes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, Journey

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@SIZES
def test_find_cardiologist_by_browsing_bangalore(open_journey, viewport) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    j.goto("/")
    j.shot("home")
    page.get_by_test_id("city-card").filter(has_text="Bangalore").click()
    expect(page.get_by_role("heading", name="Hospitals in Bangalore")).to_be_visible()
    j.shot("bangalore hospitals")

    hospitals = page.get_by_test_id("hospital-card")
    expect(hospitals).to_have_count(4)
    hospitals.first.click()
    expect(page).to_have_url(re.compile(r"/hospital/\d+$"))
    page.get_by_role("button", name="Cardiologist", exact=True).click()
    cards = page.get_by_test_id("doctor-card")
    expect(cards.first).to_contain_text("Cardiologist")
    expect(cards.filter(has_not_text="Cardiologist")).to_have_count(0)
    j.shot("cardiologists at the hospital")

    name = cards.first.get_by_role("heading").inner_text()
    cards.first.get_by_role("link", name="View profile").click()
    expect(page).to_have_url(re.compile(r"/doctor/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("Consultation fee")).to_be_visible()
    expect(page.get_by_test_id("next-slots")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Monday")
    j.shot("doctor profile")


@SIZES
def test_find_dermatologist_with_the_symptom_checker(open_journey, viewport) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    j.goto("/symptom-checker")
    page.get_by_label("Describe your symptoms").fill("skin rash, itchng")
    page.get_by_label("City (optional)").select_option(label="Bangalore")
    page.get_by_role("button", name="Find specialists").click()
    expect(page.get_by_test_id("suggestion").first).to_contain_text("Dermatologist")
    cards = page.get_by_test_id("doctor-card")
    expect(cards.first).to_contain_text("Dermatologist")
    expect(cards.filter(has_not_text="Bangalore")).to_have_count(0)
    j.shot("dermatologists suggested")

    page.get_by_label("Describe your symptoms").fill("qwerty zxcv")
    page.get_by_role("button", name="Find specialists").click()
    expect(page.get_by_test_id("symptom-message")).to_contain_text("General Physician")
    # A guess is not a match: the fallback chip shows no share, and search is offered.
    expect(page.get_by_test_id("suggestion")).to_have_text("General Physician")
    page.get_by_test_id("symptom-search-link").click()
    expect(page).to_have_url(re.compile(r"/doctors$"))
    j.goto("/symptom-checker")
    j.shot("unknown symptoms")


def test_phone_menu_navigates(open_journey) -> None:
    j: Journey = open_journey(PHONE)
    page = j.page
    j.goto("/")
    expect(page.get_by_role("link", name="Symptom checker")).to_be_hidden()
    page.get_by_role("button", name="Open menu").click()
    j.shot("phone menu open")
    page.get_by_role("dialog").get_by_role("link", name="Find doctors").click()
    expect(page).to_have_url(re.compile(r"/doctors$"))
    expect(page.get_by_test_id("result-count")).to_contain_text(re.compile(r"of 1\d\d doctors"))


def test_search_filters_live_in_the_url(open_journey) -> None:
    j: Journey = open_journey(DESKTOP)
    page = j.page
    j.goto("/doctors")
    expect(page.get_by_test_id("result-count")).to_contain_text(re.compile(r"of 1\d\d doctors"))
    page.get_by_label("Speciality").select_option("Cardiologist")
    page.get_by_label("City").select_option(label="Bangalore")
    page.get_by_label("Sort by").select_option("fee")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"specialization=Cardiologist"))
    expect(page).to_have_url(re.compile(r"sort=fee"))
    cards = page.get_by_test_id("doctor-card")
    # The list shows the filtered search (all three filters arrive together) before the
    # fees are read.
    expect(cards.first).to_be_visible()
    expect(cards.filter(has_not_text="Cardiologist")).to_have_count(0)
    expect(cards.filter(has_not_text="Bangalore")).to_have_count(0)
    fees = [int(re.sub(r"\D", "", t.split("·")[1])) for t in cards.all_inner_texts() if "·" in t]
    assert fees == sorted(fees) and fees
    j.shot("filtered cardiologists")

    page.reload()
    j.ready()
    expect(page.get_by_label("Speciality")).to_have_value("Cardiologist")
    expect(page.get_by_test_id("result-count")).to_contain_text("Showing 1–")
    expect(cards.filter(has_not_text="Bangalore")).to_have_count(0)
    expect(cards.filter(has_not_text="Cardiologist")).to_have_count(0)

    j.goto("/doctors?q=zzzz-no-such-doctor")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    j.shot("no results")


def test_the_phone_home_page_is_a_few_screens_not_a_list_of_every_speciality(
    open_journey,
) -> None:
    j: Journey = open_journey(PHONE)
    j.goto("/")
    tiles = j.page.get_by_test_id("speciality-tile")
    expect(tiles).to_have_count(8)
    expect(j.page.get_by_test_id("speciality-card").first).to_be_hidden()
    height = j.page.evaluate("document.documentElement.scrollHeight")
    assert height < 4 * PHONE["height"], height
    j.shot("phone home")
    tiles.first.click()
    expect(j.page).to_have_url(re.compile(r"/doctors\?specialization="))
