"""Long use cases (import, export, printing, sync, demo) as generators that yield progress.

A job opens nothing itself: it receives a database owned by the thread it runs on. The caller
stops a job by no longer iterating it; the generator is closed and its transaction rolls back.
"""
