"""Settings, database, tables, errors and formatting shared by every layer."""
