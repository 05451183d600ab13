"""A child's whole record across apps: the retention job and the subject access export.

A top-floor app (docs/architecture.md). Each app says what it holds about a child in its own
`records.py`; this app finds those and never names another app's tables itself.
"""
