"""Shared by every portal: layout and page scaffolds, forms, dialogs, tables, cards and
status badges, the access guard and the session."""
