"""The watch list: pupils still on a roll whom a school's returns show at risk of going
missing (docs/roll.md, "The watch list"). Imported by `cme.roll.models`, so it is part of the
roll app; only `cme.roll.watch` writes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .models import AttendancePupil, Pupil, SicknessReturn


class WatchReason(models.TextChoices):
    TEN_DAYS = "ten_days", "10 continuous school days coded G, N, O or U"
    PATTERN = "pattern", "Named in attendance returns again and again this school year"
    SICKNESS = "sickness", "Long absence through sickness (15 school days)"
    REINSTATEMENT = "reinstatement", "Deleted unlawfully: reinstatement directed"
    TRAVELLER = "traveller", "Travelling (a traveller family): kept on roll"


class WatchStatus(models.TextChoices):
    WATCHING = "watching", "Watching"
    ENDED = "ended", "No longer watched"


class WatchedPupil(Pupil):
    """One pupil watched for one reason at one school; later returns naming the same pupil
    for the same reason update it rather than add another."""

    school = models.ForeignKey("schools.Establishment", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=WatchReason.choices)
    # The first day missed: the clocks count from it (day 1). None for a pattern.
    first_day_absent = models.DateField(null=True, blank=True)
    # Counted back from the return's period when the school did not give the first day.
    first_day_estimated = models.BooleanField(default=False)
    attendance_pupil = models.ForeignKey(
        AttendancePupil, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sickness_return = models.ForeignKey(
        SicknessReturn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A traveller's: the return date the parents gave, if any (cme.rules.traveller).
    return_date = models.DateField(null=True, blank=True)
    returns_named_in = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=WatchStatus.choices, default=WatchStatus.WATCHING, db_index=True
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["first_day_absent", "id"]


class MatchDecision(models.TextChoices):
    PENDING = "pending", "To decide"
    CONFIRMED = "confirmed", "Confirmed: the same child"
    REJECTED = "rejected", "Rejected: not the same child"


class NewPupilMatch(models.Model):
    """A new pupil return the matching engine (`cme.matching`) found like an open case's
    child or a watched pupil, for the officer to confirm or reject. Exactly one of `case` and
    `watched` is set."""

    new_pupil_return = models.ForeignKey(
        "roll.NewPupilReturn", on_delete=models.CASCADE, related_name="matches"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    watched = models.ForeignKey(
        WatchedPupil, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    band = models.CharField(max_length=20)
    probability = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    decision = models.CharField(
        max_length=10, choices=MatchDecision.choices, default=MatchDecision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=True, watched__isnull=False)
                | models.Q(case__isnull=False, watched__isnull=True),
                name="new_pupil_match_case_or_watched",
            )
        ]

    def __str__(self) -> str:
        return f"New pupil match {self.pk}"
