"""SQLite storage through sqlite-utils: opening, migrations, and repositories returning dataclasses."""
