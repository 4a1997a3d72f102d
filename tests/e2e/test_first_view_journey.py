"""The public pages' first view: the home page's lists and the doctor search's first page
are in the page as served (they show before the app is live), the live data replaces
them, and a search with filters never shows the unfiltered first page, neither on a
fresh load nor on the way in from the home page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.models import City
from tests.e2e.conftest import DESKTOP, PHONE, Journey

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])

# Every frame, from before the page's own scripts: at a URL with a speciality, note any
# doctor card on screen that is not of that speciality.
WATCH_CARDS = """
window.__hcpWrongCards = [];
const watch = () => {
  const wanted = new URLSearchParams(location.search).get("specialization");
  if (wanted) {
    for (const card of document.querySelectorAll("[data-testid=doctor-card]")) {
      if (card.getClientRects().length && !card.innerText.includes(wanted)) {
        window.__hcpWrongCards.push(location.search + ": " + card.innerText.slice(0, 60));
      }
    }
  }
  requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
"""


@pytest.fixture
def served_only(browser: Browser) -> Iterator[Page]:
    """A page that never runs the app's scripts: what the server sends, as first shown."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_the_first_view_is_in_the_page_as_served(served_only: Page, app_url: str) -> None:
    page = served_only
    page.goto(app_url + "/")
    expect(page.get_by_test_id("city-card").filter(has_text="Bangalore")).to_be_visible()
    expect(page.get_by_test_id("speciality-tile")).to_have_count(8)

    page.goto(app_url + "/doctors")
    cards = page.get_by_test_id("doctor-card")
    expect(cards).to_have_count(12)
    expect(page.get_by_test_id("result-count")).to_have_text(
        re.compile(r"Showing 1–12 of 1\d\d doctors")
    )
    # Their free slots depend on the hour: on the way, never "none free".
    expect(cards.filter(has_text="Next available · checking…")).to_have_count(12)
    expect(page.get_by_text("No free slots")).to_have_count(0)


def test_the_live_lists_replace_the_built_ones(
    open_journey, served_only: Page, app_url: str, e2e_db_url: str
) -> None:
    def set_state(name: str) -> None:
        with Session(get_engine(e2e_db_url)) as session:
            city = session.exec(select(City).where(City.name == "Udupi")).one()
            city.state = name
            session.add(city)
            session.commit()

    set_state("Coastal Karnataka")
    try:
        served_only.goto(app_url + "/")
        udupi = served_only.get_by_test_id("city-card").filter(has_text="Udupi")
        # As it was when the app was built.
        expect(udupi).to_contain_text("Karnataka ·")
        expect(udupi).not_to_contain_text("Coastal")

        j: Journey = open_journey(DESKTOP)
        j.goto("/")
        expect(j.page.get_by_test_id("city-card").filter(has_text="Udupi")).to_contain_text(
            "Coastal Karnataka ·"
        )
        j.shot("live lists")
    finally:
        set_state("Karnataka")


@SIZES
def test_a_search_with_filters_never_shows_the_unfiltered_first_page(
    open_journey, viewport
) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    page.add_init_script(WATCH_CARDS)
    cards = page.get_by_test_id("doctor-card")
    j.goto("/doctors?specialization=Cardiologist")
    expect(cards.first).to_contain_text("Cardiologist")
    j.shot("cardiologists")
    assert page.evaluate("window.__hcpWrongCards") == []

    # A new tab, whose first search is the one the home page links to.
    j = open_journey(viewport, name=f"{j.folder.name}-from-home")
    page = j.page
    page.add_init_script(WATCH_CARDS)
    cards = page.get_by_test_id("doctor-card")
    j.goto("/")
    tile = "speciality-tile" if viewport == PHONE else "speciality-card"
    page.get_by_test_id(tile).filter(has_text="Dermatologist").click()
    expect(page).to_have_url(re.compile(r"/doctors/?\?specialization=Dermatologist$"))
    expect(cards.first).to_contain_text("Dermatologist")
    j.ready()
    assert page.evaluate("window.__hcpWrongCards") == []
