"""The doctor portal's screens."""
