"""The council's answer to an unlawful deletion: a reinstatement direction to the school
(docs/roll.md, "Reinstatement directions"). Imported by `cme.roll.models`, so it is part of
the roll app; only `cme.roll.services.directions` writes it.

The policy: "Schools cannot remove pupil from roll until reasonable enquiries have been made
over a period of no less than four weeks. If this process has [not] been followed schools
will be required to reinstate pupils back on their school roll."
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .models import Channel, DeletionReturn
from .watch_models import WatchedPupil


class DirectionStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for the school to confirm the pupil is back on roll"
    REINSTATED = "reinstated", "Reinstated: the school confirmed the pupil is back on roll"
    SUPERSEDED = "superseded", "No longer needed: the pupil is on another school's roll"


class ReinstatementDirection(models.Model):
    """One letter to one school: the deletion was unlawful, for these reasons, under this
    regulation; put the pupil back on the admission register. Kept as issued: the reasons are
    the assessment's when the deletion return arrived."""

    deletion_return = models.OneToOneField(
        DeletionReturn, on_delete=models.PROTECT, related_name="direction"
    )
    school = models.ForeignKey("schools.Establishment", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    regulation = models.CharField(max_length=300, help_text="The ground the school gave, cited.")
    reasons = models.JSONField(default=list, blank=True)  # [{text, cites}], as assessed
    status = models.CharField(
        max_length=12,
        choices=DirectionStatus.choices,
        default=DirectionStatus.AWAITING,
        db_index=True,
    )
    # The pupil on the watch list while the school has not confirmed.
    watched = models.ForeignKey(
        WatchedPupil, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reinstated_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_via = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="reinstated") | models.Q(reinstated_on__isnull=False),
                name="reinstated_direction_has_its_date",
            )
        ]

    def __str__(self) -> str:
        return f"Reinstatement direction {self.pk}"

    @property
    def reference(self) -> str:
        return f"RD{self.pk:05d}"

    @property
    def awaiting(self) -> bool:
        return self.status == DirectionStatus.AWAITING


class RollNotice(models.Model):
    """The council tells a school something about its roll that it may now act on: a pupil it
    kept on roll (a family moved within the city, a deletion it was directed to undo) is on
    another school's roll, confirmed by the officer, so ground 9(1)(a) is met."""

    school = models.ForeignKey("schools.Establishment", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_pupil_return = models.ForeignKey(
        "roll.NewPupilReturn", on_delete=models.PROTECT, related_name="+"
    )
    pupil_name = models.CharField(max_length=300)
    text = models.TextField()
    citation = models.CharField(max_length=300)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"Notice {self.pk} to a school"
