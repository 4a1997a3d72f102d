"""Telling people what happened: the outbox of messages (written in the same transaction
as the change they tell of) and the in-app notification centre."""
