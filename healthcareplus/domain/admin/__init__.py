"""The admin dashboard, appointment actions, management of people and places, audit log."""
