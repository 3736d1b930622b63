"""Domain rules in pure Python: no Qt and no SQL, so everything here is testable headless."""
