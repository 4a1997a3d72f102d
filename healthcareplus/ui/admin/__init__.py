"""The admin portal's screens."""
