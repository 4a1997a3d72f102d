"""Tables become cards on a phone: every table sits in a box marked for the phone layout
(``assets/tables.css``), and every body cell carries its column's heading as data-label."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import reflex as rx

from healthcareplus.ui.pages import all_pages
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import PHONE_CARDS, header_row, labelled_row, scroll_table

CELLS = ("RadixThemesTable.Cell", "RadixThemesTable.RowHeaderCell")


def _nodes(node: Any, above: tuple[dict[str, Any], ...] = ()) -> Iterator[tuple[dict, tuple]]:
    """Every node of a rendered component tree, with the nodes above it."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item, above)
    elif isinstance(node, dict):
        yield node, above
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _nodes(value, (*above, node))


def _has_prop(node: dict[str, Any], name: str) -> bool:
    return any(str(prop).startswith(f'"{name}":') for prop in node.get("props") or ())


def _label(node: dict[str, Any]) -> str | None:
    for prop in node.get("props") or ():
        if str(prop).startswith('"data-label":'):
            return str(prop).split(":", 1)[1].strip('"')
    return None


def _problems(component: rx.Component) -> tuple[int, list[str]]:
    tables, problems = 0, []
    for node, above in _nodes(component.render()):
        if node.get("name") == "RadixThemesTable.Root":
            tables += 1
            if not any(_has_prop(a, PHONE_CARDS) for a in above):
                problems.append("a table outside scroll_table's box")
        in_body = any(a.get("name") == "RadixThemesTable.Body" for a in above)
        if node.get("name") in CELLS and in_body and _label(node) is None:
            problems.append("a body cell without data-label")
    return tables, problems


def _pages_with_tables() -> list[Any]:
    params = []
    seen: set[object] = set()
    for page in all_pages():
        if page.component in seen:
            continue
        seen.add(page.component)
        params.append(pytest.param(page, id=page.route))
    return params


@pytest.mark.parametrize("page", _pages_with_tables())
def test_every_table_on_the_page_is_cards_of_labelled_cells_on_a_phone(page: Page) -> None:
    assert _problems(page.component())[1] == []


def test_the_check_sees_the_tables_of_the_pages() -> None:
    counts = {page.route: _problems(page.component())[0] for page in all_pages()}
    assert counts["/admin"] >= 3  # appointments, needs attention, the breakdowns
    assert counts["/admin/patients"] == 1
    assert counts["/doctor-portal/visits/[appointment_id]"] == 1


def test_a_row_gives_each_cell_its_heading() -> None:
    columns = ("Medicine", "Dose", "")
    row = labelled_row(
        columns,
        rx.table.row_header_cell("Azithromycin"),
        rx.table.cell("1 tablet", data_testid="dose"),
        rx.table.cell(rx.button("Remove")),
        data_testid="line",
    )
    table = scroll_table(header_row(*columns), row)
    labels = [_label(n) for n, _ in _nodes(table.render()) if n.get("name") in CELLS]
    assert labels == ["Medicine", "Dose", ""]
    assert _problems(table) == (1, [])


def test_a_row_refuses_cells_that_do_not_match_the_headings() -> None:
    with pytest.raises(ValueError):
        labelled_row(("When", "Who"), rx.table.cell("today"))
    with pytest.raises(TypeError):
        labelled_row(("When",), rx.cond(True, rx.table.cell("today"), rx.table.cell("")))


def test_a_table_of_unlabelled_cells_or_without_the_box_is_caught() -> None:
    bare = rx.table.root(header_row("When"), rx.table.body(rx.table.row(rx.table.cell("x"))))
    assert _problems(bare) == (
        1,
        ["a table outside scroll_table's box", "a body cell without data-label"],
    )
