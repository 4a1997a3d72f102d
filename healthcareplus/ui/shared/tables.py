"""Tables that stay readable on a phone, and the parts of a pager.

On a phone (``assets/tables.css``) a table made by ``scroll_table`` shows each body row as
a card, one cell under the other, each led by its column's heading: the cells carry that
heading as ``data-label`` (``labelled_row``). The header row stays in the page for screen
readers, out of sight."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import reflex as rx
from reflex.vars import NumberVar

from healthcareplus.ui.shared.i18n import t

# The wrapper attribute that turns a table's rows into cards on a phone (assets/tables.css).
PHONE_CARDS = "data-phone-cards"
CELL_TAGS = ("Table.Cell", "Table.RowHeaderCell")


def header_row(*labels: Any, **cell: Any) -> rx.Component:
    """A table's header: one column heading per label (``cell``: their props)."""
    return rx.table.header(rx.table.row(*(rx.table.column_header_cell(h, **cell) for h in labels)))


def labelled_row(labels: Sequence[str], *cells: rx.Component, **row: Any) -> rx.Component:
    """A body row whose cells carry their column's heading (``labels``: the header's, in
    order; "" for a column without one), shown before each cell on a phone."""
    if len(labels) != len(cells):
        raise ValueError(f"{len(cells)} cells for {len(labels)} column headings")
    for label, cell in zip(labels, cells, strict=True):
        if cell.tag not in CELL_TAGS:
            raise TypeError(f"a row's cell must be a table cell, not {cell.tag}")
        cell.custom_attrs["data-label"] = label
    return rx.table.row(*cells, **row)


def scroll_table(
    header: rx.Component, *body: rx.Component, testid: str | None = None, **table: Any
) -> rx.Component:
    """A full-width table (a surface, size 2, unless told) whose box scrolls sideways
    when its columns are wider than the screen; on a phone each body row is a card of
    labelled cells (see ``labelled_row``)."""
    table = {"variant": "surface", "size": "2", **table}
    return rx.box(
        rx.table.root(header, rx.table.body(*body), width="100%", **table),
        overflow_x="auto",
        width="100%",
        data_testid=testid,
        custom_attrs={PHONE_CARDS: "true"},
    )


def step_button(label: Any, *, forward: bool, **props: Any) -> rx.Component:
    """A pager's button: back (the chevron before the label) or forward (after it)."""
    chevron = rx.icon("chevron-right" if forward else "chevron-left", size=16)
    return rx.button(*((label, chevron) if forward else (chevron, label)), variant="soft", **props)


def neighbour_page(page: NumberVar[int], *, forward: bool) -> NumberVar[int]:
    """The page after (or before) ``page``, for a pager's handler. Reflex keeps the int
    at runtime, but its annotations type any arithmetic on a Var as a float or Decimal."""
    return cast("NumberVar[int]", page + 1 if forward else page - 1)


def page_of(page: Any, pages: Any, **text: Any) -> rx.Component:
    return rx.text(t("Page {page} of {pages}", page=page, pages=pages), size="2", **text)


def pager_bar(summary: rx.Component, *controls: rx.Component, **row: Any) -> rx.Component:
    """A pager across a list: what is shown on the left, the page controls on the right."""
    return rx.hstack(
        summary,
        rx.spacer(),
        *controls,
        align="center",
        width="100%",
        wrap="wrap",
        spacing="2",
        **row,
    )


def previous_next_pager(
    page: Any, pages: Any, on_page: Callable[[Any], Any], testid: str
) -> rx.Component:
    """A list's pager when it has more than one page: "Page n of m", Previous and Next
    (``on_page`` takes the page to go to)."""
    return rx.cond(
        pages > 1,
        pager_bar(
            page_of(page, pages, data_testid=testid),
            step_button(
                t("Previous"),
                forward=False,
                disabled=page <= 1,
                on_click=on_page(neighbour_page(page, forward=False)),
                aria_label=t("Previous page"),
            ),
            step_button(
                t("Next"),
                forward=True,
                disabled=page >= pages,
                on_click=on_page(neighbour_page(page, forward=True)),
                aria_label=t("Next page"),
            ),
        ),
    )


def newer_older_pager(
    summary: rx.Component, page: Any, pages: Any, on_page: Callable[[Any], Any]
) -> rx.Component:
    """A log's pager (newest first): "Newer" and "Older" around ``summary``."""
    return pager_bar(
        summary,
        step_button(
            t("Newer"),
            forward=False,
            disabled=page <= 1,
            on_click=on_page(neighbour_page(page, forward=False)),
        ),
        step_button(
            t("Older"),
            forward=True,
            disabled=page >= pages,
            on_click=on_page(neighbour_page(page, forward=True)),
        ),
    )


def centred_pager(back: rx.Component, page: rx.Component, forward: rx.Component) -> rx.Component:
    """Back, "Page n of m" and forward, centred under a list."""
    return rx.hstack(
        back, page, forward, justify="center", align="center", spacing="3", width="100%"
    )
