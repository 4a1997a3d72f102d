"""Sign-in, sessions, passwords, registration, profiles and admin accounts."""
