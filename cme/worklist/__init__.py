"""What needs doing: the home page, the work queues and the daily reminder.

A top-floor app (docs/architecture.md): it gathers the day's work from the steps below it and
owns none of their records.
"""
