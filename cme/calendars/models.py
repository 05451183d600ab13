"""The LA's term dates and the closures (INSET days) of the LA or of one school.

Every statutory clock counts school days from these; cme.rules.SchoolCalendar does the
counting, built from these rows by cme.calendars.selectors.
"""

from __future__ import annotations

from django.db import models


class TermKind(models.TextChoices):
    TERM = "term", "Term"
    HALF_TERM = "half_term", "Half term or holiday inside a term"


class TermDates(models.Model):
    academic_year = models.CharField(max_length=7, help_text="For example 2025/26")
    term = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=10, choices=TermKind.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "term dates"
        ordering = ["first_day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_day"], name="one_span_per_start"),
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="term_dates_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.term} {self.get_kind_display()}"


class Closure(models.Model):
    """A day or days the school (or, with no school, every school) is closed in term."""

    establishment = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text="Leave empty for a closure of every school in the authority.",
    )
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=200, default="Staff training (INSET)")

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="closure_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.first_day}"
