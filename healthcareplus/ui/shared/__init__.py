"""Layout, forms, the access guard and the session, shared by every portal."""
